/**
 * A tier's tokens per minute (`rateLimits.<tier>.tokensPerMinute`), shared by every worker through the
 * database: a call that the minute cannot hold is not sent, and Temporal retries it when the next minute
 * begins (a rate-limit failure with `nextRetryDelay`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { AGENTS, classifierInput, type ConversationMessage, type ModelTurn } from '../../agents';
import { createModelGateway } from '../../agents/gateway';
import { createModelActivities } from '../../activities/model';
import { TokenRateLimiter } from '../../activities/token-rate';
import { createLogger, loadConfig } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { startTestDatabase, type TestDatabase } from '../db/support';
import { testTranscriptStore } from '../support/encryption';

let database: TestDatabase;
let simulator: RunningSimulator;

const intake = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clear-personal-injury.json'), 'utf8'),
);
const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];

beforeAll(async () => {
  database = await startTestDatabase({ seeded: false });
  simulator = await startSimulator({ port: 0 });
});
afterAll(async () => {
  await simulator?.close();
  await database?.close();
});

/** Waits, when the minute is about to end, for the next one: what a test reserves must share one minute. */
async function freshMinute(): Promise<void> {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 5_000) await new Promise((resolve) => setTimeout(resolve, left + 100));
}

describe('the token limiter', () => {
  it('shares one minute between limiters over the same database, and gives back what a call did not use', async () => {
    await freshMinute();
    const worker1 = new TokenRateLimiter(database.db);
    const worker2 = new TokenRateLimiter(database.db);
    const first = await worker1.reserve('shared', 600, 1_000);
    expect('spent' in first).toBe(false);
    const refused = await worker2.reserve('shared', 600, 1_000);
    expect(refused).toEqual({ spent: true, limit: 1_000, retryAfterMs: expect.any(Number) });
    if (!('spent' in refused)) throw new Error('unreachable');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(60_000);
    // The first call used 300 of its 600: the second now fits.
    if ('spent' in first) throw new Error('unreachable');
    await first.settle(300);
    expect('spent' in (await worker2.reserve('shared', 600, 1_000))).toBe(false);
  });

  it('lets a call bigger than the whole budget through when its minute is otherwise empty', async () => {
    await freshMinute();
    const limiter = new TokenRateLimiter(database.db);
    expect('spent' in (await limiter.reserve('huge', 5_000, 1_000))).toBe(false);
    expect('spent' in (await limiter.reserve('huge', 1, 1_000))).toBe(true);
  });
});

describe('callModel under a tokens-per-minute budget', () => {
  it('makes the call the minute can hold, and refuses the next with the wait until the next minute', async () => {
    await freshMinute();
    const config = loadConfig({
      env: {},
      overrides: { provider: { baseURL: simulator.url, apiKey: null }, logging: { level: 'silent' } },
    });
    const gateway = createModelGateway({ config, logger: createLogger(config) });
    const oneCall = gateway.rateLimitTokens(AGENTS.classifier, messages);
    const { callModel } = createModelActivities({
      // The mock environment's workflow type is 'test': the lookup finds legal intake's agents whatever it is.
      agents: (_workflowType, name) => Object.values(AGENTS).find((agent) => agent.name === name),
      gateway,
      logger: createLogger(config),
      transcripts: testTranscriptStore(database.db),
      tokenRate: new TokenRateLimiter(database.db),
      // Room for one classifier call's reservation (its prompt and its answer's allowance) a minute: the
      // tokens it really used, and another reservation, do not fit.
      rateLimits: { fast: { tokensPerMinute: oneCall + 100 } },
    });
    const env = new MockActivityEnvironment();
    const turn: ModelTurn = await env.run(callModel, { agent: 'classifier' as const, messages });
    expect(turn.kind).toBe('output');
    const requests = simulator.stats().requests;

    const refused = await env
      .run(callModel, { agent: 'classifier' as const, messages })
      .catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(ApplicationFailure);
    const failure = refused as ApplicationFailure;
    expect(failure.type).toBe('ModelRateLimitError');
    expect(failure.nonRetryable).toBe(false);
    expect(failure.message).toMatch(/rateLimits\.fast\.tokensPerMinute/);
    expect(Number(failure.nextRetryDelay)).toBeGreaterThan(0);
    expect(Number(failure.nextRetryDelay)).toBeLessThanOrEqual(60_000);
    expect(simulator.stats().requests).toBe(requests);
  });
});
