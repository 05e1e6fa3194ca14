/** The legal intake workflow, its settings and its status schema. */
export { legalIntake, REVIEW_GATE_V2 } from './workflow';
export type { LegalIntakeInput, LegalIntakeSettings } from './workflow';
export {
  ConflictCheckRun,
  LegalIntakeChecks,
  LegalIntakeResults,
  LegalIntakeReviewStage,
  LegalIntakeStage,
  LegalIntakeStatus,
  LimitationCheckRun,
  initialLegalIntakeStatus,
} from './status';
