/**
 * The model gateway against the simulator, through the real openai client: provider quirks per tier,
 * usage and cost, and every provider failure turned into a typed Docket error that says nothing of the content.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, classifierInput, type ConversationMessage } from '../../agents';
import {
  ModelOutputInvalidError,
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
  simulator = await startSimulator({ port: 0, faults: { retryAfterMs: 750 } });
  config = loadConfig({
    env: {},
    overrides: {
      provider: { baseURL: simulator.url, apiKey: null, timeoutMs: 1_000 },
      // A temperature set on a reasoning tier by mistake: the gateway must leave it out.
      models: { reasoning: { temperature: 0.5 } },
      logging: { level: 'silent' },
    },
  });
  gateway = createModelGateway({ config, logger: createLogger(config) });
});
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
  it("returns the agent's parsed output with usage priced at the tier's rates", async () => {
    const turn = await gateway.runTurn(AGENTS.classifier, messages);
    if (turn.kind !== 'output') throw new Error(`expected output, got ${turn.kind}`);
    expect(AGENTS.classifier.outputSchema.safeParse(turn.output).success).toBe(true);
    expect(turn.usage).toMatchObject({ agent: 'classifier', tier: 'fast', model: config.models.fast.model });
    expect(turn.usage.inputTokens).toBeGreaterThan(0);
    expect(turn.usage.costUsd).toBe(
      costUsd(config.models.fast, turn.usage.inputTokens, turn.usage.outputTokens),
    );
  });

  it('speaks to a reasoning model the way it requires, and gets tool calls back', async () => {
    // The simulator, like OpenAI, answers 400 to an o1 request that carries a temperature.
    const turn = await gateway.runTurn(AGENTS.reasoner, messages);
    expect(turn.kind).toBe('tool_calls');
    expect(turn.usage.reasoningTokens).toBeGreaterThan(0);
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

  it('turns malformed output into a retryable error whose message quotes nothing of it', async () => {
    simulator.queueFaults('malformed');
    const err = await failure(gateway.runTurn(AGENTS.classifier, messages));
    expect(err).toBeInstanceOf(ModelOutputInvalidError);
    expect((err as ModelOutputInvalidError).retryable).toBe(true);
    expect(err.message).not.toMatch(/Jordan|Reyes|Los Angeles|\{/);
  });
});
