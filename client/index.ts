/** Starting and reading Docket workflows from outside Temporal: used by the API, scripts, bench and tests. */
export { startWorkflowRun, type RunStarter, type StartOptions, type StartedRun } from './start-workflow';
export { isTemporalUnavailable, temporalAnswers, unreachableTemporal } from './unreachable';
export { connectClient } from './connect';
export { reviewsPendingFromVisibility } from './reviews-pending';
export {
  QueryTimeoutError,
  RunNotFoundError,
  coarseStatus,
  describeRun,
  queryRun,
  queryStatus,
  readStatus,
  workflowExists,
  type DescribedRun,
  type RunStatus,
} from './run-status';
export { DecisionRefusedError, decideReview } from './review-decision';
export {
  InvalidCursorError,
  QueueCursor,
  QueueStatus,
  listReviewQueue,
  queueQuery,
  reviewQueueCounts,
  type QueueCounts,
  type QueueFilter,
  type QueueItem,
  type QueuePage,
  type QueueScope,
} from './review-queue';

/**
 * What api/ needs of the workflows' contract and the SDK's client type, so that it imports neither: api/
 * reaches Temporal through client/ only (.dependency-cruiser.cjs, rule api-not-temporal).
 */
export type { Client } from '@temporalio/client';
export { LegalIntakeStatus, intakeQuery } from '../workflows';
