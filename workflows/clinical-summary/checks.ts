/**
 * The clinical summary's deterministic checks, as pure functions over the document, the extraction and the
 * record: which drugs the document names, the reconciliation with its flags, critical lab values, overdue
 * follow-ups, and the patient letter's checks. The activities run them with the record; the workflow runs
 * the letter's. Safe in workflow code.
 */
import type { GateReason } from '../../domain';
import type { ExtractedMedication, LookupPatientArgs, MedicationStatus, PatientLookup } from './agents';
import { readingGrade } from './readability';
import {
  ALLERGY_CLASS_WORDS,
  CRITICAL_LABS,
  DRUGS,
  INTERACTIONS,
  type DoseUnit,
  type DrugEntry,
} from './tables';

/** The clinical reason codes (DESIGN.md), beside the engine's. */
export const CLINICAL_REASON_CODES = [
  'allergy_conflict',
  'drug_interaction',
  'dose_out_of_range',
  'unreconciled_medication',
  'critical_result',
  'follow_up_overdue',
] as const;
export type ClinicalReasonCode = (typeof CLINICAL_REASON_CODES)[number];
type MedicationFlagCode = Exclude<ClinicalReasonCode, 'critical_result' | 'follow_up_overdue'>;

/** The highest reading grade a patient letter may have. */
export const MAX_LETTER_GRADE = 8;

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const BY_NAME = new Map<string, DrugEntry>(
  DRUGS.flatMap((drug) => [drug.name, ...(drug.aliases ?? [])].map((name) => [name, drug] as const)),
);
const NAMES_LONGEST_FIRST = [...BY_NAME.keys()].sort((a, b) => b.length - a.length);
/** Words between a drug's name and its dose: "metformin was increased to 1500 mg", "furosemide: from 40 mg to 80 mg". */
const TO_DOSE = `(?:\\s*:)?(?:\\s+(?:was|is|has|been|increased|decreased|reduced|raised|changed|titrated|adjusted|up|down|to|at)){0,4}(?:\\s+from\\s+\\d+(?:\\.\\d+)?\\s*(?:mg|mcg|µg|g|units?|meq)\\s+to)?`;
const DRUG_PATTERN = new RegExp(
  `(?<![\\p{L}\\p{N}-])(${NAMES_LONGEST_FIRST.map(escape).join('|')})(?![\\p{L}\\p{N}])` +
    `(?:${TO_DOSE}\\s*(\\d+(?:\\.\\d+)?)\\s*(mg|mcg|µg|g|units?|meq)\\b)?`,
  'giu',
);
const STOP_WORDS =
  /\b(stop|stopped|stopping|discontinue|discontinued|hold|held|cease|ceased|suspend(?:ed)?)\b/i;

/** The formulary's entry for a drug name (generic or alias, any case), or undefined: unverified. */
export function findDrug(name: string): DrugEntry | undefined {
  const key = name
    .toLowerCase()
    .replace(/\s*\/\s*/g, '-')
    .replace(/\s+/g, ' ')
    .trim();
  return BY_NAME.get(key) ?? BY_NAME.get(key.replace(/\s+(tablets?|capsules?|er|xl|sr)$/, ''));
}

/** A drug the document's text names, with the dose written after it and whether its clause stops it. */
export interface TextMention {
  drug: DrugEntry;
  dose: number | null;
  unit: string | null;
  stopped: boolean;
}

/** Every formulary drug the text names outside its allergy list, once each (the first with a dose wins). */
export function mentionedDrugs(text: string): TextMention[] {
  const found = new Map<string, TextMention>();
  for (const clause of text.split(/[.;\n]+/)) {
    // An allergy list names drugs the patient must not have: they are allergies, not medications.
    if (/\ballerg/i.test(clause)) continue;
    for (const match of clause.matchAll(DRUG_PATTERN)) {
      const drug = BY_NAME.get(match[1].toLowerCase())!;
      const mention: TextMention = {
        drug,
        dose: match[2] ? Number(match[2]) : null,
        unit: match[3] ? normaliseUnit(match[3]) : null,
        stopped: STOP_WORDS.test(clause),
      };
      const earlier = found.get(drug.name);
      if (!earlier || (earlier.dose === null && mention.dose !== null)) found.set(drug.name, mention);
    }
  }
  return [...found.values()];
}

/** A word written with a dose ("sumatriptan 50 mg"); a unit with a slash after it is a lab's (mg/dL). */
const DOSED_WORD =
  /(?<![\p{L}\p{N}-])(\p{L}[\p{L}-]{3,})\s+\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|units?|meq)\b(?!\s*\/)/giu;
/** Words that come before a dose without naming a drug. */
const NOT_A_DRUG = new Set([
  'take',
  'takes',
  'taking',
  'dose',
  'doses',
  'daily',
  'total',
  'about',
  'given',
  'start',
  'started',
  'continue',
  'continued',
  'increase',
  'increased',
  'decrease',
  'decreased',
  'reduce',
  'reduced',
  'then',
  'plus',
  'with',
  'from',
  'each',
  'every',
  'once',
  'twice',
  'only',
  'more',
  'less',
  'than',
  'least',
  'most',
  'over',
  'under',
  'instead',
  'maximum',
  'minimum',
]);

/**
 * Names the text writes with a dose that neither the formulary nor the lab table knows: medications nobody
 * can check, so never assumed safe, whether or not a model extracted them.
 */
export function unknownDosedNames(text: string): string[] {
  const labWords = new Set(CRITICAL_LABS.flatMap((lab) => lab.names));
  const found = new Set<string>();
  for (const clause of text.split(/[.;\n]+/)) {
    if (/\ballerg/i.test(clause)) continue;
    for (const match of clause.matchAll(DOSED_WORD)) {
      const word = match[1].toLowerCase();
      // "Metoprolol tartrate 50 mg", "Potassium chloride 20 mEq": a salt after a drug's name is that drug.
      const before = /(\p{L}[\p{L}-]*)\s+$/u.exec(clause.slice(0, match.index))?.[1].toLowerCase();
      const named = before !== undefined && (findDrug(before) || findDrug(`${before} ${word}`));
      if (!named && !findDrug(word) && !labWords.has(word) && !NOT_A_DRUG.has(word)) found.add(word);
    }
  }
  return [...found];
}

function normaliseUnit(unit: string): string {
  const lower = unit.toLowerCase();
  if (lower === 'µg') return 'mcg';
  if (lower.startsWith('unit')) return 'units';
  return lower;
}

const TO_MG: Partial<Record<string, number>> = { mg: 1, mcg: 0.001, g: 1000 };

/** Whether `dose unit` is above the drug's largest single dose; null when the units do not compare. */
export function aboveMaxDose(drug: DrugEntry, dose: number, unit: string | null): boolean | null {
  const given = normaliseUnit(unit ?? drug.maxDose.unit);
  const max = drug.maxDose;
  if (given === max.unit) return dose > max.value;
  const from = TO_MG[given];
  const to = TO_MG[max.unit as DoseUnit];
  if (from === undefined || to === undefined) return null;
  return dose * from > max.value * to;
}

/** The drug classes a list of allergies rules out (a drug's name stands for its class). */
export function allergyClasses(substances: readonly string[]): Map<string, string> {
  const classes = new Map<string, string>();
  for (const substance of substances) {
    const key = substance.toLowerCase().trim();
    const drugClass = findDrug(key)?.drugClass ?? ALLERGY_CLASS_WORDS[key];
    if (drugClass) classes.set(drugClass, substance);
  }
  return classes;
}

/** Allergies the document's text states ("Allergies: penicillin (hives), sulfa"), as written. */
export function statedAllergies(text: string): string[] {
  const found: string[] = [];
  for (const match of text.matchAll(/\b(?:allergies|allergic to|allergy)\s*:?\s*([^\n.]*)/gi)) {
    const list = match[1].replace(/\([^)]*\)/g, '');
    if (/\b(nkda|none|no known)\b/i.test(list)) continue;
    for (const part of list.split(/,|;|\band\b/)) {
      // "PENICILLIN - anaphylaxis (2011)": the substance is what comes before the reaction.
      const substance = part
        .split(/\s[-–:]\s/)[0]
        .trim()
        .toLowerCase();
      if (substance && (findDrug(substance) || ALLERGY_CLASS_WORDS[substance])) found.push(substance);
    }
  }
  return found;
}

/** The document's, the record's and the extraction's view of one drug, with what the check found. */
export interface ReconciledMedication {
  name: string;
  known: boolean;
  drugClass: string | null;
  document: { dose: number | null; unit: string | null; status: MedicationStatus } | null;
  record: { dose: number | null; unit: string | null } | null;
  flags: Array<{ code: MedicationFlagCode; detail: string }>;
}

export interface MedicationReconciliation {
  patientFound: boolean;
  rows: ReconciledMedication[];
  /** Names the extraction gives that the formulary does not know: never assumed safe. */
  unverified: string[];
}

export interface ReconcileInput {
  text: string;
  extracted: readonly ExtractedMedication[];
  extractedAllergies: readonly string[];
  patient: PatientLookup;
}

/**
 * The reconciliation: every drug the document names (read from its text, and as the extraction lists it),
 * beside every drug the record lists as active, with the flags the tables give.
 */
export function reconcileMedications({
  text,
  extracted,
  extractedAllergies,
  patient,
}: ReconcileInput): MedicationReconciliation {
  const rows = new Map<string, ReconciledMedication>();
  const unverified: string[] = [];
  const row = (drug: DrugEntry): ReconciledMedication => {
    let found = rows.get(drug.name);
    if (!found) {
      found = {
        name: drug.name,
        known: true,
        drugClass: drug.drugClass,
        document: null,
        record: null,
        flags: [],
      };
      rows.set(drug.name, found);
    }
    return found;
  };
  for (const medication of extracted) {
    const drug = findDrug(medication.name);
    if (!drug) {
      if (!unverified.includes(medication.name)) unverified.push(medication.name);
      continue;
    }
    row(drug).document = { dose: medication.dose, unit: medication.unit, status: medication.status };
  }
  // What the text names beside the extraction: a drug a model left out is still checked.
  const mentions = mentionedDrugs(text);
  for (const mention of mentions) {
    const target = row(mention.drug);
    if (!target.document) {
      target.document = {
        dose: mention.dose,
        unit: mention.unit,
        status: mention.stopped ? 'stopped' : 'continued',
      };
    } else if (target.document.dose === null && mention.dose !== null) {
      target.document = { ...target.document, dose: mention.dose, unit: mention.unit };
    }
  }
  for (const name of unknownDosedNames(text)) {
    if (!unverified.some((known) => known.toLowerCase() === name)) unverified.push(name);
  }
  for (const medication of patient.activeMedications) {
    const drug = findDrug(medication.name);
    if (drug) row(drug).record = { dose: medication.dose, unit: medication.unit };
  }

  const all = [...rows.values()];
  const active = all.filter((r) => (r.document ? r.document.status !== 'stopped' : r.record !== null));
  const allergies = allergyClasses([
    ...patient.allergies.map((a) => a.substance),
    ...extractedAllergies,
    ...statedAllergies(text),
  ]);
  for (const r of all) {
    const drug = BY_NAME.get(r.name)!;
    if (r.document && r.document.status !== 'stopped') {
      const allergy = allergies.get(drug.drugClass);
      if (allergy) {
        r.flags.push({
          code: 'allergy_conflict',
          detail: `${r.name} is a ${drug.drugClass} drug; allergy on file: ${allergy}`,
        });
      }
      // The extraction's dose and the text's are both checked: the larger one decides.
      const doses = [r.document.dose === null ? null : { dose: r.document.dose, unit: r.document.unit }];
      const written = mentions.find((m) => m.drug.name === r.name);
      if (written?.dose != null) doses.push({ dose: written.dose, unit: written.unit });
      const over = doses.find((d) => d && aboveMaxDose(drug, d.dose, d.unit));
      if (over) {
        r.flags.push({
          code: 'dose_out_of_range',
          detail: `${over.dose} ${over.unit ?? drug.maxDose.unit} is above the largest single dose, ${drug.maxDose.value} ${drug.maxDose.unit}`,
        });
      }
    }
    if (patient.found && r.record && !r.document) {
      r.flags.push({
        code: 'unreconciled_medication',
        detail: 'active in the record; the document neither continues nor stops it',
      });
    }
  }
  for (const [i, a] of active.entries()) {
    for (const b of active.slice(i + 1)) {
      const interaction = interactionBetween(BY_NAME.get(a.name)!, BY_NAME.get(b.name)!);
      if (!interaction) continue;
      for (const [self, other] of [
        [a, b],
        [b, a],
      ] as const) {
        self.flags.push({ code: 'drug_interaction', detail: `with ${other.name}: ${interaction.risk}` });
      }
    }
  }
  return { patientFound: patient.found, rows: all, unverified };
}

/** The interaction the table lists between two drugs (each side a drug's name or its class), if any. */
export function interactionBetween(a: DrugEntry, b: DrugEntry): (typeof INTERACTIONS)[number] | undefined {
  const names = (drug: DrugEntry) => [drug.name, drug.drugClass];
  return INTERACTIONS.find(
    ({ between: [x, y] }) =>
      (names(a).includes(x) && names(b).includes(y)) || (names(a).includes(y) && names(b).includes(x)),
  );
}

export interface LabResult {
  test: string;
  value: number;
  unit: string;
  critical: boolean;
  range: string;
}

/** Every table lab the text writes with a value ("Potassium 6.8 mmol/L", "INR: 5.6"), critical or not. */
export function labResults(text: string): { results: LabResult[] } {
  const results: LabResult[] = [];
  for (const lab of CRITICAL_LABS) {
    const pattern = new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${lab.names.map(escape).join('|')})(?![\\p{L}\\p{N}])\\s*(?:level|count)?\\s*[:=]?\\s*(\\d+(?:\\.\\d+)?)`,
      'giu',
    );
    for (const match of text.matchAll(pattern)) {
      const value = Number(match[1]);
      const critical =
        (lab.low !== undefined && value < lab.low) || (lab.high !== undefined && value > lab.high);
      const range = [
        lab.low !== undefined ? `below ${lab.low}` : null,
        lab.high !== undefined ? `above ${lab.high}` : null,
      ]
        .filter(Boolean)
        .join(' or ');
      results.push({
        test: lab.test,
        value,
        unit: lab.unit,
        critical,
        range: `critical ${range} ${lab.unit}`,
      });
    }
  }
  return { results };
}

export interface FollowUpItem {
  what: string;
  dueDate: string;
  overdue: boolean;
}

/** Who the document is about, as tokens: the body's MRN, else the labelled one, the name and birth date. */
export function patientKeys(body: {
  document: { text: string };
  patient?: { mrn?: string };
}): LookupPatientArgs {
  const text = body.document.text;
  const mrn = body.patient?.mrn ?? /\bMRN\b\W{0,3}(\[ID_\d+\])/i.exec(text)?.[1] ?? null;
  const labelled = /\b(?:patient|name)\b\s*(?:name)?\s*:\s*(\[PERSON_\d+\])/i.exec(text)?.[1];
  const name = labelled ?? /\[PERSON_\d+\]/.exec(text)?.[0] ?? null;
  const birthDate = /\[DOB_\d+\]/.exec(text)?.[0] ?? null;
  return { mrn, name, birthDate };
}

/** Words that promise an outcome: a letter may explain, never guarantee. */
const PROMISES =
  /\b(guarantee[ds]?|will cure|cured|will be fine|will be (?:completely )?(?:well|healed|better)|will fully recover|no risk|100% (?:safe|effective))\b/i;

export interface LetterFacts {
  grade: number;
  unknownMedications: string[];
  promises: string[];
}

/** What the workflow measures on a patient letter. */
export function letterFacts(letter: string, allowed: readonly string[]): LetterFacts {
  const known = new Set(allowed.map((name) => findDrug(name)?.name ?? name.toLowerCase()));
  return {
    grade: readingGrade(letter),
    unknownMedications: mentionedDrugs(letter)
      .map((m) => m.drug.name)
      .filter((name) => !known.has(name)),
    promises: [...letter.matchAll(new RegExp(PROMISES.source, 'gi'))].map((m) => m[0]),
  };
}

/** The letter's checks as gate reasons. */
export function letterReasons(facts: LetterFacts): GateReason[] {
  const reasons: GateReason[] = [];
  if (facts.grade > MAX_LETTER_GRADE) {
    reasons.push({
      code: 'output_check_failed',
      message: `the patient letter reads at grade ${facts.grade}, above ${MAX_LETTER_GRADE}`,
      evidence: { check: 'reading_grade', grade: facts.grade, max: MAX_LETTER_GRADE },
    });
  }
  if (facts.unknownMedications.length > 0) {
    reasons.push({
      code: 'output_check_failed',
      message: `the patient letter names medications that are in neither the document nor the record: ${facts.unknownMedications.join(', ')}`,
      evidence: { check: 'letter_medications', medications: facts.unknownMedications },
    });
  }
  if (facts.promises.length > 0) {
    reasons.push({
      code: 'output_check_failed',
      message: 'the patient letter promises an outcome',
      evidence: { check: 'letter_promises', phrases: facts.promises },
    });
  }
  return reasons;
}
