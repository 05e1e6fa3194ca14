/**
 * The simulator's models as OpenAI's behave: it serves every model the shipped config names, retired ones
 * answer 404 `model_not_found`, reasoning models reject what o1, o3, o4-mini and o3-mini reject, and it can
 * say which keys reached it (Authorization or Azure's api-key).
 */
import path from 'node:path';
import OpenAI, { AzureOpenAI } from 'openai';
import { loadConfig } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';

const MESSAGES = [{ role: 'user' as const, content: 'hi' }];
const AUTH = { authorization: 'Bearer sk-anything', 'content-type': 'application/json' };

let simulator: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true, retiredModels: ['gpt-4o-2024-08-06'] });
  client = new OpenAI({ apiKey: 'sk-simulator-models', baseURL: simulator.url, maxRetries: 0 });
});
afterAll(async () => {
  await simulator.close();
});

describe('the models it serves', () => {
  it('lists every model the shipped config names, and answers each', async () => {
    const shipped = loadConfig({ file: path.join(__dirname, '../../temporal.config.json'), env: {} });
    const named = [...new Set(Object.values(shipped.models).flatMap((tier) => tier.map((e) => e.model)))];
    // A simulator of its own: this file's retires one of them.
    const all = await startSimulator({ port: 0 });
    try {
      const models = new OpenAI({ apiKey: 'sk-simulator-models', baseURL: all.url, maxRetries: 0 });
      expect((await models.models.list()).data.map((m) => m.id)).toEqual(expect.arrayContaining(named));
      for (const model of named) {
        const completion = await models.chat.completions.create({ model, messages: MESSAGES });
        expect(completion.model).toBe(`simulator:${model}`);
      }
    } finally {
      await all.close();
    }
  });
});

describe('retired models', () => {
  it("answers a chat request for a retired model with OpenAI's 404 model_not_found, byte for byte", async () => {
    const response = await fetch(`${simulator.url}/chat/completions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ model: 'gpt-4o-2024-08-06', messages: MESSAGES }),
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({
      error: {
        message: 'The model `gpt-4o-2024-08-06` does not exist or you do not have access to it.',
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
  });

  it('which the openai client reports as a NotFoundError with that code', async () => {
    const error = await client.chat.completions
      .create({ model: 'gpt-4o-2024-08-06', messages: MESSAGES })
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error).toMatchObject({ status: 404, code: 'model_not_found' });
  });

  it('no longer lists a retired model, and serves no fault to its requests', async () => {
    const ids = async () => (await client.models.list()).data.map((m) => m.id);
    expect(await ids()).not.toContain('gpt-4o-2024-08-06');
    expect(await ids()).toContain('gpt-4o-mini-2024-07-18');

    simulator.queueFaults('500');
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-2024-08-06', messages: MESSAGES }),
    ).rejects.toMatchObject({ status: 404 });
    // The queued fault is still there for the next model that answers.
    await expect(
      client.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES }),
    ).rejects.toMatchObject({
      status: 500,
    });
  });

  it('retires and brings back models on a running simulator', async () => {
    simulator.retireModels(['o3-mini-2025-01-31']);
    await expect(
      client.chat.completions.create({ model: 'o3-mini-2025-01-31', messages: MESSAGES }),
    ).rejects.toMatchObject({ status: 404, code: 'model_not_found' });
    const back = await client.chat.completions.create({ model: 'gpt-4o-2024-08-06', messages: MESSAGES });
    expect(back.model).toBe('simulator:gpt-4o-2024-08-06');

    simulator.retireModels([]);
    const o3 = await client.chat.completions.create({ model: 'o3-mini-2025-01-31', messages: MESSAGES });
    expect(o3.model).toBe('simulator:o3-mini-2025-01-31');
    // o3-mini thinks, as o1 does: hidden reasoning billed as output.
    expect(o3.usage?.completion_tokens_details?.reasoning_tokens).toBeGreaterThan(0);
    simulator.retireModels(['gpt-4o-2024-08-06']);
  });
});

describe('what reasoning models reject', () => {
  it('lists o3-mini among its models', async () => {
    const ids = (await client.models.list()).data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['o3-mini-2025-01-31', 'o3-mini']));
  });

  it.each(['o1-2024-12-17', 'o3-2025-04-16', 'o4-mini-2025-04-16', 'o3-mini-2025-01-31'])(
    '%s rejects logprobs with 400 unsupported_parameter',
    async (model) => {
      await expect(
        client.chat.completions.create({ model, messages: MESSAGES, logprobs: true }),
      ).rejects.toMatchObject({
        status: 400,
        param: 'logprobs',
        code: 'unsupported_parameter',
      });
      await expect(
        client.chat.completions.create({ model, messages: MESSAGES, top_logprobs: 3 }),
      ).rejects.toMatchObject({ status: 400, param: 'top_logprobs', code: 'unsupported_parameter' });
    },
  );

  it.each(['o3-mini-2025-01-31', 'o3-2025-04-16', 'o4-mini-2025-04-16'])(
    '%s rejects a temperature and max_tokens as o1 does',
    async (model) => {
      await expect(
        client.chat.completions.create({ model, messages: MESSAGES, temperature: 0 }),
      ).rejects.toMatchObject({
        status: 400,
        param: 'temperature',
      });
      await expect(
        client.chat.completions.create({ model, messages: MESSAGES, max_tokens: 100 }),
      ).rejects.toMatchObject({
        status: 400,
        param: 'max_tokens',
      });
    },
  );

  it('a chat model takes logprobs', async () => {
    const completion = await client.chat.completions.create({
      model: 'gpt-4o-mini-2024-07-18',
      messages: MESSAGES,
      logprobs: true,
      top_logprobs: 2,
    });
    expect(completion.choices[0].finish_reason).toBe('stop');
  });
});

describe('the keys it received', () => {
  it('records the Authorization header of each request, with recordRequests', async () => {
    const own = await startSimulator({ port: 0, recordRequests: true });
    const other = await startSimulator({ port: 0 });
    try {
      const keyed = new OpenAI({ apiKey: 'sk-recorded-1', baseURL: own.url, maxRetries: 0 });
      await keyed.chat.completions.create({ model: 'gpt-4o-mini', messages: MESSAGES });
      await keyed.models.list();
      expect(own.receivedAuth()).toEqual(['Bearer sk-recorded-1', 'Bearer sk-recorded-1']);

      await new OpenAI({ apiKey: 'sk-not-recorded', baseURL: other.url }).models.list();
      expect(other.receivedAuth()).toEqual([]);
    } finally {
      await own.close();
      await other.close();
    }
  });

  it("serves Azure OpenAI's deployment path, which needs an api-version, and records its api-key", async () => {
    const azure = await startSimulator({ port: 0, recordRequests: true });
    try {
      const endpoint = new URL(azure.url).origin;
      const client = new AzureOpenAI({
        endpoint,
        baseURL: null,
        apiKey: 'azure-recorded-1',
        apiVersion: '2024-10-21',
        maxRetries: 0,
      });
      const completion = await client.chat.completions.create({ model: 'docket-mini', messages: MESSAGES });
      expect(completion.model).toBe('simulator:docket-mini');
      expect(azure.receivedAuth()).toEqual(['azure-recorded-1']);

      const withoutVersion = await fetch(`${endpoint}/openai/deployments/docket-mini/chat/completions`, {
        method: 'POST',
        headers: { 'api-key': 'azure-recorded-1', 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'docket-mini', messages: MESSAGES }),
      });
      expect(withoutVersion.status).toBe(404);
    } finally {
      await azure.close();
    }
  });
});
