/** Schemas and types of Docket's business concepts, shared by the API, the workflows and the tests. */
export { IntakeRequest, legalIntakeWorkflowId, senderAddress, senderName } from './intake';
export { DecisionKind, ReviewDecision, ReviewDecisionBody, SLA_REVIEWER, SlaAction } from './review';
export {
  ComputedConfidence,
  ConfidenceCheck,
  GateReason,
  GateReasonCode,
  GateResult,
  ModelUsage,
  PendingReview,
  RejectedDecision,
  ReviewRecord,
  ReviewState,
  Usage,
  UsageTotals,
  WorkflowStatus,
  addUsage,
  emptyTotals,
  emptyUsage,
  workflowStatusSchema,
} from './status';
export { addMonths, daysBetween, isCalendarDate } from './dates';
export { DocketEvent, DocketEventType } from './events';
