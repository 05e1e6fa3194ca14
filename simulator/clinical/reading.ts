/**
 * The clinical reader: what an extractor model makes of a clinical document. It reads labels ("Allergies:",
 * "Discharge medications:", "Follow-up:"), list items and prose sentences, knows about forty drugs by name
 * and takes any capitalised word written with a dose as a drug too.
 *
 * It is not perfect, on purpose and deterministically (the same document is always misread the same way),
 * so that the workflow's checks and its reviewers have real mistakes to catch:
 *
 *  1. Attention fades in long sentences. In a prose sentence of more than 20 words, once it has read a list
 *     of drugs (names joined by commas or "and"), a drug named later in that sentence is missed:
 *     "Her home medicines, lisinopril 10 mg daily and metformin 500 mg twice daily, were reviewed and left
 *     unchanged, and she was also started on aspirin 81 mg daily" loses the aspirin. Lists and short
 *     sentences are read in full.
 *  2. Decimal doses are garbled. A dose written with a decimal point is read from its digits after the point:
 *     digoxin 0.125 mg (or 0.125mg) becomes 125 mg, warfarin 2.5 mg becomes 5 mg. The unit is kept.
 *  3. A status verb far before its drug is lost. "Start", "stop", "discontinue"… tie to the drug named after
 *     them only with at most two words between: "Discontinue her usual over-the-counter ibuprofen" leaves
 *     ibuprofen at the default, continued. Notes after the drug ("(new)", "increased to 20 mg") are read.
 *
 * Beside these it makes the honest mistakes of a reader of its size: a lower-case drug it does not know
 * is missed ("modafinil 200 mg"), a status only implied ("ran out of my metformin") is read as continued.
 * On a typical list-style document every medication is found and only decimal doses are wrong; over a mix
 * of lists and prose, the medication F1 (name, dose and status all right) stays around 0.85–0.9, by name
 * alone about 0.95. A document mostly not in English (Spanish: "paciente", "alergias", "medicamentos",
 * "días") yields few fields and a confidence below 0.5; a field the document's kind should state but does
 * not (a discharge summary without allergies) gets a low confidence, and the overall confidence is never
 * above the medications' and the allergies'.
 */
import * as prose from '../answer/prose';
import { readDocument, type ClinicalDocument } from './document';
import {
  readAllergies,
  readEncounterDates,
  readFollowUps,
  readPending,
  readProblems,
  readRedFlags,
  type Allergy,
  type EncounterKind,
} from './labelled';
import { readMedications, type Medication } from './medications';

export const DOCUMENT_KINDS = ['discharge_summary', 'referral', 'lab_report', 'visit_note', 'other'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface FieldConfidence {
  documentKind: number;
  problems: number;
  medications: number;
  allergies: number;
  followUps: number;
}

export interface ClinicalReading {
  documentKind: DocumentKind;
  encounterDates: Array<{ kind: EncounterKind; date: string }>;
  problems: Array<{ text: string; icd10: string | null }>;
  medications: Medication[];
  allergies: Allergy[];
  pendingResults: string[];
  followUps: Array<{ what: string; dueDate: string | null }>;
  redFlags: string[];
  fieldConfidence: FieldConfidence;
  confidence: number;
  rationale: string;
}

const HEADING_KINDS: ReadonlyArray<[RegExp, DocumentKind]> = [
  [/discharge/, 'discharge_summary'],
  [/referral|referred/, 'referral'],
  [/lab(?:oratory)?\b.*(?:report|results?)|pathology/, 'lab_report'],
  [/visit|progress note|clinic note|office note|consult/, 'visit_note'],
];
const SPANISH = new Set(
  'paciente alergia alergias medicamentos medicamento días dias cada horas con para el la los las del y que por una se al diagnóstico alta control seguimiento tomar dolor fecha ingreso años médico semana semanas mañana noche vía oral'.split(
    ' ',
  ),
);
const ENGLISH = new Set(
  'the and with for of to patient daily on in was is at by if her his she he medications allergies follow discharge return take'.split(
    ' ',
  ),
);
/** Kinds of document that state the patient's medications and allergies as a rule. */
const LISTS_EXPECTED: ReadonlySet<DocumentKind> = new Set(['discharge_summary', 'referral', 'visit_note']);
/** What a bare "Date:" label dates in a document of each kind. */
const DATED: Partial<Record<DocumentKind, EncounterKind>> = { visit_note: 'visit', lab_report: 'collection' };
/** The most a field's confidence can be when the document is mostly not in English. */
const FOREIGN_CAP = 0.4;

export function readClinicalDocument(kind: unknown, body: string): ClinicalReading {
  const document = readDocument(body);
  const notes: string[] = [];
  const { documentKind, confidence: kindConfidence } = documentKindOf(kind, document, notes);
  const medications = readMedications(document);
  const { allergies, stated } = readAllergies(document);
  const problems = readProblems(document);
  const followUps = readFollowUps(document);

  const fromList = medications.length > 0 && medications.every((m) => m.fromList);
  const complete = medications.every((m) => m.dose !== null && m.frequency !== null);
  // A lab report or a message need not list medications or allergies: finding none there is less doubtful.
  const unlisted = LISTS_EXPECTED.has(documentKind) ? 0.55 : 0.8;
  const fieldConfidence: FieldConfidence = {
    documentKind: kindConfidence,
    problems: problems.length === 0 ? 0.5 : problems.some((p) => p.icd10) ? 0.92 : 0.88,
    medications: medications.length === 0 ? unlisted : fromList ? (complete ? 0.92 : 0.9) : 0.78,
    allergies: stated === null ? unlisted : { list: 0.93, none: 0.92, prose: 0.8 }[stated],
    followUps: followUps.length === 0 ? 0.5 : followUps.some((f) => f.dueDate) ? 0.9 : 0.8,
  };
  notes.push(
    medications.length === 0
      ? 'no medications found'
      : `${medications.length} medication(s) read from ${fromList ? 'the medication list' : 'the text'}`,
  );
  notes.push(stated === null ? 'no allergy statement found' : `allergies stated (${stated})`);

  const foreign = foreignWords(body);
  if (foreign.length > 0) {
    const telling = foreign.filter((w) => w.length >= 4).slice(0, 4);
    notes.push(`the document is mostly not in English (${telling.join(', ')}): little could be read`);
    for (const key of ['problems', 'medications', 'allergies', 'followUps'] as const) {
      fieldConfidence[key] = Math.min(fieldConfidence[key], FOREIGN_CAP);
    }
  }
  const values = Object.values(fieldConfidence);
  const mean = values.reduce((sum, v) => sum + v, 0) / values.length;
  const confidence = Math.min(fieldConfidence.medications, fieldConfidence.allergies, round(mean));
  return {
    documentKind,
    encounterDates: readEncounterDates(body, DATED[documentKind] ?? 'other'),
    problems,
    medications,
    allergies,
    pendingResults: readPending(document),
    followUps,
    redFlags: readRedFlags(document),
    fieldConfidence,
    confidence: foreign.length > 0 ? Math.min(confidence, 0.35) : confidence,
    rationale: prose.rationale(notes),
  };
}

/** The kind the input names, checked against the document's headings; the headings alone otherwise. */
function documentKindOf(
  kind: unknown,
  document: ClinicalDocument,
  notes: string[],
): { documentKind: DocumentKind; confidence: number } {
  const heading = document.labels
    .map((label) => HEADING_KINDS.find(([pattern]) => pattern.test(label))?.[1])
    .find((k) => k !== undefined);
  const given = DOCUMENT_KINDS.find((k) => k === kind && k !== 'other');
  if (given) {
    notes.push(`document kind ${given} as given`);
    return { documentKind: given, confidence: heading === undefined ? 0.9 : heading === given ? 0.95 : 0.8 };
  }
  if (heading) {
    notes.push(`document kind ${heading} from its heading`);
    return { documentKind: heading, confidence: 0.75 };
  }
  notes.push('document kind not stated');
  return { documentKind: 'other', confidence: 0.5 };
}

/** The Spanish words of a document that has more of them than English ones; empty for an English document. */
function foreignWords(body: string): string[] {
  const words = body.toLowerCase().match(/\p{L}+/gu) ?? [];
  const spanish = words.filter((w) => SPANISH.has(w));
  const english = words.filter((w) => ENGLISH.has(w)).length;
  return spanish.length >= 5 && spanish.length > english ? [...new Set(spanish)] : [];
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
