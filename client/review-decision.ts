import { createHash } from 'node:crypto';
import {
  ApplicationFailure,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
  type Client,
} from '@temporalio/client';
import { canonicalJson } from '../audit';
import { ReviewDecision, type ReviewRecord } from '../domain';
import { INVALID_DECISION, REVIEW_NOT_PENDING, decideReviewUpdate } from '../workflows';

/** How long a decision may wait for a worker to take it. */
const DECISION_TIMEOUT_MS = 10_000;

/** Why the workflow did not take a decision; the API maps the kind to 409, 400 or 503. */
export class DecisionRefusedError extends Error {
  override readonly name = 'DecisionRefusedError';
  constructor(
    readonly kind: 'not_pending' | 'invalid' | 'ended' | 'no_worker',
    message: string,
    readonly details?: { pendingReviewId?: string | null; issues?: unknown },
  ) {
    super(message);
  }
}

/**
 * Sends a decision through the `decideReview` update: the workflow's validator decides whether it fits
 * the pending review. `idempotencyKey` makes it idempotent: the same key with the same decision answers
 * with the same record, even after the workflow moved on; the same key with another decision (or another
 * reviewer) is another request, judged on its own. So the update id is the key and a digest of the
 * decision: Temporal answers a known update id with that update's outcome, which must never be passed off
 * as the outcome of a different decision.
 */
export async function decideReview(
  client: Client,
  run: { workflowId: string; runId: string },
  decision: ReviewDecision,
  idempotencyKey: string,
): Promise<ReviewRecord> {
  const updateId = `${idempotencyKey}.${decisionDigest(decision)}`;
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
  return recorded;
}

/**
 * A digest of what the decision says, as the workflow will read it (its schema, then JSON, as payloads
 * travel; object keys in any order): equal for a retry of the same request, different for any other.
 */
function decisionDigest(decision: ReviewDecision): string {
  const parsed = ReviewDecision.safeParse(decision);
  // A decision the schema refuses is refused by the validator too, whatever its update id.
  const normal: unknown = JSON.parse(JSON.stringify(parsed.success ? parsed.data : decision));
  return createHash('sha256').update(canonicalJson(normal)).digest('base64url').slice(0, 22);
}
