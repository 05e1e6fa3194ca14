/**
 * The model gateway against the simulator, through the real openai client: provider quirks per tier,
 * usage and cost, and every provider failure turned into a typed Docket error that says nothing of the content.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, classifierInput, type ConversationMessage } from '../../agents';
import {
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelUnavailableError,
  costUsd,
  createModelGateway,
  type ModelGateway,
} from '../../agents/gateway';
import { createLogger, loadConfig, type DocketConfig } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';

const intake = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clear-personal-injury.json'), 'utf8'),
);
const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];

let simulator: RunningSimulator;
let config: DocketConfig;
let gateway: ModelGateway;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, faults: { retryAfterMs: 750 }, recordRequests: true });
  const shipped = loadConfig({ env: {} }).models;
  config = loadConfig({
    env: {},
    overrides: {
      provider: { baseURL: simulator.url, apiKey: null, timeoutMs: 1_000 },
      logging: { level: 'silent' },
      // A fast tier of one model: its failures reach the caller as they are, with no next model to take
      // over (test/agents/model-fallback.test.ts is about that).
      models: { fast: [shipped.fast[0]] },
    },
  });
  gateway = createModelGateway({ config, logger: createLogger(config) });
});

/** The body of the last chat request the simulator received. */
function lastRequest(): Record<string, unknown> {
  const received = simulator.received();
  return received[received.length - 1] as Record<string, unknown>;
}
afterAll(async () => {
  await simulator.close();
});

async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the model call to fail');
}

describe('model gateway', () => {
  it("returns the agent's parsed output with usage priced at the answering model's rates", async () => {
    const turn = await gateway.runTurn(AGENTS.classifier, messages);
    if (turn.kind !== 'output') throw new Error(`expected output, got ${turn.kind}`);
    expect(AGENTS.classifier.outputSchema.safeParse(turn.output).success).toBe(true);
    const [fast] = config.models.fast;
    expect(turn.usage).toMatchObject({
      agent: 'classifier',
      tier: 'fast',
      model: fast.model,
      answeredBy: fast.model,
      provider: 'openai',
      cachedInputTokens: 0,
    });
    expect(turn.usage.fallbacks).toBeUndefined();
    expect(turn.usage.inputTokens).toBeGreaterThan(0);
    expect(turn.usage.costUsd).toBe(costUsd(fast, turn.usage.inputTokens, turn.usage.outputTokens));
    // A chat model gets a system message and its temperature.
    expect(lastRequest()).toMatchObject({ model: fast.model, temperature: fast.temperature });
    expect((lastRequest().messages as Array<{ role: string }>)[0].role).toBe('system');
  });

  it('speaks to o1 the way it requires (developer role, no temperature), and gets tool calls back', async () => {
    // The simulator, like OpenAI, answers 400 to an o1 request that carries a temperature or max_tokens.
    const turn = await gateway.runTurn(AGENTS.reasoner, messages);
    expect(turn.kind).toBe('tool_calls');
    expect(turn.usage.model).toBe('o1-2024-12-17');
    expect(turn.usage.reasoningTokens).toBeGreaterThan(0);

    const sent = lastRequest();
    expect(sent.model).toBe('o1-2024-12-17');
    expect((sent.messages as Array<{ role: string }>)[0].role).toBe('developer');
    expect(sent).not.toHaveProperty('temperature');
    expect(sent).not.toHaveProperty('max_tokens');
    expect(sent).not.toHaveProperty('logprobs');
    expect(sent).toMatchObject({ max_completion_tokens: 8000, reasoning_effort: 'medium' });
    expect(sent.messages as Array<{ role: string }>).not.toContainEqual(
      expect.objectContaining({ role: 'system' }),
    );
  });

  it('sends reasoning_effort only to a model that takes it, and bills the thinking each effort buys', async () => {
    const o3mini = config.models.reasoning.find((m) => m.model === 'o3-mini-2025-01-31')!;
    const withTier = (tier: 'reasoning' | 'drafting', entry: (typeof config.models.reasoning)[number]) => {
      const changed = { ...config, models: { ...config.models, [tier]: [entry] } };
      return createModelGateway({ config: changed, logger: createLogger(changed) });
    };
    const at = async (effort: 'low' | 'high') => {
      const turn = await withTier('reasoning', { ...o3mini, reasoningEffort: effort }).runTurn(
        AGENTS.reasoner,
        messages,
      );
      return { usage: turn.usage, sent: lastRequest() };
    };
    const low = await at('low');
    const high = await at('high');
    expect([low.sent.reasoning_effort, high.sent.reasoning_effort]).toEqual(['low', 'high']);
    expect(high.usage.reasoningTokens).toBeGreaterThan(low.usage.reasoningTokens);
    // Hidden reasoning is billed as output: the higher effort costs more for the same visible answer.
    expect(high.usage.costUsd).toBeGreaterThan(low.usage.costUsd);

    // A chat model never gets it, even from an entry made in code past config's refusal (which the simulator,
    // like OpenAI, would answer with a 400).
    const [gpt4o] = config.models.drafting;
    await withTier('drafting', { ...gpt4o, reasoningEffort: 'high' }).runTurn(AGENTS.drafter, messages);
    expect(lastRequest().model).toBe(gpt4o.model);
    expect(lastRequest()).not.toHaveProperty('reasoning_effort');
  });

  it("sends a rung's reasoning effort and output limit to the rung's models that take them, and to no other", async () => {
    const o3mini = config.models.reasoning.find((m) => m.model === 'o3-mini-2025-01-31')!;
    const [mini] = config.models.fast;
    // A tier whose first model is retired and whose next one is a chat model: the fallback gets no effort.
    const tier = { ...config, models: { ...config.models, reasoning: [o3mini, mini] } };
    const rungGateway = createModelGateway({ config: tier, logger: createLogger(tier) });
    const rung = {
      tier: 'reasoning' as const,
      reasoningEffort: 'high' as const,
      maxOutputTokens: 1_500,
      index: 1,
      of: 2,
    };
    const first = await rungGateway.runTurn(AGENTS.drafter, messages, { rung });
    expect(lastRequest()).toMatchObject({
      model: o3mini.model,
      reasoning_effort: 'high',
      max_completion_tokens: 1_500,
    });
    expect(first.usage).toMatchObject({ tier: 'reasoning', rung: { index: 1, of: 2 } });
    simulator.retireModels([o3mini.model]);
    try {
      const fellBack = await rungGateway.runTurn(AGENTS.drafter, messages, { rung });
      expect(fellBack.usage.model).toBe(mini.model);
      expect(lastRequest()).toMatchObject({ model: mini.model, max_completion_tokens: 1_500 });
      expect(lastRequest()).not.toHaveProperty('reasoning_effort');
    } finally {
      simulator.retireModels([]);
    }
  });

  it("bills cached input tokens at the model's cached rate", () => {
    const [drafting] = config.models.drafting;
    // gpt-4o: $2.50 in, $1.25 cached in, $10 out per million tokens.
    expect(costUsd(drafting, 1_000_000, 0)).toBe(2.5);
    expect(costUsd(drafting, 1_000_000, 0, 400_000)).toBe(0.6 * 2.5 + 0.4 * 1.25);
    expect(costUsd(drafting, 10_000, 1_000, 8_000)).toBeCloseTo(
      (2_000 * 2.5 + 8_000 * 1.25 + 1_000 * 10) / 1e6,
      10,
    );
  });

  it("turns a 429 into a retryable rate-limit error carrying the provider's delay", async () => {
    simulator.queueFaults('429');
    const err = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(err).toBeInstanceOf(ModelRateLimitError);
    expect((err as ModelRateLimitError).retryAfterMs).toBe(750);
    expect((err as ModelRateLimitError).retryable).toBe(true);
  });

  it('turns a 500 and a timeout into retryable unavailability', async () => {
    simulator.queueFaults('500', 'timeout');
    const serverError = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(serverError).toBeInstanceOf(ModelUnavailableError);
    const timeout = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(timeout).toBeInstanceOf(ModelUnavailableError);
    expect((timeout as ModelUnavailableError).retryable).toBe(true);
  });

  it('turns a 400 into a rejected request that is not retried', async () => {
    simulator.queueFaults('400');
    const err = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(err).toBeInstanceOf(ModelRequestRejectedError);
    expect((err as ModelRequestRejectedError).retryable).toBe(false);
    expect((err as ModelRequestRejectedError).status).toBe(400);
  });

  it('returns malformed output as an invalid turn: the answer as written and what is wrong, for a repair turn', async () => {
    simulator.queueFaults('malformed');
    const turn = await gateway.runTurn(AGENTS.classifier, messages);
    expect(turn.kind).toBe('invalid');
    if (turn.kind !== 'invalid') return;
    expect(turn.content.length).toBeGreaterThan(10);
    expect(() => JSON.parse(turn.content)).toThrow();
    expect(turn.issues).toEqual([expect.stringMatching(/^not valid JSON: /)]);
    expect(turn.usage.outputTokens).toBeGreaterThan(0);
  });
});
