/** The clinical summary workflow type: what code outside its folder (registration, eval, tests) uses. */
export { clinicalSummaryDefinition } from './definition';
export { CLINICAL_SUMMARY_REST_NAME, ClinicalSummaryRequest, DocumentKind } from './body';
export { CLINICAL_REASON_CODES, MAX_LETTER_GRADE, type ClinicalReasonCode } from './checks';
export { MedicationStatus } from './agents';
export type { ClinicalChecks } from './pipeline';
export * as clinicalTables from './tables';
