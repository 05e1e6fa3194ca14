/**
 * OpenAI's Files and Batch API as the simulator plays it, through the real `openai` client: a batch of chat
 * requests is in progress for a while, then each line is answered as the same live request would be, and
 * lands in the output file or, if that request would have failed, in the error file.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import OpenAI, { toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { startSimulator, type RunningSimulator } from '../../simulator';
import {
  CLEAR_INTAKE,
  FAST_MODEL,
  VAGUE_INTAKE,
  classificationRequest,
  openaiClient,
} from './agent-requests';

const RETIRED = 'gpt-4o-2024-08-06';

let simulator: RunningSimulator;
let client: OpenAI;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true });
  client = openaiClient(simulator);
});
afterAll(async () => {
  await simulator.close();
});
afterEach(() => {
  simulator.setBatches({ fate: 'complete', completesAfterMs: 0 });
  simulator.retireModels([]);
});

interface Line {
  custom_id: string;
  method: string;
  url: string;
  body: Record<string, unknown>;
}

interface ResultLine {
  id: string;
  custom_id: string;
  response: { status_code: number; request_id: string; body: unknown };
  error: null;
}

function line(customId: string, body: object): Line {
  return {
    custom_id: customId,
    method: 'POST',
    url: '/v1/chat/completions',
    body: JSON.parse(JSON.stringify(body)) as Record<string, unknown>,
  };
}

function jsonl(lines: readonly object[]): string {
  return lines.map((entry) => JSON.stringify(entry)).join('\n') + '\n';
}

async function upload(text: string, purpose: 'batch' | 'fine-tune' = 'batch') {
  return client.files.create({ file: await toFile(Buffer.from(text), 'batch.jsonl'), purpose });
}

async function startBatch(lines: readonly Line[]): Promise<Batch> {
  const file = await upload(jsonl(lines));
  return client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
}

async function readLines(fileId: string | null | undefined): Promise<ResultLine[]> {
  if (!fileId) throw new Error('the batch wrote no such file');
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter(Boolean)
    .map((entry) => JSON.parse(entry) as ResultLine);
}

/** What the live route answers for the same body: status, body and request id. */
async function live(body: Record<string, unknown>) {
  const response = await fetch(`${simulator.url}/chat/completions`, {
    method: 'POST',
    headers: { authorization: 'Bearer sk-live', 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    requestId: response.headers.get('x-request-id'),
    body: (await response.json()) as unknown,
  };
}

const MESSAGES = [{ role: 'user' as const, content: 'Please confirm you received this.' }];

describe('a batch that completes', () => {
  it('stays in progress until it is due, then answers every line as the live route answers it', async () => {
    simulator.setBatches({ completesAfterMs: 300 });
    const lines = [
      line('clear-intake', classificationRequest(CLEAR_INTAKE)),
      line('vague-intake', classificationRequest(VAGUE_INTAKE)),
      line('plain', { model: FAST_MODEL, messages: MESSAGES }),
    ];
    const text = jsonl(lines);
    const file = await upload(text);
    expect(file).toMatchObject({
      object: 'file',
      bytes: Buffer.byteLength(text),
      filename: 'batch.jsonl',
      purpose: 'batch',
      status: 'processed',
    });
    expect(file.id).toMatch(/^file-sim-/);
    expect(await (await client.files.content(file.id)).text()).toBe(text);
    const batchesBefore = simulator.batches();
    const receivedBefore = simulator.received().length;

    const created = await client.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { matter: 'batch-test' },
    });
    const early = await client.batches.retrieve(created.id);

    expect(created.id).toMatch(/^batch_sim_/);
    expect(simulator.batches()).toBe(batchesBefore + 1);
    expect(created).toMatchObject({
      object: 'batch',
      endpoint: '/v1/chat/completions',
      input_file_id: file.id,
      completion_window: '24h',
      status: 'in_progress',
      output_file_id: null,
      error_file_id: null,
      errors: null,
      completed_at: null,
      request_counts: { total: 3, completed: 0, failed: 0 },
      metadata: { matter: 'batch-test' },
    });
    expect(created.expires_at).toBe(created.created_at + 24 * 60 * 60);
    expect(early.status).toBe('in_progress');
    expect(simulator.received()).toHaveLength(receivedBefore);

    await sleep(350);
    const done = await client.batches.retrieve(created.id);

    expect(done).toMatchObject({
      status: 'completed',
      error_file_id: null,
      request_counts: { total: 3, completed: 3, failed: 0 },
    });
    expect(done.completed_at).toBeGreaterThanOrEqual(created.created_at);
    // Each line's body is recorded as a live request's is, in the file's order.
    expect(simulator.received().slice(receivedBefore)).toEqual(lines.map((entry) => entry.body));

    const output = await readLines(done.output_file_id);
    expect(output.map((result) => result.custom_id)).toEqual(['clear-intake', 'vague-intake', 'plain']);
    for (const [i, result] of output.entries()) {
      const same = await live(lines[i].body);
      expect(same.status).toBe(200);
      expect(result.id).toMatch(/^batch_req_/);
      expect(result.error).toBeNull();
      expect(result.response).toEqual({ status_code: 200, request_id: same.requestId, body: same.body });
    }
    // The classifications are real answers, not placeholders: the clear intake is a personal injury.
    const clear = output[0].response.body as OpenAI.ChatCompletion;
    expect(JSON.parse(clear.choices[0].message.content ?? '{}')).toMatchObject({
      matterType: 'personal_injury',
    });
  });

  it("answers with the simulator's knobs as they stand when it ends, as the live route does", async () => {
    const lines = [line('leaky', classificationRequest(CLEAR_INTAKE))];
    const batch = await startBatch(lines);
    simulator.leak('LEAKED-TEXT');
    try {
      const [result] = await readLines((await client.batches.retrieve(batch.id)).output_file_id);
      const same = await live(lines[0].body);
      const completion = result.response.body as OpenAI.ChatCompletion;

      expect(completion.choices[0].message.content).toContain('LEAKED-TEXT');
      expect(result.response.body).toEqual(same.body);
    } finally {
      simulator.leak(null);
    }
  });

  it("sends a retired model's line to the error file with 404 model_not_found, and draws no fault", async () => {
    simulator.retireModels([RETIRED]);
    simulator.queueFaults('500');
    const lines = [
      line('answered', { model: FAST_MODEL, messages: MESSAGES }),
      line('retired', { model: RETIRED, messages: MESSAGES }),
      line('rejected', { model: 'o1-2024-12-17', messages: MESSAGES, temperature: 0.3 }),
    ];
    const batch = await startBatch(lines);

    const done = await client.batches.retrieve(batch.id);

    expect(done).toMatchObject({
      status: 'completed',
      request_counts: { total: 3, completed: 1, failed: 2 },
    });
    expect((await readLines(done.output_file_id)).map((result) => result.custom_id)).toEqual(['answered']);
    const errors = await readLines(done.error_file_id);
    expect(errors.map((result) => [result.custom_id, result.response.status_code])).toEqual([
      ['retired', 404],
      ['rejected', 400],
    ]);
    expect(errors[0].response.body).toEqual({
      error: {
        message: `The model \`${RETIRED}\` does not exist or you do not have access to it.`,
        type: 'invalid_request_error',
        param: null,
        code: 'model_not_found',
      },
    });
    // The queued fault was left for the next live request.
    expect((await live(lines[0].body)).status).toBe(500);
    expect(errors[1].response.body).toEqual((await live(lines[2].body)).body);
  });
});

describe('batches that do not complete', () => {
  it('expires with no output, as the settings at its creation said, whatever they say later', async () => {
    simulator.setBatches({ fate: 'expire', completesAfterMs: 150 });
    const batch = await startBatch([line('only', { model: FAST_MODEL, messages: MESSAGES })]);
    simulator.setBatches({ fate: 'complete', completesAfterMs: 0 });
    const receivedBefore = simulator.received().length;

    expect((await client.batches.retrieve(batch.id)).status).toBe('in_progress');
    await sleep(200);
    const done = await client.batches.retrieve(batch.id);

    expect(done).toMatchObject({
      status: 'expired',
      output_file_id: null,
      error_file_id: null,
      completed_at: null,
      request_counts: { total: 1, completed: 0, failed: 0 },
    });
    expect(done.expired_at).toBeGreaterThanOrEqual(batch.created_at);
    expect(simulator.received()).toHaveLength(receivedBefore);
  });

  it('fails with an error saying so', async () => {
    simulator.setBatches({ fate: 'fail' });
    const batch = await startBatch([line('only', { model: FAST_MODEL, messages: MESSAGES })]);

    const done = await client.batches.retrieve(batch.id);

    expect(done).toMatchObject({ status: 'failed', output_file_id: null, error_file_id: null });
    expect(done.failed_at).toBeGreaterThanOrEqual(batch.created_at);
    expect(done.errors?.data).toEqual([
      expect.objectContaining({ code: 'simulated_failure', line: null, param: null }),
    ]);
  });

  it('is cancelled while in progress, and a finished one cannot be', async () => {
    simulator.setBatches({ completesAfterMs: 60_000 });
    const waiting = await startBatch([line('only', { model: FAST_MODEL, messages: MESSAGES })]);
    simulator.setBatches({ completesAfterMs: 0 });
    const finished = await startBatch([line('only', { model: FAST_MODEL, messages: MESSAGES })]);

    const cancelled = await client.batches.cancel(waiting.id);

    expect(cancelled).toMatchObject({ status: 'cancelled', output_file_id: null });
    expect((await client.batches.retrieve(waiting.id)).status).toBe('cancelled');
    await expect(client.batches.cancel(finished.id)).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining("status 'completed'"),
    });
  });
});

describe('what it refuses', () => {
  const ok = line('first', { model: FAST_MODEL, messages: MESSAGES });

  it.each([
    [
      'a line that is not JSON',
      `${JSON.stringify(ok)}\n{"custom_id": "second",`,
      'invalid_json_line',
      /Line 2/,
    ],
    [
      'a line with no custom_id',
      jsonl([{ ...ok, custom_id: undefined }]),
      'missing_required_parameter',
      /custom_id/,
    ],
    ['a line with no body', jsonl([{ ...ok, body: undefined }]), 'missing_required_parameter', /'body'/],
    ['a line with no url', jsonl([{ ...ok, url: undefined }]), 'missing_required_parameter', /'url'/],
    [
      'a line with no method',
      jsonl([{ ...ok, method: undefined }]),
      'missing_required_parameter',
      /'method'/,
    ],
    [
      'another endpoint',
      jsonl([ok, { ...ok, custom_id: 'e', url: '/v1/embeddings' }]),
      'invalid_url',
      /Line 2.*embeddings/,
    ],
    ['a repeated custom_id', jsonl([ok, ok]), 'duplicate_custom_id', /Line 2.*"first".*line 1/],
    ['an empty file', '\n', 'empty_file', /no requests/],
  ])('refuses an upload with %s', async (_what, text, code, message) => {
    const error = await upload(text).catch((err: unknown) => err);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error).toMatchObject({
      status: 400,
      code,
      param: 'file',
      message: expect.stringMatching(message),
    });
  });

  it('refuses a purpose other than batch, and an upload with no file', async () => {
    await expect(upload(jsonl([ok]), 'fine-tune')).rejects.toMatchObject({
      status: 400,
      param: 'purpose',
      code: 'invalid_value',
    });
    const form = new FormData();
    form.set('purpose', 'batch');
    const response = await fetch(`${simulator.url}/files`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-live' },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      error: { param: 'file', code: 'missing_required_parameter', type: 'invalid_request_error' },
    });
  });

  it('refuses a batch for another endpoint or window, or over a file that is not a batch input', async () => {
    const file = await upload(jsonl([ok]));
    const create = (params: Record<string, unknown>) =>
      client.batches.create({
        input_file_id: file.id,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
        ...params,
      } as OpenAI.Batches.BatchCreateParams);
    const done = await client.batches.retrieve((await create({})).id);

    await expect(create({ endpoint: '/v1/embeddings' })).rejects.toMatchObject({
      status: 400,
      param: 'endpoint',
    });
    await expect(create({ completion_window: '48h' })).rejects.toMatchObject({
      status: 400,
      param: 'completion_window',
    });
    await expect(create({ input_file_id: done.output_file_id })).rejects.toMatchObject({
      status: 400,
      param: 'input_file_id',
    });
  });

  it('answers 404 for ids it does not know', async () => {
    await expect(client.batches.retrieve('batch_sim_unknown')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.batches.cancel('batch_sim_unknown')).rejects.toMatchObject({ status: 404 });
    await expect(client.files.content('file-sim-unknown')).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(
      client.batches.create({
        input_file_id: 'file-sim-unknown',
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      }),
    ).rejects.toMatchObject({ status: 404, param: 'input_file_id' });
  });
});
