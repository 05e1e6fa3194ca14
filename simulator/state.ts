import type { Batch, BatchRequestCounts } from 'openai/resources/batches';
import type { FileObject } from 'openai/resources/files';
import type { BatchRequestLine } from './batch-input';
import type { FaultInjector } from './faults';
import type { PromptCache } from './prompt-cache';

/** What the running server changes as it goes: the test-facing knobs and counters. */
export interface SimulatorState {
  faults: FaultInjector;
  latencyMs: number;
  requests: number;
  /** Answers carry out instructions injected into the conversation (`obeyInjections`). */
  obeyInjections: boolean;
  /** Chat request bodies as received, batch lines included, kept only when a test asked (`recordRequests`). */
  received: unknown[] | null;
  /**
   * A model that repeats what it should not: this text is appended to the first text field of every
   * structured answer (`leak`). Null: answers as usual.
   */
  leakText: string | null;
  /** Models that answer 404 `model_not_found`, as OpenAI answers for a retired model (`retiredModels`). */
  retiredModels: ReadonlySet<string>;
  /** The Authorization and api-key header values received, kept only when a test asked (`recordRequests`). */
  receivedAuth: string[] | null;
  /** Prompt prefixes seen, for `cached_tokens` as OpenAI reports them; null: caching off (`promptCache`). */
  promptCache: PromptCache | null;
  /** Uploaded batch input files and the output and error files batches wrote, by id. */
  files: Map<string, StoredFile>;
  batches: Map<string, StoredBatch>;
  /** How the batches created from now on end (`batches`, `setBatches`). */
  batchSettings: BatchSettings;
}

/**
 * How a batch ends once `completesAfterMs` has passed since it was created: answered line by line
 * (`complete`), or left unanswered as OpenAI leaves a batch past its window (`expire`) or one it could not
 * run (`fail`).
 */
export type BatchFate = (typeof BATCH_FATES)[number];
export const BATCH_FATES = ['complete', 'expire', 'fail'] as const;

export interface BatchSettings {
  fate: BatchFate;
  completesAfterMs: number;
}

export interface StoredFile {
  file: FileObject;
  content: Buffer;
  /** An uploaded batch input's requests, checked when it was uploaded; null for the files batches write. */
  requests: readonly BatchRequestLine[] | null;
}

export interface StoredBatch {
  /** The batch as `GET /v1/batches/:id` answers it, changed in place as it ends. */
  batch: BatchObject;
  /** Settled at creation from `batchSettings`, so a later `setBatches` leaves this batch as it was. */
  fate: BatchFate;
  /** When (epoch milliseconds) it stops being `in_progress`. */
  dueAt: number;
}

/** OpenAI's Batch object as the API sends it: a time not reached yet, or a file not written, is null. */
export interface BatchObject {
  id: string;
  object: 'batch';
  endpoint: string;
  input_file_id: string;
  completion_window: string;
  status: Batch['status'];
  output_file_id: string | null;
  error_file_id: string | null;
  errors: {
    object: 'list';
    data: Array<{ code: string; message: string; line: number | null; param: string | null }>;
  } | null;
  created_at: number;
  in_progress_at: number | null;
  expires_at: number;
  finalizing_at: number | null;
  completed_at: number | null;
  failed_at: number | null;
  expired_at: number | null;
  cancelling_at: number | null;
  cancelled_at: number | null;
  request_counts: BatchRequestCounts;
  metadata: Record<string, string> | null;
}
