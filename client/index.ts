/** Starting and reading Docket workflows from outside Temporal: used by the API, scripts, bench and tests. */
export { legalIntakeSettings, startLegalIntake } from './legal-intake';
export type { StartedIntake } from './legal-intake';
export { unreachableTemporal } from './unreachable';
export { DecisionRefusedError, decideReview } from './review-decision';
export {
  InvalidCursorError,
  QueueStatus,
  listReviewQueue,
  queueQuery,
  reviewQueueCounts,
  type QueueCounts,
  type QueueFilter,
  type QueueItem,
  type QueuePage,
} from './review-queue';
