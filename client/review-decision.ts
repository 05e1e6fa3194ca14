import { isDeepStrictEqual } from 'node:util';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { ReviewDecision, type ReviewRecord } from '../domain';
import { INVALID_DECISION, REVIEW_NOT_PENDING, decideReviewUpdate } from '../workflows/messages';

/** How long a decision may wait for a worker to take it. */
const DECISION_TIMEOUT_MS = 10_000;

/** Why the workflow did not take a decision; the API maps the kind to 409, 400 or 503. */
export class DecisionRefusedError extends Error {
  override readonly name = 'DecisionRefusedError';
  constructor(
    readonly kind: 'not_pending' | 'invalid' | 'ended' | 'no_worker' | 'key_reused',
    message: string,
    readonly details?: { pendingReviewId?: string | null; issues?: unknown },
  ) {
    super(message);
  }
}

/**
 * Sends a decision through the `decideReview` update: the workflow's validator decides whether it fits
 * the pending review. `updateId` makes it idempotent: the same id again answers with the same record;
 * the same id with a different decision is refused (`key_reused`), since Temporal would answer it with
 * the first decision's record.
 */
export async function decideReview(
  client: Client,
  run: { workflowId: string; runId: string },
  decision: ReviewDecision,
  updateId: string,
): Promise<ReviewRecord> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  let recorded: ReviewRecord;
  try {
    recorded = await client.withDeadline(Date.now() + DECISION_TIMEOUT_MS, () =>
      handle.executeUpdate(decideReviewUpdate, { args: [decision], updateId }),
    );
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
      const [details] = (err.cause.details ?? []) as Array<{
        pendingReviewId?: string | null;
        issues?: unknown;
      }>;
      if (err.cause.type === REVIEW_NOT_PENDING) {
        throw new DecisionRefusedError('not_pending', err.cause.message, details);
      }
      if (err.cause.type === INVALID_DECISION) {
        throw new DecisionRefusedError('invalid', err.cause.message, details);
      }
    }
    if (err instanceof WorkflowNotFoundError) {
      throw new DecisionRefusedError('ended', 'the workflow has ended: nothing waits for a decision');
    }
    if (err instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
      throw new DecisionRefusedError('no_worker', 'no worker took the decision in time; try again');
    }
    throw err;
  }
  // Temporal answers a known update id with that update's outcome, whatever this call asked for.
  if (!recordsDecision(recorded, decision)) {
    throw new DecisionRefusedError(
      'key_reused',
      `update id ${updateId} already recorded another decision (${recorded.decision} of ${recorded.id} by ` +
        `${recorded.reviewer}); use a new id for a new decision`,
    );
  }
  return recorded;
}

/**
 * True when `recorded` is what `decision` would have recorded. The decision is normalised as the workflow
 * normalises it (its schema, then JSON, as payloads travel), so only a real difference counts.
 */
function recordsDecision(recorded: ReviewRecord, decision: ReviewDecision): boolean {
  const asked = ReviewDecision.safeParse(decision);
  if (!asked.success) return false;
  const { reviewId, reviewer, comment, corrections } = asked.data;
  const wanted = {
    id: reviewId,
    decision: asked.data.decision,
    reviewer,
    comment: comment ?? null,
    corrections: corrections ?? null,
  };
  const got = {
    id: recorded.id,
    decision: recorded.decision,
    reviewer: recorded.reviewer,
    comment: recorded.comment,
    corrections: recorded.corrections,
  };
  return isDeepStrictEqual(JSON.parse(JSON.stringify(wanted)), got);
}
