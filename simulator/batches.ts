/**
 * OpenAI's Batch API for chat completions, kept in memory: a batch is `in_progress` for the simulator's
 * `completesAfterMs`, then meets the fate it was created with. A completed batch answers each line as a live
 * `POST /v1/chat/completions` with the same body is answered (`answerChat`), with no fault and no latency:
 * the answers are worked out the first time the batch is looked at after it is due.
 */
import { randomBytes } from 'node:crypto';
import type { FileObject } from 'openai/resources/files';
import { z } from 'zod';
import { BATCH_ENDPOINT, readBatchInput, type BatchRequestLine } from './batch-input';
import { answerChat, requestId } from './chat';
import { invalidRequest, openAiError, type OpenAiError } from './protocol';
import { derivedId } from './request-hash';
import type { BatchObject, SimulatorState, StoredBatch } from './state';

/** OpenAI's only completion window. */
const WINDOW_SECONDS = 24 * 60 * 60;

const BatchCreate = z.looseObject({
  input_file_id: z.string().min(1),
  endpoint: z.literal(BATCH_ENDPOINT, `the simulator batches only ${BATCH_ENDPOINT}`),
  completion_window: z.literal('24h', "the only completion window is '24h'"),
  metadata: z
    .record(z.string().max(64), z.string().max(512))
    .refine((metadata) => Object.keys(metadata).length <= 16, 'at most 16 keys')
    .nullish(),
});

/** Keeps an uploaded batch input file, or answers the 400 for what is wrong with it. */
export function storeUpload(
  state: SimulatorState,
  upload: { filename: string; content: Buffer },
): { file: FileObject; requests: number } | OpenAiError {
  const requests = readBatchInput(upload.content);
  if (!Array.isArray(requests)) return requests;
  const file = storeFile(state, upload.filename, 'batch', upload.content, requests);
  return { file, requests: requests.length };
}

export function findFile(state: SimulatorState, id: string): { content: Buffer } | OpenAiError {
  return state.files.get(id) ?? noSuchFile(id, 'id');
}

/** Starts a batch over an uploaded file, meeting the fate the simulator's current settings give it. */
export function createBatch(state: SimulatorState, body: unknown): StoredBatch | OpenAiError {
  const parsed = BatchCreate.safeParse(body, { reportInput: true });
  if (!parsed.success) return invalidRequest(parsed.error);
  const params = parsed.data;
  const input = state.files.get(params.input_file_id);
  if (!input) return noSuchFile(params.input_file_id, 'input_file_id');
  if (input.requests === null) {
    return openAiError(
      400,
      'invalid_request_error',
      `File ${params.input_file_id} has purpose '${input.file.purpose}'; a batch reads a file uploaded with purpose 'batch'.`,
      'input_file_id',
      'invalid_value',
    );
  }
  const now = Date.now();
  const createdAt = seconds(now);
  const stored: StoredBatch = {
    batch: {
      id: `batch_sim_${randomId()}`,
      object: 'batch',
      endpoint: params.endpoint,
      input_file_id: params.input_file_id,
      completion_window: params.completion_window,
      status: 'in_progress',
      output_file_id: null,
      error_file_id: null,
      errors: null,
      created_at: createdAt,
      in_progress_at: createdAt,
      expires_at: createdAt + WINDOW_SECONDS,
      finalizing_at: null,
      completed_at: null,
      failed_at: null,
      expired_at: null,
      cancelling_at: null,
      cancelled_at: null,
      request_counts: { total: input.requests.length, completed: 0, failed: 0 },
      metadata: params.metadata ?? null,
    },
    fate: state.batchSettings.fate,
    dueAt: now + state.batchSettings.completesAfterMs,
  };
  state.batches.set(stored.batch.id, stored);
  return stored;
}

export function findBatch(state: SimulatorState, id: string): StoredBatch | OpenAiError {
  return (
    state.batches.get(id) ??
    openAiError(404, 'invalid_request_error', `No batch found with id '${id}'.`, 'batch_id', null)
  );
}

/** Once the batch is due, gives it its fate; true if it ended just now. */
export function settle(state: SimulatorState, stored: StoredBatch, now = Date.now()): boolean {
  const { batch } = stored;
  if (batch.status !== 'in_progress' || now < stored.dueAt) return false;
  const at = seconds(now);
  if (stored.fate === 'expire') {
    Object.assign(batch, { status: 'expired', expired_at: at });
  } else if (stored.fate === 'fail') {
    Object.assign(batch, {
      status: 'failed',
      failed_at: at,
      errors: {
        object: 'list',
        data: [
          {
            code: 'simulated_failure',
            message: 'The batch failed (simulated by docket-simulator).',
            line: null,
            param: null,
          },
        ],
      },
    });
  } else {
    const answered = answerLines(state, batch.id, state.files.get(batch.input_file_id)?.requests ?? []);
    Object.assign(batch, {
      status: 'completed',
      finalizing_at: at,
      completed_at: at,
      output_file_id: storeResults(state, batch.id, 'output', answered.output),
      error_file_id: storeResults(state, batch.id, 'error', answered.errors),
      request_counts: {
        total: answered.output.length + answered.errors.length,
        completed: answered.output.length,
        failed: answered.errors.length,
      },
    });
  }
  return true;
}

/** Cancels a batch still in progress; it answers no line. */
export function cancel(state: SimulatorState, stored: StoredBatch): BatchObject | OpenAiError {
  settle(state, stored);
  const { batch } = stored;
  if (batch.status === 'cancelled') return batch;
  if (batch.status !== 'in_progress') {
    return openAiError(
      400,
      'invalid_request_error',
      `Cannot cancel a batch with status '${batch.status}'.`,
      null,
      null,
    );
  }
  const at = seconds(Date.now());
  Object.assign(batch, { status: 'cancelled', cancelling_at: at, cancelled_at: at });
  return batch;
}

/** Each line answered as a live request with its body would be: the 200s, and the errors, as JSON lines. */
function answerLines(
  state: SimulatorState,
  batchId: string,
  requests: readonly BatchRequestLine[],
): { output: string[]; errors: string[] } {
  const output: string[] = [];
  const errors: string[] = [];
  for (const { customId, body } of requests) {
    state.received?.push(body);
    const reply = answerChat(state, body, null);
    const line = JSON.stringify({
      id: `batch_req_${derivedId(batchId, customId)}`,
      custom_id: customId,
      response: { status_code: reply.status, request_id: requestId(body), body: reply.body },
      error: null,
    });
    (reply.status === 200 ? output : errors).push(line);
  }
  return { output, errors };
}

function storeResults(
  state: SimulatorState,
  batchId: string,
  kind: 'output' | 'error',
  lines: string[],
): string | null {
  if (lines.length === 0) return null;
  const content = Buffer.from(lines.map((line) => `${line}\n`).join(''));
  return storeFile(state, `${batchId}_${kind}.jsonl`, 'batch_output', content, null).id;
}

function storeFile(
  state: SimulatorState,
  filename: string,
  purpose: 'batch' | 'batch_output',
  content: Buffer,
  requests: readonly BatchRequestLine[] | null,
): FileObject {
  const file: FileObject = {
    id: `file-sim-${randomId()}`,
    object: 'file',
    bytes: content.length,
    created_at: seconds(Date.now()),
    filename,
    purpose,
    status: 'processed',
  };
  state.files.set(file.id, { file, content, requests });
  return file;
}

function noSuchFile(id: string, param: string): OpenAiError {
  return openAiError(404, 'invalid_request_error', `No such File object: ${id}`, param, null);
}

function randomId(): string {
  return randomBytes(12).toString('hex');
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
