/** Schemas and types of Docket's business concepts, shared by the API, the workflows and the tests. */
export {
  ExternalId,
  IntakeRequest,
  LEGAL_INTAKE_REST_NAME,
  RequestMetadata,
  legalIntakeWorkflowId,
  senderAddress,
  senderName,
} from './intake';
export { DecisionKind, ReviewDecision, ReviewDecisionBody, SLA_REVIEWER, SlaAction } from './review';
export {
  ComputedConfidence,
  ConfidenceCheck,
  ENGINE_REASON_CODES,
  REASON_CODE_DESCRIPTION,
  REASON_CODE_PATTERN,
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
  initialStatusBase,
  workflowStatusSchema,
} from './status';
export { AGENT_TIERS } from './agent';
export type { CascadeRung, ClimbReason, ClimbRules, RungCall } from './cascade';
export type { EngineReasonCode, GateReasonOf } from './status';
export type { AgentDefinition, AgentTier, Scored, ToolContext, ToolSpec } from './agent';
export { addMonths, daysBetween, isCalendarDate } from './dates';
export { DocketEvent, DocketEventType } from './events';
export { lazySchema } from './lazy-schema';
export { Jurisdiction, MatterType, Urgency } from './matter';
export { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_PATTERN, workflowIdOf } from './workflow-definition';
export type { WorkflowDefinition, WorkflowStatusBase } from './workflow-definition';
export { WorkflowDefinitionError, WorkflowRegistry } from './workflow-registry';
export type { AnyWorkflowDefinition, ResolvedWorkflowId } from './workflow-registry';
