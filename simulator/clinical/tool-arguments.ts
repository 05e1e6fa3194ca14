/**
 * The reasoner's tool calls: the patient's tokens for lookupPatient, the extracted medication names for
 * checkMedications, the document kind for followUpPolicy. Tokens are copied as the document writes them.
 */
import type { ClinicalInput } from './input';
import { DOCUMENT_KINDS, readClinicalDocument } from './reading';

export const CLINICAL_TOOLS: ReadonlySet<string> = new Set([
  'lookupPatient',
  'checkMedications',
  'followUpPolicy',
]);

export interface PatientTokens {
  mrn: string | null;
  name: string | null;
  birthDate: string | null;
}

/** The MRN token after "MRN", the name token after "Patient:"/"Name:" (else the first), the DOB token. */
export function patientTokens(body: string): PatientTokens {
  const after = (label: string, kind: string) =>
    new RegExp(`\\b(?:${label})\\b\\W{0,4}(\\[${kind}_\\d+\\])`, 'i').exec(body)?.[1] ?? null;
  return {
    mrn: after('MRN|medical record(?: number)?', 'ID'),
    name: after('patient|name', 'PERSON') ?? /\[PERSON_\d+\]/.exec(body)?.[0] ?? null,
    birthDate: after('DOB|date of birth|born', 'DOB') ?? /\[DOB_\d+\]/.exec(body)?.[0] ?? null,
  };
}

/** The arguments for one of the clinical tools; null for another tool. */
export function toolArguments(tool: string, input: ClinicalInput): Record<string, unknown> | null {
  switch (tool) {
    case 'lookupPatient':
      return { ...patientTokens(input.body) };
    case 'checkMedications':
      return { medications: medicationNames(input) };
    case 'followUpPolicy':
      return { documentKind: documentKind(input) };
    default:
      return null;
  }
}

function medicationNames(input: ClinicalInput): string[] {
  const extracted = input.extraction?.medications ?? readClinicalDocument(input.kind, input.body).medications;
  return [...new Set(extracted.map((medication) => medication.name))];
}

function documentKind(input: ClinicalInput): string {
  const given = input.extraction?.documentKind;
  if (DOCUMENT_KINDS.some((kind) => kind === given)) return given as string;
  return readClinicalDocument(input.kind, input.body).documentKind;
}
