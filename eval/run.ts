/**
 * The eval runner behind `npm run eval`: every corpus item through the real pipeline (the legal-intake
 * workflow on Temporal, a Docket worker, PGlite with the demo directory, and the simulator unless a model
 * provider is configured: see stack.ts), every review approved so the later stages run too, and each run
 * turned into the `EvaluatedItem` that report.ts scores (see outcome.ts).
 */
import { randomBytes } from 'node:crypto';
import { WorkflowFailedError, type WorkflowHandle } from '@temporalio/client';
import { defaultPayloadConverter } from '@temporalio/common';
import { decideReview, startWorkflowRun } from '../client';
import { workflowRegistry } from '../workflows/registry';
import { IntakeRequest, LEGAL_INTAKE_REST_NAME } from '../domain';
import { legalIntakeStatusQuery, type LegalIntakeStatus } from '../workflows';
import type { CorpusItem } from './corpus';
import { describeRun, failedItem } from './outcome';
import type { EvaluatedItem, RunInfo } from './runner-output';
import { startEvalStack, type EvalStack, type EvalStackOptions } from './stack';

export interface EvalRunOptions extends EvalStackOptions {
  /** Items in flight at once; default 4. */
  concurrency?: number;
  /** An item still running after this long is terminated and counted as failed; default 10 minutes. */
  itemTimeoutMs?: number;
  onProgress?: (progress: EvalProgress) => void;
  /** Aborting stops starting items and ends the run with an AbortError once the stack is down. */
  signal?: AbortSignal;
}

export interface EvalProgress {
  done: number;
  total: number;
  escalated: number;
  failed: number;
  elapsedMs: number;
  /** The item just finished. */
  item: EvaluatedItem;
}

export interface EvalRunResult {
  /** In the order given. */
  items: EvaluatedItem[];
  run: Omit<RunInfo, 'corpusFiles'>;
  wallMs: number;
}

const POLL_MS = 150;
const REVIEWER = 'eval';

/** Runs every item through the pipeline and returns what report.ts scores. */
export async function runEvaluation(
  items: readonly CorpusItem[],
  options: EvalRunOptions = {},
): Promise<EvalRunResult> {
  const started = performance.now();
  const runId = randomBytes(4).toString('hex');
  const generatedAt = new Date().toISOString();
  const stack = await startEvalStack(runId, options);
  const stop = new AbortController();
  const signals = [stop.signal, ...(options.signal ? [options.signal] : [])];
  const signal = AbortSignal.any(signals);
  stack.workerStopped.catch((err: unknown) => stop.abort(err));
  try {
    let done = 0;
    let escalated = 0;
    let failed = 0;
    const evaluated = await pool(items, Math.max(1, options.concurrency ?? 4), async (item) => {
      signal.throwIfAborted();
      const result = await evaluateItem(stack, item, runId, signal, options.itemTimeoutMs ?? 600_000);
      done += 1;
      if (result.escalated) escalated += 1;
      if (result.error !== undefined) failed += 1;
      const elapsedMs = performance.now() - started;
      options.onProgress?.({ done, total: items.length, escalated, failed, elapsedMs, item: result });
      return result;
    });
    const { config } = stack;
    return {
      items: evaluated,
      run: {
        generatedAt,
        // Each tier's models in the order the gateway tries them.
        models: Object.fromEntries(
          Object.entries(config.models).map(([tier, entries]) => [
            tier,
            entries.map((m) => m.model).join(' → '),
          ]),
        ),
        simulator: stack.simulator,
        confidenceThresholds: {
          classifier: config.agents.classifier.confidenceThreshold,
          reasoner: config.agents.reasoner.confidenceThreshold,
          drafter: config.agents.drafter.confidenceThreshold,
        },
      },
      wallMs: performance.now() - started,
    };
  } finally {
    await stack.close();
  }
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

/** One item: start it, approve every review until it ends, describe the run. Failures become the item's error. */
async function evaluateItem(
  stack: EvalStack,
  item: CorpusItem,
  runId: string,
  signal: AbortSignal,
  timeoutMs: number,
): Promise<EvaluatedItem> {
  let run: { workflowId: string; runId: string } | null = null;
  try {
    const intake = IntakeRequest.parse({ ...item.intake, externalId: `eval-${runId}-${item.id}` });
    run = await startWorkflowRun(stack, workflowRegistry.byRestName(LEGAL_INTAKE_REST_NAME)!, intake);
    const status = await approveUntilDone(stack, run, Date.now() + timeoutMs, signal);
    const error =
      status.status === 'failed'
        ? `failed at ${lastStage(status)}: ${status.error ?? 'no message'}`
        : undefined;
    return await describeRun(stack, item, run, status, error);
  } catch (err) {
    if (signal.aborted) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (run && err instanceof GaveUpError) return giveUp(stack, item, run, message);
    return failedItem(item, message);
  }
}

/** The eval stopped waiting for a run: too slow, or its workflow task keeps failing. */
class GaveUpError extends Error {
  override readonly name = 'GaveUpError';
}

/** Ends a run the eval gave up on (it is the eval's own); what it did and spent so far still counts. */
async function giveUp(
  stack: EvalStack,
  item: CorpusItem,
  run: { workflowId: string; runId: string },
  message: string,
): Promise<EvaluatedItem> {
  const handle = stack.client.workflow.getHandle(run.workflowId, run.runId);
  try {
    await handle.terminate(`eval: ${message}`);
    return await describeRun(stack, item, run, await queryStatus(stack, handle), message);
  } catch (err) {
    return failedItem(item, `${message}; its status could not be read afterwards (${String(err)})`);
  }
}

const QUERY_TIMEOUT_MS = 10_000;
/** A workflow task that failed this many times in a row is not going to pass: the workflow code is broken. */
const STUCK_TASK_ATTEMPTS = 3;

function queryStatus(stack: EvalStack, handle: WorkflowHandle): Promise<LegalIntakeStatus> {
  return stack.client.withDeadline(Date.now() + QUERY_TIMEOUT_MS, () => handle.query(legalIntakeStatusQuery));
}

/**
 * Waits until the run stops running; a pending review is approved (or rejected when there is no output to
 * approve: a refusal, an invalid output), as a reviewer who agrees with the agents would. Ends with the
 * final status, once the workflow has closed.
 */
async function approveUntilDone(
  stack: EvalStack,
  run: { workflowId: string; runId: string },
  deadline: number,
  signal: AbortSignal,
): Promise<LegalIntakeStatus> {
  const handle = stack.client.workflow.getHandle(run.workflowId, run.runId);
  let lastError: unknown;
  for (;;) {
    signal.throwIfAborted();
    if (Date.now() > deadline) {
      const why = lastError ? ` (last status query error: ${String(lastError)})` : '';
      throw new GaveUpError(`did not finish within the item timeout${why}`);
    }
    let status: LegalIntakeStatus | undefined;
    try {
      status = await queryStatus(stack, handle);
    } catch (err) {
      // Just started, or a worker busy elsewhere: ask again until the deadline, unless it cannot answer.
      lastError = err;
      const why = await whyNoStatus(stack, handle);
      if (why) throw why;
    }
    if (status?.status === 'awaiting_review' && status.review) {
      const { review } = status;
      const approve = review.allowed.includes('approve');
      await decideReview(
        stack.client,
        run,
        {
          reviewId: review.id,
          decision: approve ? 'approve' : 'reject',
          reviewer: REVIEWER,
          comment: approve
            ? 'approved by the eval runner, so the later stages run and are scored'
            : 'no output to approve',
        },
        `eval-${review.id}`,
      );
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

function lastStage(status: LegalIntakeStatus): string {
  const results = status.results;
  if (results.draft) return 'file';
  if (results.assessment) return 'draft';
  if (results.classification) return 'reason';
  return status.usage.calls.length > 0 ? 'classify' : 'pseudonymize';
}
