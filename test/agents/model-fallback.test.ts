/**
 * The model registry at work: a tier's models are tried in order, and the gateway moves on when a model is
 * retired (404), overloaded (429, 5xx) or too small for the request, recording who answered and why.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, classifierInput, type ConversationMessage } from '../../agents';
import {
  ModelContextWindowError,
  ModelRateLimitError,
  ModelRetiredError,
  ModelUnavailableError,
  createModelGateway,
  type ModelGateway,
} from '../../agents/gateway';
import { createLogger, loadConfig, type DocketConfig, type ModelEntry } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';

const intake = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clear-personal-injury.json'), 'utf8'),
);
const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];

const O1 = 'o1-2024-12-17';
const O3_MINI = 'o3-mini-2025-01-31';

let simulator: RunningSimulator;
let config: DocketConfig;
let gateway: ModelGateway;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true, faults: { retryAfterMs: 500 } });
  const shipped = loadConfig({ env: {} }).models;
  const entry = (model: string): ModelEntry => shipped.reasoning.find((e) => e.model === model)!;
  config = loadConfig({
    env: {},
    overrides: {
      provider: { baseURL: simulator.url, apiKey: null, timeoutMs: 1_000 },
      logging: { level: 'silent' },
      // Tiers of the shapes these tests need, from shipped entries: the shipped chains themselves are
      // proved in test/config/shipped-fallbacks.test.ts.
      models: { fast: [shipped.fast[0]], reasoning: [entry(O1), entry(O3_MINI)] },
    },
  });
  gateway = createModelGateway({ config, logger: createLogger(config) });
});
afterEach(() => {
  simulator.retireModels([]);
});
afterAll(async () => {
  await simulator.close();
});

/** The models the simulator was asked for, from the `since`-th chat request on. */
function modelsAsked(since: number): string[] {
  return simulator
    .received()
    .slice(since)
    .map((body) => (body as { model: string }).model);
}

async function failure(run: Promise<unknown>): Promise<Error> {
  try {
    await run;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the model call to fail');
}

describe('model fallback', () => {
  it("moves to the tier's next model when the first is retired, and the usage names who answered and why", async () => {
    simulator.retireModels([O1]);
    const before = simulator.received().length;

    const turn = await gateway.runTurn(AGENTS.reasoner, messages);

    expect(turn.kind).toBe('tool_calls');
    expect(modelsAsked(before)).toEqual([O1, O3_MINI]);
    expect(turn.usage).toMatchObject({
      tier: 'reasoning',
      model: O3_MINI,
      answeredBy: O3_MINI,
      provider: 'openai',
      fallbacks: [{ model: O1, provider: 'openai', reason: 'retired' }],
    });
    // Priced at the model that answered: o3-mini's $1.10 in, $4.40 out per million tokens.
    const { inputTokens, outputTokens } = turn.usage;
    expect(turn.usage.costUsd).toBeCloseTo((inputTokens * 1.1 + outputTokens * 4.4) / 1e6, 8);
  });

  it('fails for good, naming the models passed over, when the last model is retired too', async () => {
    simulator.retireModels([O1, O3_MINI]);
    const before = simulator.received().length;

    const err = await failure(gateway.runTurn(AGENTS.reasoner, messages));

    expect(modelsAsked(before)).toEqual([O1, O3_MINI]);
    expect(err).toBeInstanceOf(ModelRetiredError);
    expect((err as ModelRetiredError).retryable).toBe(false);
    expect((err as ModelRetiredError).status).toBe(404);
    expect(err.message).toMatch(/model_not_found/);
    expect(err.message).toContain(`${O1} (retired)`);
  });

  it('a single-model tier whose model is retired fails for good at once', async () => {
    simulator.retireModels([config.models.fast[0].model]);
    const err = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(err).toBeInstanceOf(ModelRetiredError);
    expect((err as ModelRetiredError).retryable).toBe(false);
  });

  it('hands an overloaded model over to the next one', async () => {
    simulator.queueFaults('429');
    const before = simulator.received().length;

    const turn = await gateway.runTurn(AGENTS.reasoner, messages);

    expect(modelsAsked(before)).toEqual([O1, O3_MINI]);
    expect(turn.usage.model).toBe(O3_MINI);
    expect(turn.usage.fallbacks).toEqual([{ model: O1, provider: 'openai', reason: 'overloaded' }]);
  });

  it('stays retryable when every model is overloaded, with the last delay the provider asked for', async () => {
    simulator.queueFaults('500', '429');
    const err = await failure(gateway.runTurn(AGENTS.reasoner, messages));
    expect(err).toBeInstanceOf(ModelRateLimitError);
    expect((err as ModelRateLimitError).retryAfterMs).toBe(500);
    expect(err.message).toContain(`${O1} (overloaded), ${O3_MINI} (overloaded)`);
  });

  it('stays retryable when the first model is overloaded and the next is retired: the first may recover', async () => {
    simulator.queueFaults('500');
    simulator.retireModels([O3_MINI]);
    const err = await failure(gateway.runTurn(AGENTS.reasoner, messages));
    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect((err as ModelUnavailableError).retryable).toBe(true);
  });

  it('does not move on after a timeout: Temporal retries the call', async () => {
    simulator.queueFaults('timeout');
    const before = simulator.received().length;
    const err = await failure(gateway.runTurn(AGENTS.reasoner, messages));
    expect(err).toBeInstanceOf(ModelUnavailableError);
    expect(modelsAsked(before)).toEqual([O1]);
  });

  it('does not move on when the request itself is wrong (400)', async () => {
    simulator.queueFaults('400');
    const before = simulator.received().length;
    await failure(gateway.runTurn(AGENTS.reasoner, messages));
    expect(modelsAsked(before)).toEqual([O1]);
  });
});

describe('context windows', () => {
  const small: ModelEntry = {
    model: 'gpt-4o-mini-2024-07-18',
    provider: 'openai',
    pricing: { inputPerMTokUsd: 0.15, cachedInputPerMTokUsd: 0.075, outputPerMTokUsd: 0.6 },
    // The classifier's instructions, schema and intake alone are over 500 tokens.
    contextWindow: 2_500,
    maxOutputTokens: 2_000,
    capabilities: { structuredOutputs: true, tools: true, logprobs: true, temperature: true, role: 'system' },
  };
  const big: ModelEntry = { ...small, model: 'gpt-4o-2024-08-06', contextWindow: 128_000 };

  function gatewayWith(fast: [ModelEntry, ...ModelEntry[]]): ModelGateway {
    return createModelGateway({
      config: { ...config, models: { ...config.models, fast } },
      logger: createLogger(config),
    });
  }

  it('skips a model whose context window cannot hold the request, without calling it', async () => {
    const before = simulator.received().length;

    const turn = await gatewayWith([small, big]).runTurn(AGENTS.classifier, messages);

    expect(turn.kind).toBe('output');
    expect(modelsAsked(before)).toEqual([big.model]);
    expect(turn.usage).toMatchObject({
      model: big.model,
      answeredBy: big.model,
      fallbacks: [{ model: small.model, provider: 'openai', reason: 'context_window' }],
    });
  });

  it('fails for good, calling nothing, when no model of the tier can hold the request', async () => {
    const before = simulator.received().length;

    const err = await failure(gatewayWith([small]).runTurn(AGENTS.classifier, messages));

    expect(err).toBeInstanceOf(ModelContextWindowError);
    expect((err as ModelContextWindowError).retryable).toBe(false);
    expect(err.message).toMatch(
      /needs \d+ tokens with room for the answer; gpt-4o-mini-2024-07-18 holds 2500/,
    );
    expect(modelsAsked(before)).toEqual([]);
  });

  it('sends a request that fits the first model to it', async () => {
    const before = simulator.received().length;
    const turn = await gatewayWith([{ ...small, contextWindow: 16_000 }, big]).runTurn(
      AGENTS.classifier,
      messages,
    );
    expect(modelsAsked(before)).toEqual([small.model]);
    expect(turn.usage.fallbacks).toBeUndefined();
  });
});
