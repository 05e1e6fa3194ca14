/**
 * What code outside workflows/ uses: the messages the workflows answer, the search attributes they keep,
 * the status schemas and the rules a client reads them with (DESIGN.md, Temporal contract). client/ reaches
 * the workflows through it. The workflow functions themselves are bundled by the worker from bundle.ts and
 * started by type name, so they are not exported here.
 */
export type { LegalIntakeInput, LegalIntakeSettings } from './legal-intake';
export {
  ConflictCheckRun,
  LegalIntakeChecks,
  LegalIntakeResults,
  LegalIntakeReviewStage,
  LegalIntakeStage,
  LegalIntakeStatus,
  LimitationCheckRun,
  REVIEW_STAGE_OUTPUTS,
  initialLegalIntakeStatus,
  legalIntakeStatusQuery,
} from './legal-intake/status';
export { deadlineReasons } from './legal-intake/gates';
export {
  INVALID_DECISION,
  LEGAL_INTAKE_WORKFLOW_TYPE,
  REVIEW_NOT_PENDING,
  decideReviewUpdate,
  intakeQuery,
  reviewDecisionSignal,
  statusQuery,
} from './messages';
export {
  DOCKET_SEARCH_ATTRIBUTES,
  DocketMatterType,
  DocketReviewDueAt,
  DocketReviewStage,
  DocketReviewStatus,
  DocketStage,
  DocketUrgency,
  REVIEW_MEMO,
  type ReviewMemo,
} from './search-attributes';
export {
  CLINICAL_REASON_CODES,
  CLINICAL_SUMMARY_REST_NAME,
  DocumentKind,
  MedicationStatus,
  type ClinicalChecks,
} from './clinical-summary';
