/**
 * The shipped temporal.config.json outlives a model's retirement: with each tier's first model retired in
 * the simulator (404 `model_not_found`, as OpenAI answers), one tier at a time and then all three at once, a
 * clear legal intake completes on the tier's next model, and its usage names that model and the one passed
 * over. Before the shipped chains, retiring gpt-4o-mini alone failed every intake (`ModelRetiredError`).
 * Both as shipped (the agents' cascades, which send a clear intake's every call to the fast tier) and with
 * each agent on its own tier (every chain in use).
 */
import path from 'node:path';
import { loadConfig, TierName } from '../../config';
import { legalIntakeStatusQuery } from '../../workflows';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { workflowRegistry } from '../../workflows/registry';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { dropCascades } from './support';

/** The shipped file's models, loaded the way the app loads them. */
const shipped = loadConfig({ file: path.join(__dirname, '../../temporal.config.json'), env: {} }).models;
const TIERS = TierName.options;
const first = (tier: TierName): string => shipped[tier][0].model;
const second = (tier: TierName): string => shipped[tier][1].model;

let stack: TestStack;

beforeAll(async () => {
  // The shipped models, against the stack's own simulator; the expected fallbacks' warnings are not logged.
  stack = await startTestStack({ configOverrides: { logging: { level: 'error' } } });
});
afterEach(() => {
  stack.simulator.retireModels([]);
});
afterAll(async () => {
  await stack?.close();
});

/** The shipped config with each agent on its own tier: no cascades. */
const onOwnTiers = () => dropCascades(structuredClone(stack.config));

/** Runs the clear example intake with `retired` answering 404, and returns its final status. */
async function clearIntakeWith(retired: string[], config = stack.config): Promise<LegalIntakeStatus> {
  stack.simulator.retireModels(retired);
  const { workflowId, runId } = await startLegalIntake(
    { ...stack, config },
    exampleIntake('clear-personal-injury'),
  );
  const handle = stack.client.workflow.getHandle(workflowId, runId);
  // A failed run is reported by its status (below), which says why.
  await handle.result().catch(() => undefined);
  return handle.query(legalIntakeStatusQuery);
}

/** Per tier, who answered its calls and who was passed over: one entry per distinct answer. */
function answersByTier(status: LegalIntakeStatus) {
  return Object.fromEntries(
    TIERS.map((tier) => {
      const calls = status.usage.calls.filter((call) => call.tier === tier);
      const answers = calls.map(({ model, answeredBy, fallbacks }) => ({ model, answeredBy, fallbacks }));
      return [tier, [...new Map(answers.map((a) => [JSON.stringify(a), a])).values()]];
    }),
  );
}

/** What `answersByTier` shows when `tier`'s first model was retired: its second answered. */
const fellBack = (tier: TierName) => [
  {
    model: second(tier),
    answeredBy: second(tier),
    fallbacks: [{ model: first(tier), provider: 'openai', reason: 'retired' }],
  },
];
/** What `answersByTier` shows for a tier whose first model answered. */
const firstAnswered = (tier: TierName) => [
  { model: first(tier), answeredBy: first(tier), fallbacks: undefined },
];

describe('the shipped model chains', () => {
  it("are what the test stack runs, and every tier's models can serve the agents that name it", () => {
    expect(stack.config.models).toEqual(shipped);
    const agents = workflowRegistry.definitions.flatMap((definition) => definition.agents);
    for (const agent of agents) {
      const tier = shipped[agent.tier as TierName];
      expect(tier.length).toBeGreaterThan(1);
      for (const { capabilities } of tier) {
        expect(capabilities.structuredOutputs).toBe(true);
        if (agent.tools.length > 0) expect(capabilities.tools).toBe(true);
      }
    }
  });

  it.each(TIERS)("complete a clear intake when the %s tier's first model is retired", async (retired) => {
    const status = await clearIntakeWith([first(retired)], onOwnTiers());

    expect({ status: status.status, error: status.error }).toEqual({ status: 'completed', error: null });
    expect(answersByTier(status)).toEqual(
      Object.fromEntries(
        TIERS.map((tier) => [tier, tier === retired ? fellBack(tier) : firstAnswered(tier)]),
      ),
    );
  });

  it("complete a clear intake when every tier's first model is retired at once", async () => {
    const status = await clearIntakeWith(TIERS.map(first), onOwnTiers());

    expect({ status: status.status, error: status.error }).toEqual({ status: 'completed', error: null });
    expect(answersByTier(status)).toEqual(Object.fromEntries(TIERS.map((tier) => [tier, fellBack(tier)])));
  });
});

describe('the shipped cascades', () => {
  /** A clear intake's calls, as shipped: every agent on its first rung, the fast tier. */
  const onFast = (answers: unknown[]) => ({
    fast: answers,
    reasoning: [],
    drafting: [],
  });

  it.each(TIERS)("complete a clear intake when the %s tier's first model is retired", async (retired) => {
    const status = await clearIntakeWith([first(retired)]);

    expect({ status: status.status, error: status.error }).toEqual({ status: 'completed', error: null });
    expect(answersByTier(status)).toEqual(
      onFast(retired === 'fast' ? fellBack('fast') : firstAnswered('fast')),
    );
    expect(new Set(status.usage.calls.map((call) => call.rung?.index ?? 0))).toEqual(new Set([0]));
  });

  it("complete a clear intake when every tier's first model is retired at once", async () => {
    const status = await clearIntakeWith(TIERS.map(first));

    expect({ status: status.status, error: status.error }).toEqual({ status: 'completed', error: null });
    expect(answersByTier(status)).toEqual(onFast(fellBack('fast')));
  });
});
