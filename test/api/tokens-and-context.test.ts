/**
 * Tokens, context and prompt caching in a running legal intake, as the REST status shows them: an intake
 * too long for every model's context window is trimmed and runs on (the status says what was cut), and
 * the tokens a provider served from its prompt cache are in `usage.calls[]`, billed at the cached rate.
 */
import { costUsd } from '../../agents/gateway';
import { loadConfig, type DocketConfig, type ModelEntry } from '../../config';
import { legalIntakeWorkflowId, type ModelUsage } from '../../domain';
import type { ChatRequest } from '../../simulator/protocol';
import { exampleIntake, longIntake } from '../support/intakes';
import { tokensBeforeDocument } from '../support/prompt-prefix';
import { startTestStack, type TestStack } from '../support/stack';
import { pollUntil, serveApi, type RunningApi } from './http';

/** The shipped models with small windows: a standard intake fits them, a long one does not. */
function smallWindows(): DocketConfig['models'] {
  const { models } = loadConfig({ env: {} });
  const sized = (entries: ModelEntry[], contextWindow: number, maxOutputTokens: number) =>
    entries.map((entry) => ({ ...entry, contextWindow, maxOutputTokens })) as [ModelEntry, ...ModelEntry[]];
  return {
    ...models,
    fast: sized(models.fast, 3_000, 1_000),
    reasoning: sized(models.reasoning, 6_000, 3_000),
    drafting: sized(models.drafting, 4_000, 1_500),
  };
}

describe('tokens, context and prompt caching in the REST status', () => {
  let stack: TestStack;
  let api: RunningApi;

  beforeAll(async () => {
    stack = await startTestStack({ configOverrides: { models: smallWindows() } });
    api = await serveApi(stack.config, stack.client, stack.db);
  });
  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  /** Submits the intake over REST and waits until it has closed or waits for a person. */
  async function run(intake: ReturnType<typeof exampleIntake>) {
    const started = await api.call('POST', '/v1/workflows/legal-intake', {
      key: stack.keys.operator,
      json: intake,
    });
    expect(started.status).toBe(202);
    const workflowId = legalIntakeWorkflowId(intake.externalId);
    const done = await pollUntil(
      () => api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator }),
      (res) => res.status === 200 && (res.body.closedAt !== null || res.body.status === 'awaiting_review'),
      { timeoutMs: 60_000 },
    );
    return done.body as { status: string; error: string | null; usage: { calls: ModelUsage[] } };
  }

  const entryFor = (call: ModelUsage) =>
    stack.config.models[call.tier as keyof DocketConfig['models']].find((e) => e.model === call.model)!;

  it('runs an intake too long for every window on a trimmed document, and says what was cut', async () => {
    const status = await run(longIntake('clear-personal-injury', 60));

    expect({ status: status.status, error: status.error }).toEqual({ status: 'completed', error: null });
    const agents = status.usage.calls.map((call) => call.agent);
    expect(new Set(agents)).toEqual(new Set(['classifier', 'reasoner', 'drafter']));
    for (const call of status.usage.calls) {
      expect(call.trimmed).toEqual({
        documentTokens: expect.any(Number),
        keptTokens: expect.any(Number),
        cutParagraphs: expect.any(Number),
      });
      expect(call.trimmed!.keptTokens).toBeLessThan(call.trimmed!.documentTokens);
      expect(call.trimmed!.cutParagraphs).toBeGreaterThan(0);
      const entry = entryFor(call);
      expect(call.inputTokens + entry.maxOutputTokens).toBeLessThanOrEqual(entry.contextWindow);
    }
  });

  it('shows the tokens served from the prompt cache, billed at the cached rate, never the intake', async () => {
    stack.simulator.promptCache(true);
    await run(exampleIntake('conflict-adverse-client'));
    const before = stack.simulator.received().length;

    const status = await run(exampleIntake('limitation-imminent'));

    const { calls } = status.usage;
    const requests = stack.simulator.received().slice(before) as ChatRequest[];
    expect(requests).toHaveLength(calls.length);
    expect(calls.some((call) => (call.cachedInputTokens ?? 0) > 0)).toBe(true);
    calls.forEach((call, i) => {
      const cached = call.cachedInputTokens ?? 0;
      expect(call.costUsd).toBe(costUsd(entryFor(call), call.inputTokens, call.outputTokens, cached));
      if (cached > 0) {
        expect(call.costUsd).toBeLessThan(costUsd(entryFor(call), call.inputTokens, call.outputTokens));
      }
      // An agent's first round shares with the other intake only what comes before the intake; a later
      // round's prefix is its own round before, intake included.
      const firstRound = !requests[i].messages.some((message) => message.role === 'tool');
      const shareable = firstRound ? tokensBeforeDocument(requests[i]) : calls[i - 1].inputTokens;
      expect(cached).toBeLessThanOrEqual(shareable);
    });
  });
});
