/**
 * What every eval run does whatever its workflow type: the stack (stack.ts) started for the run and closed
 * after it, items in flight a few at a time with progress item by item, a stop when aborted or when the
 * worker stops, and the wait for one run to settle (with a pending review decided by the caller, or taken as
 * where the run settles). Each type's runner (run.ts, clinical/run.ts) says how an item starts and is read.
 */
import { randomBytes } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import type { DocketConfig } from '../config';
import type { PendingReview, WorkflowStatusBase } from '../domain';
import { statusQuery } from '../workflows';
import { startEvalStack, type EvalStack, type EvalStackOptions } from './stack';

export interface EvalRunOptions<Item = unknown> extends EvalStackOptions {
  /** Items in flight at once; default 4. */
  concurrency?: number;
  /** An item still running after this long is terminated and counted as failed; default 10 minutes. */
  itemTimeoutMs?: number;
  onProgress?: (progress: EvalProgress<Item>) => void;
  /** Aborting stops starting items and ends the run with an AbortError once the stack is down. */
  signal?: AbortSignal;
}

/** What every evaluated item says, whatever its type. */
export interface SettledItem {
  /** The run asked a person at least once. */
  escalated: boolean;
  error?: string;
}

export interface EvalProgress<Item = unknown> {
  done: number;
  total: number;
  escalated: number;
  failed: number;
  elapsedMs: number;
  /** The item just finished. */
  item: Item;
}

/** What an item's evaluation is given: the stack, the run's id (part of each externalId), when to give up. */
export interface ItemContext {
  stack: EvalStack;
  runId: string;
  signal: AbortSignal;
  deadline: number;
}

export interface StackRunResult<Item> {
  /** In the order given. */
  items: Item[];
  /** ISO time the run started. */
  generatedAt: string;
  config: DocketConfig;
  simulator: boolean;
  wallMs: number;
}

/** Starts the stack, evaluates every item on it (at most `concurrency` at once), and closes it. */
export async function runOnStack<Input, Item extends SettledItem>(
  inputs: readonly Input[],
  options: EvalRunOptions<Item>,
  evaluate: (input: Input, context: ItemContext) => Promise<Item>,
): Promise<StackRunResult<Item>> {
  const started = performance.now();
  const runId = randomBytes(4).toString('hex');
  const generatedAt = new Date().toISOString();
  const stack = await startEvalStack(runId, options);
  const stop = new AbortController();
  const signal = AbortSignal.any([stop.signal, ...(options.signal ? [options.signal] : [])]);
  stack.workerStopped.catch((err: unknown) => stop.abort(err));
  try {
    let done = 0;
    let escalated = 0;
    let failed = 0;
    const items = await pool(inputs, Math.max(1, options.concurrency ?? 4), async (input) => {
      signal.throwIfAborted();
      const deadline = Date.now() + (options.itemTimeoutMs ?? 600_000);
      const item = await evaluate(input, { stack, runId, signal, deadline });
      done += 1;
      if (item.escalated) escalated += 1;
      if (item.error !== undefined) failed += 1;
      const elapsedMs = performance.now() - started;
      options.onProgress?.({ done, total: inputs.length, escalated, failed, elapsedMs, item });
      return item;
    });
    return {
      items,
      generatedAt,
      config: stack.config,
      simulator: stack.simulator,
      wallMs: performance.now() - started,
    };
  } finally {
    await stack.close();
  }
}

/** Each tier's models in the order the gateway tries them, as reports name them. */
export function tierModels(config: DocketConfig): Record<string, string> {
  return Object.fromEntries(
    Object.entries(config.models).map(([tier, entries]) => [tier, entries.map((m) => m.model).join(' → ')]),
  );
}

/** `fn` over `items`, at most `concurrency` at once; results in input order. */
async function pool<T, R>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  });
  await Promise.all(lanes);
  return results;
}

/** The eval stopped waiting for a run: too slow, or its workflow task keeps failing. */
export class GaveUpError extends Error {
  override readonly name = 'GaveUpError';
}

export interface SettleOptions<Status> {
  deadline: number;
  signal: AbortSignal;
  /**
   * Decides a pending review, then the wait goes on. Without it a run settles when it waits for a person,
   * and the status is returned as it is then.
   */
  onReview?: (review: PendingReview, status: Status) => Promise<void>;
}

const POLL_MS = 150;
const QUERY_TIMEOUT_MS = 10_000;
/** A workflow task that failed this many times in a row is not going to pass: the workflow code is broken. */
const STUCK_TASK_ATTEMPTS = 3;

/** The run's `status` query, typed as its type's status. */
export function queryStatus<Status extends WorkflowStatusBase>(
  stack: Pick<EvalStack, 'client'>,
  handle: WorkflowHandle,
): Promise<Status> {
  return stack.client.withDeadline(
    Date.now() + QUERY_TIMEOUT_MS,
    () => handle.query(statusQuery) as Promise<Status>,
  );
}

/**
 * Waits until the run stops running (and, without `onReview`, until it waits for a person). Ends with the
 * status then; a closed run's once its workflow has closed. Throws a GaveUpError past the deadline or when
 * the workflow task keeps failing, and an Error when the run ended without ever answering.
 */
export async function waitUntilSettled<Status extends WorkflowStatusBase>(
  stack: EvalStack,
  run: { workflowId: string; runId: string },
  { deadline, signal, onReview }: SettleOptions<Status>,
): Promise<Status> {
  const handle = stack.client.workflow.getHandle(run.workflowId, run.runId);
  let lastError: unknown;
  for (;;) {
    signal.throwIfAborted();
    if (Date.now() > deadline) {
      const why = lastError ? ` (last status query error: ${String(lastError)})` : '';
      throw new GaveUpError(`did not finish within the item timeout${why}`);
    }
    let status: Status | undefined;
    try {
      status = await queryStatus<Status>(stack, handle);
    } catch (err) {
      // Just started, or a worker busy elsewhere: ask again until the deadline, unless it cannot answer.
      lastError = err;
      const why = await whyNoStatus(stack, handle);
      if (why) throw why;
    }
    if (status?.status === 'awaiting_review' && status.review) {
      if (!onReview) return status;
      await onReview(status.review, status);
      continue;
    }
    if (status && status.status !== 'running' && status.status !== 'awaiting_review') {
      await handle.result().catch((err: unknown) => {
        if (!(err instanceof WorkflowFailedError)) throw err;
      });
      return status;
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * Ends a run of the eval's own (given up on, or settled waiting for a person nobody will be) and returns its
 * last status, so what it did and spent so far still counts.
 */
export async function terminateRun<Status extends WorkflowStatusBase>(
  stack: EvalStack,
  run: { workflowId: string; runId: string },
  reason: string,
): Promise<Status> {
  const handle = stack.client.workflow.getHandle(run.workflowId, run.runId);
  await handle.terminate(`eval: ${reason}`);
  return queryStatus<Status>(stack, handle);
}

/**
 * Why a run does not answer the status query when it will not start to: it ended before it could, or its
 * workflow task keeps failing (broken workflow code). Null when it may yet answer.
 */
async function whyNoStatus(stack: EvalStack, handle: WorkflowHandle): Promise<Error | null> {
  const description = await handle.describe();
  if (description.status.name !== 'RUNNING') {
    const failure = await handle.result().then(
      () => 'no failure recorded',
      (err: unknown) => (err instanceof WorkflowFailedError && err.cause ? err.cause.message : String(err)),
    );
    return new Error(
      `the workflow ended ${description.status.name.toLowerCase()} without a status: ${failure}`,
    );
  }
  const attempt = description.raw.pendingWorkflowTask?.attempt ?? 0;
  if (attempt < STUCK_TASK_ATTEMPTS) return null;
  return new GaveUpError(
    `its workflow task keeps failing (attempt ${attempt}): ${await lastTaskFailure(stack, handle)}`,
  );
}

/** The message of the run's last workflow task failure, decrypted (Docket encodes failure messages). */
async function lastTaskFailure(stack: EvalStack, handle: WorkflowHandle): Promise<string> {
  const events = (await handle.fetchHistory()).events ?? [];
  const failure = events.findLast((e) => e.workflowTaskFailedEventAttributes)
    ?.workflowTaskFailedEventAttributes?.failure;
  if (!failure) return 'no failure recorded';
  if (!failure.encodedAttributes) return failure.message ?? 'no message';
  const [plain] = await stack.codec.decode([failure.encodedAttributes]);
  const attributes = defaultPayloadConverter.fromPayload<{ message?: string }>(plain);
  return attributes.message ?? 'no message';
}
