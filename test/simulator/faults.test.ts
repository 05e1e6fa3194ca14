import OpenAI, { APIError } from 'openai';
import { Classification } from '../../agents';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { CLEAR_INTAKE, classificationRequest, classify, openaiClient } from './agent-requests';

let simulator: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, faults: { retryAfterMs: 1500 } });
  client = openaiClient(simulator);
});

afterAll(async () => {
  await simulator.close();
});

/** What one request came to: 'ok', an HTTP status, or the name of the error the client raised. */
async function outcome(target: OpenAI): Promise<string> {
  try {
    await target.chat.completions.parse(classificationRequest(CLEAR_INTAKE));
    return 'ok';
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) return String(err.status);
    return (err as Error).name;
  }
}

describe('scripted faults', () => {
  it('rate-limits with retry-after headers, then answers normally', async () => {
    const served = simulator.stats().faultsServed['429'];
    simulator.queueFaults('429');
    const error = await classify(client, CLEAR_INTAKE).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    const rateLimit = error as InstanceType<typeof OpenAI.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.code).toBe('rate_limit_exceeded');
    expect(rateLimit.headers.get('retry-after-ms')).toBe('1500');
    expect(rateLimit.headers.get('retry-after')).toBe('2');
    expect(simulator.stats().faultsServed['429']).toBe(served + 1);

    const next = await classify(client, CLEAR_INTAKE);
    expect(Classification.safeParse(next.choices[0].message.parsed).success).toBe(true);
  });

  it('fails with a server error', async () => {
    simulator.queueFaults('500');
    const error = await classify(client, CLEAR_INTAKE).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(OpenAI.InternalServerError);
    expect((error as APIError).status).toBe(500);
  });

  it('rejects a request on a scripted 400', async () => {
    simulator.queueFaults('400');
    await expect(classify(client, CLEAR_INTAKE)).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });

  it('answers with JSON cut short, which the client cannot parse', async () => {
    simulator.queueFaults('malformed');
    const raw = await client.chat.completions.create(classificationRequest(CLEAR_INTAKE));
    expect(() => JSON.parse(raw.choices[0].message.content ?? '')).toThrow(SyntaxError);

    simulator.queueFaults('malformed');
    await expect(classify(client, CLEAR_INTAKE)).rejects.toBeInstanceOf(SyntaxError);
  });

  it('holds a request without answering until the client times out', async () => {
    simulator.queueFaults('timeout');
    const impatient = openaiClient(simulator, { timeout: 300 });
    const started = performance.now();

    await expect(classify(impatient, CLEAR_INTAKE)).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    expect(performance.now() - started).toBeLessThan(5_000);
  });

  it('serves queued faults in order, then answers', async () => {
    const before = simulator.stats();
    simulator.queueFaults('500', '429', 'malformed');
    const outcomes = [];
    for (let i = 0; i < 4; i++) outcomes.push(await outcome(client));
    const after = simulator.stats();

    expect(outcomes).toEqual(['500', '429', 'SyntaxError', 'ok']);
    expect(after.requests).toBe(before.requests + 4);
    expect(after.faultsServed['500']).toBe(before.faultsServed['500'] + 1);
    expect(after.faultsServed.malformed).toBe(before.faultsServed.malformed + 1);
  });

  it('delays every answer by the configured latency', async () => {
    simulator.setLatency(250);
    try {
      const started = performance.now();
      await classify(client, CLEAR_INTAKE);
      expect(performance.now() - started).toBeGreaterThanOrEqual(240);
    } finally {
      simulator.setLatency(0);
    }
  });
});

describe('seeded faults', () => {
  const plan = { rate429: 0.25, rate500: 0.15, rateMalformed: 0.1, seed: 42 };

  async function sequence(faults: typeof plan, requests = 24): Promise<string[]> {
    const seeded = await startSimulator({ port: 0, faults });
    try {
      const seededClient = openaiClient(seeded);
      const outcomes: string[] = [];
      for (let i = 0; i < requests; i++) outcomes.push(await outcome(seededClient));
      return outcomes;
    } finally {
      await seeded.close();
    }
  }

  it('serves the same fault sequence from the same seed', async () => {
    const first = await sequence(plan);
    const second = await sequence(plan);
    const otherSeed = await sequence({ ...plan, seed: 7 });

    expect(second).toEqual(first);
    expect(otherSeed).not.toEqual(first);
    expect(new Set(first)).toEqual(new Set(['ok', '429', '500', 'SyntaxError']));
  });

  it('restarts the sequence when setFaults gives the seed again', async () => {
    const seeded = await startSimulator({ port: 0 });
    try {
      const seededClient = openaiClient(seeded);
      const run = async () => {
        seeded.setFaults(plan);
        const outcomes: string[] = [];
        for (let i = 0; i < 10; i++) outcomes.push(await outcome(seededClient));
        return outcomes;
      };
      const first = await run();
      expect(await run()).toEqual(first);
      expect(first).toContain('ok');
      expect(first.some((o) => o !== 'ok')).toBe(true);
    } finally {
      await seeded.close();
    }
  });
});

describe('closing', () => {
  it('drops held requests and frees the port', async () => {
    const closing = await startSimulator({ port: 0 });
    closing.queueFaults('timeout');
    const pending = classify(openaiClient(closing, { timeout: 30_000 }), CLEAR_INTAKE).catch(
      (err: unknown) => err,
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await closing.close();
    const error = await pending;

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(fetch(`${closing.url}/models`)).rejects.toThrow();
    await closing.close(); // a second close is harmless
  });
});
