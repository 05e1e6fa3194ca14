/** Schemas and types of Docket's business concepts, shared by the API, the workflows and the tests. */
export { IntakeRequest, legalIntakeWorkflowId } from './intake';
export { DecisionKind, ReviewDecision, ReviewDecisionBody } from './review';
export type { GateReason, GateReasonCode } from './review';
export { initialLegalIntakeStatus } from './status';
export type {
  LegalIntakeStatus,
  PendingReview,
  ReviewRecord,
  ReviewStage,
  Stage,
  UsageTotals,
  WorkflowStatus,
} from './status';
