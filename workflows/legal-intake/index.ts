/** The legal intake workflow, its settings and its status schema. */
export { legalIntake } from './workflow';
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
  legalIntakeStatusQuery,
} from './status';
