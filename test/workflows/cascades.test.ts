/**
 * An agent's cascade, run by legal intake on the stack's simulator: a call starts on the first rung and
 * climbs only when a rule of a higher rung holds (policy, urgency, document length before any call; low
 * confidence, a failed check, an output value after one). Each climb is a new run of the agent whose calls
 * are new callModel activities carrying the rung, and usage.calls records rung, model and reasons.
 */
import type { CascadeRungConfig, DocketConfig } from '../../config';
import type { IntakeRequest } from '../../domain';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { scheduledModelCalls } from '../support/history';
import {
  approveUntilDone,
  exampleIntake,
  longIntake,
  startLegalIntake,
  type ExampleName,
} from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ configOverrides: { logging: { level: 'error' } } });
});
afterAll(async () => {
  await stack?.close();
});

const MINI = 'gpt-4o-mini-2024-07-18';
const O1 = 'o1-2024-12-17';

/** The reasoner's cascade: gpt-4o mini's tier first, then the reasoning tier under `when`. */
function twoRungs(when: NonNullable<CascadeRungConfig['when']>, first: Partial<CascadeRungConfig> = {}) {
  return [
    { tier: 'fast' as const, ...first },
    { tier: 'reasoning' as const, when },
  ];
}

/** Runs `intake` started under the stack's config with the reasoner's cascade (reviews approved), to its end. */
async function runWith(
  cascade: CascadeRungConfig[],
  intake: IntakeRequest | ExampleName,
  reasoner: Partial<DocketConfig['agents']['reasoner']> = {},
) {
  const config = structuredClone(stack.config);
  config.agents.reasoner = { ...config.agents.reasoner, ...reasoner, cascade };
  const body = typeof intake === 'string' ? exampleIntake(intake) : intake;
  const { workflowId } = await startLegalIntake({ ...stack, config }, body);
  const status: LegalIntakeStatus = await approveUntilDone(stack.client, workflowId);
  const calls = status.usage.calls.filter((call) => call.agent === 'reasoner');
  const scheduled = (await scheduledModelCalls(stack.client, workflowId)).filter(
    (call) => call.input.agent === 'reasoner',
  );
  return { status, calls, scheduled };
}

it('answers on the first rung when no rule holds, and says so in usage and in each call', async () => {
  const { status, calls, scheduled } = await runWith(twoRungs({ policy: true }), 'clear-personal-injury');
  expect(status.status).toBe('completed');
  expect(calls.length).toBeGreaterThanOrEqual(2); // tool rounds, then the answer
  for (const call of calls) {
    expect(call).toMatchObject({ tier: 'fast', model: MINI, rung: { index: 0, of: 2 } });
    expect(call.rung?.climbedFor).toBeUndefined();
  }
  expect(scheduled.map((call) => call.input.rung)).toEqual(
    scheduled.map(() => ({ tier: 'fast', index: 0, of: 2 })),
  );
});

it('starts on the higher rung when the mandatory checks already raised a policy reason', async () => {
  const { calls } = await runWith(twoRungs({ policy: true }), 'conflict-adverse-client');
  expect(calls.length).toBeGreaterThanOrEqual(1);
  for (const call of calls) {
    expect(call).toMatchObject({
      tier: 'reasoning',
      model: O1,
      rung: { index: 1, of: 2, climbedFor: ['policy'] },
    });
  }
});

it("starts on the higher rung for the item's urgency or a long document, and not below the threshold", async () => {
  // The simulator classifies the clear example as `normal`.
  const urgent = await runWith(twoRungs({ urgency: ['normal'] }), 'clear-personal-injury');
  expect(urgent.calls.map((c) => c.rung)).toEqual(
    urgent.calls.map(() => ({ index: 1, of: 2, climbedFor: ['urgency'] })),
  );

  const long = await runWith(
    twoRungs({ documentTokensOver: 2_000 }),
    longIntake('clear-personal-injury', 40),
  );
  expect(long.calls.map((c) => c.rung?.climbedFor)).toEqual(long.calls.map(() => ['document_length']));
  const short = await runWith(twoRungs({ documentTokensOver: 2_000 }), 'clear-personal-injury');
  expect(short.calls.map((c) => c.rung?.index)).toEqual(short.calls.map(() => 0));
});

it('climbs after an answer below the threshold: a new run of the agent, in new activities', async () => {
  const { calls, scheduled, status } = await runWith(
    twoRungs({ lowConfidence: true }),
    'clear-personal-injury',
    {
      confidenceThreshold: 0.99,
    },
  );
  const rungs = calls.map((c) => c.rung?.index);
  const climb = rungs.indexOf(1);
  expect(climb).toBeGreaterThan(0);
  // Every call of the first rung, then every call of the second: the climb is a conversation of its own.
  expect(rungs).toEqual([...rungs.slice(0, climb).map(() => 0), ...rungs.slice(climb).map(() => 1)]);
  expect(
    calls.slice(climb).every((c) => c.model === O1 && c.rung?.climbedFor?.[0] === 'low_confidence'),
  ).toBe(true);
  // In history: separate activities (none a retry of another), the higher rung's conversation a new one.
  expect(new Set(scheduled.map((c) => c.activityId)).size).toBe(scheduled.length);
  const transcripts = new Set(scheduled.map((c) => c.input.transcript?.id));
  expect(transcripts.size).toBe(2);
  expect(scheduled.slice(climb).map((c) => c.input.rung)).toEqual(
    scheduled
      .slice(climb)
      .map(() => ({ tier: 'reasoning', index: 1, of: 2, climbedFor: ['low_confidence'] })),
  );
  // The stage's review shows the answer of the rung that stands: o1's.
  expect(status.results.gates.reason?.reasons.map((r) => r.code)).toContain('low_confidence');
});

it('climbs after an answer that failed its checks (cut off by the rung’s output limit)', async () => {
  const { calls, scheduled } = await runWith(
    twoRungs({ failedCheck: true }, { maxOutputTokens: 16 }),
    'clear-personal-injury',
  );
  // The cut-off answer is a failed activity (output_truncated, for a person): the climb is the next one.
  expect(scheduled[0].input.rung).toEqual({ tier: 'fast', maxOutputTokens: 16, index: 0, of: 2 });
  expect(scheduled.at(-1)!.input.rung).toMatchObject({ index: 1, climbedFor: ['failed_check'] });
  // The cut-off answer is counted (the provider bills it), on its rung, at its output limit.
  expect(calls[0]).toMatchObject({ model: MINI, outputTokens: 16, rung: { index: 0, of: 2 } });
  expect(calls[0].costUsd).toBeGreaterThan(0);
  expect(calls.at(-1)).toMatchObject({ model: O1, rung: { index: 1, of: 2, climbedFor: ['failed_check'] } });
});

it('climbs on a value of the answer, and sends a rung’s reasoning effort to its models only', async () => {
  const before = stack.simulator.received().length;
  const cascade: CascadeRungConfig[] = [
    { tier: 'fast' },
    { tier: 'reasoning', reasoningEffort: 'high', when: { output: { conflictStatus: ['clear'] } } },
  ];
  const { calls } = await runWith(cascade, 'clear-personal-injury');
  expect(calls.at(-1)).toMatchObject({ model: O1, rung: { index: 1, climbedFor: ['output'] } });
  const sent = stack.simulator.received().slice(before) as Array<{
    model: string;
    reasoning_effort?: string;
  }>;
  const efforts = (model: string) => [
    ...new Set(sent.filter((r) => r.model === model).map((r) => r.reasoning_effort)),
  ];
  expect(efforts(O1)).toEqual(['high']); // the shipped entry says medium; the rung says high
  expect(efforts(MINI)).toEqual([undefined]);
});
