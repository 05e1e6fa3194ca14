import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SEED_PATIENTS, type SeedPatient } from '../../db/seed-ehr';
import { CorpusError } from '../../eval/corpus';
import {
  CLINICAL_CORPUS_DIR,
  CLINICAL_REASON_CODES,
  CLINICAL_SPLIT_KEYS,
  loadClinicalCorpus,
  type ClinicalCorpusItem,
  type ClinicalReasonCode,
} from '../../eval/clinical/corpus';
import { heldOutSplit } from '../../eval/split';
import type { PatientLookup } from '../../workflows/clinical-summary/agents';
import { labResults, mentionedDrugs, reconcileMedications } from '../../workflows/clinical-summary/checks';
import { overdueFollowUps } from '../../workflows/clinical-summary/follow-ups';
import { ClinicalSummaryRequest, DocumentKind } from '../../workflows/clinical-summary/body';
import {
  ALLERGY_CLASS_WORDS,
  CRITICAL_LABS,
  DRUGS,
  INTERACTIONS,
  type DrugEntry,
} from '../../workflows/clinical-summary/tables';

const dev = loadClinicalCorpus([path.join(CLINICAL_CORPUS_DIR, 'dev.jsonl')]);
const heldOut = loadClinicalCorpus([path.join(CLINICAL_CORPUS_DIR, 'test.jsonl')]);
const corpus = loadClinicalCorpus(['dev.jsonl', 'test.jsonl'].map((f) => path.join(CLINICAL_CORPUS_DIR, f)));
const ids = (items: readonly ClinicalCorpusItem[]) => items.map((i) => i.id);
const tagged = (item: ClinicalCorpusItem, tag: string) =>
  new RegExp(`(^|\\. )${tag}:`).test(item.expected.notes ?? '');
const spanish = (item: ClinicalCorpusItem) => tagged(item, 'Spanish');

// The workflow's deterministic rules (workflows/clinical-summary/tables.ts), applied to the labels and the text.

function drug(name: string): DrugEntry | undefined {
  const key = name.toLowerCase();
  return DRUGS.find((d) => d.name === key || d.aliases?.includes(key));
}

/** The record the workflow finds: by the MRN sent, else by "Patient: <Name>  DOB: <MM/DD/YYYY>" in the text. */
function patientOf(item: ClinicalCorpusItem): SeedPatient | undefined {
  if (item.patient) return SEED_PATIENTS.find((p) => p.mrn === item.patient!.mrn);
  const written = /Patient:\s+(\S+(?: \S+)*?)\s+DOB:\s+(\d{2})\/(\d{2})\/(\d{4})/.exec(item.document.text);
  if (!written) return undefined;
  const [, name, month, day, year] = written;
  return SEED_PATIENTS.find((p) => p.name === name && p.birthDate === `${year}-${month}-${day}`);
}

const allergyClass = (word: string) => ALLERGY_CLASS_WORDS[word.toLowerCase()] ?? drug(word)?.drugClass;
const TO_MG: Record<string, number> = { mg: 1, mcg: 0.001, g: 1000 };

/** The medication codes the rules give for the labelled medications, allergies and the patient's record. */
function medicationCodes(item: ClinicalCorpusItem): ClinicalReasonCode[] {
  const record = patientOf(item);
  const meds = item.expected.medications;
  const active = meds.filter((m) => m.status !== 'stopped');
  const codes = new Set<ClinicalReasonCode>();

  const allergic = new Set(
    [...(record?.allergies.map((a) => a.substance) ?? []), ...item.expected.allergies].flatMap(
      (word) => allergyClass(word) ?? [],
    ),
  );
  if (active.some((m) => allergic.has(drug(m.name)?.drugClass ?? ''))) codes.add('allergy_conflict');

  const stopped = new Set(meds.filter((m) => m.status === 'stopped').map((m) => m.name));
  const together = [
    ...active.flatMap((m) => drug(m.name) ?? []),
    ...(record?.medications ?? []).filter((m) => !stopped.has(m.name)).flatMap((m) => drug(m.name) ?? []),
  ];
  const is = (d: DrugEntry, what: string) => d.name === what || d.drugClass === what;
  const interacting = INTERACTIONS.some(({ between: [a, b] }) =>
    together.some((x, i) => together.some((y, j) => i !== j && is(x, a) && is(y, b))),
  );
  if (interacting) codes.add('drug_interaction');

  const tooMuch = meds.some((m) => {
    const entry = drug(m.name);
    if (!entry || m.dose === null || m.unit === null) return false;
    const unit = m.unit.toLowerCase();
    if (unit === entry.maxDose.unit) return m.dose > entry.maxDose.value;
    if (TO_MG[unit] === undefined || TO_MG[entry.maxDose.unit] === undefined) return false;
    return m.dose * TO_MG[unit] > entry.maxDose.value * TO_MG[entry.maxDose.unit];
  });
  if (tooMuch) codes.add('dose_out_of_range');

  const mentioned = new Set(meds.map((m) => m.name));
  if (record?.medications.some((m) => !mentioned.has(m.name))) codes.add('unreconciled_medication');
  return CLINICAL_REASON_CODES.filter((c) => codes.has(c));
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Every lab value the text writes after a CRITICAL_LABS name (a colon or "=" allowed) outside its range. */
function criticalValues(text: string): string[] {
  return CRITICAL_LABS.flatMap((lab) =>
    lab.names.flatMap((name) =>
      [
        ...text.matchAll(
          new RegExp(
            `(?<![\\w+])${escape(name)}(?![\\w+])\\s*(?:level|count)?\\s*[:=]?\\s*(\\d+(?:\\.\\d+)?)`,
            'gi',
          ),
        ),
      ]
        .filter(([, value]) => {
          const v = Number(value);
          return (lab.low !== undefined && v < lab.low) || (lab.high !== undefined && v > lab.high);
        })
        .map(([written]) => written),
    ),
  );
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** The ways a document may write an ISO date: 2026-09-01, 09/01/2026, 9/1/2026, September 1, 2026, 1 Sep 2026. */
function writtenForms(iso: string): string[] {
  const [year, month, day] = iso.split('-');
  const m = Number(month);
  const d = Number(day);
  const name = MONTHS[m - 1];
  return [
    iso,
    `${month}/${day}/${year}`,
    `${m}/${d}/${year}`,
    `${name} ${d}, ${year}`,
    `${name.slice(0, 3)} ${d}, ${year}`,
    `${d} ${name} ${year}`,
    `${d} ${name.slice(0, 3)} ${year}`,
  ];
}

describe('the clinical summary corpus', () => {
  it('holds at least 60 documents, at least 8 of each kind, each id once', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(60);
    expect(new Set(ids(corpus)).size).toBe(corpus.length);
    for (const kind of DocumentKind.options) {
      expect({ kind, n: corpus.filter((i) => i.document.kind === kind).length >= 8 }).toEqual({
        kind,
        n: true,
      });
    }
  });

  it('every item is a valid request', () => {
    for (const item of corpus) {
      const body = { externalId: `eval-0000abcd-${item.id}`, document: item.document, patient: item.patient };
      expect({ id: item.id, ok: ClinicalSummaryRequest.safeParse(body).success }).toEqual({
        id: item.id,
        ok: true,
      });
    }
  });

  it('covers every clinical code several times, clean documents, unknown drugs and patients, and Spanish', () => {
    const count = (code: ClinicalReasonCode) =>
      corpus.filter((i) => i.expected.reasonCodes.includes(code)).length;
    const least: Record<ClinicalReasonCode, number> = {
      allergy_conflict: 6,
      drug_interaction: 6,
      critical_result: 6,
      dose_out_of_range: 4,
      unreconciled_medication: 4,
      follow_up_overdue: 4,
    };
    for (const code of CLINICAL_REASON_CODES) {
      expect({ code, enough: count(code) >= least[code] }).toEqual({ code, enough: true });
    }
    expect(corpus.filter((i) => !i.expected.mustReview).length).toBeGreaterThanOrEqual(10);
    const languages = corpus.filter(spanish);
    expect(languages.length).toBeGreaterThanOrEqual(3);
    expect(languages.length).toBeLessThanOrEqual(4);
    expect(
      corpus.filter((i) => i.expected.medications.some((m) => !drug(m.name))).length,
    ).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((i) => !patientOf(i)).length).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((i) => i.patient && patientOf(i)).length).toBeGreaterThanOrEqual(10);
    expect(corpus.filter((i) => !i.patient && patientOf(i)).length).toBeGreaterThanOrEqual(10);
  });

  it('keeps a held-out test split by the legal corpus’s rule, with every code in it', () => {
    const split = heldOutSplit(corpus, CLINICAL_SPLIT_KEYS);
    expect(ids(heldOut)).toEqual(ids(split.test));
    expect(ids(dev)).toEqual(ids(split.dev));
    for (const code of CLINICAL_REASON_CODES) {
      expect({ code, held: heldOut.some((i) => i.expected.reasonCodes.includes(code)) }).toEqual({
        code,
        held: true,
      });
    }
  });

  it('finds the patient an item names exactly when the notes do not say the patient is unknown', () => {
    const disagreements = corpus
      .filter((i) => !patientOf(i) !== tagged(i, 'Unknown patient'))
      .map((i) => i.id);
    expect(disagreements).toEqual([]);
  });

  it('labels allergy conflicts, interactions, doses and unreconciled drugs exactly as the tables and the record give them', () => {
    const medicationRules: ClinicalReasonCode[] = [
      'allergy_conflict',
      'drug_interaction',
      'dose_out_of_range',
      'unreconciled_medication',
    ];
    const disagreements = corpus
      .map((item) => ({
        id: item.id,
        labelled: CLINICAL_REASON_CODES.filter(
          (c) => medicationRules.includes(c) && item.expected.reasonCodes.includes(c),
        ),
        rules: medicationCodes(item),
      }))
      .filter((d) => d.labelled.join() !== d.rules.join());
    expect(disagreements).toEqual([]);
  });

  it('labels a critical result exactly where the text writes a lab value outside its range', () => {
    const disagreements = corpus
      .map((item) => ({
        id: item.id,
        labelled: item.expected.reasonCodes.includes('critical_result'),
        found: criticalValues(item.document.text),
      }))
      .filter((d) => d.labelled !== d.found.length > 0);
    expect(disagreements).toEqual([]);
  });

  it('labels an overdue follow-up when the text writes its due date before receipt', () => {
    const overdue = corpus.filter((i) => i.expected.reasonCodes.includes('follow_up_overdue'));
    expect(ids(corpus.filter((i) => tagged(i, 'Overdue')))).toEqual(ids(overdue));
    for (const item of overdue) {
      const [due] = /Overdue: [^.]*? due (\d{4}-\d{2}-\d{2})/.exec(item.expected.notes!)!.slice(1);
      const written = writtenForms(due).some((form) => item.document.text.includes(form));
      expect({ id: item.id, written, before: due < item.document.receivedAt.slice(0, 10) }).toEqual({
        id: item.id,
        written: true,
        before: true,
      });
    }
  });

  it('names each labelled medication, dose and allergy as the text writes them (Spanish ones translated)', () => {
    for (const item of corpus.filter((i) => !spanish(i))) {
      const text = item.document.text.toLowerCase();
      for (const med of item.expected.medications) {
        const names = [med.name, ...(drug(med.name)?.aliases ?? [])];
        const named = names.some((n) => new RegExp(`\\b${escape(n)}\\b`).test(text));
        const dosed =
          med.dose === null ||
          new RegExp(`\\b${escape(String(med.dose))}\\s*${escape(med.unit ?? '')}`, 'i').test(text);
        expect({ id: item.id, med: med.name, named, dosed }).toEqual({
          id: item.id,
          med: med.name,
          named: true,
          dosed: true,
        });
      }
      for (const allergy of item.expected.allergies) {
        expect({ id: item.id, allergy, written: text.includes(allergy) }).toEqual({
          id: item.id,
          allergy,
          written: true,
        });
      }
    }
  });

  it('sends a document to a person exactly when it has a code, an unverified drug, an unknown patient or another language', () => {
    const reasons = (i: ClinicalCorpusItem) => [
      ...i.expected.reasonCodes,
      ...(i.expected.medications.some((m) => !drug(m.name)) ? ['unverified'] : []),
      ...(patientOf(i) ? [] : ['unknown patient']),
      ...(spanish(i) ? ['Spanish'] : []),
    ];
    const disagreements = corpus
      .filter((i) => i.expected.mustReview !== reasons(i).length > 0)
      .map((i) => ({ id: i.id, mustReview: i.expected.mustReview, reasons: reasons(i) }));
    expect(disagreements).toEqual([]);
    for (const item of corpus.filter((i) => i.expected.medications.some((m) => !drug(m.name)))) {
      expect({ id: item.id, said: tagged(item, 'Unknown drug') }).toEqual({ id: item.id, said: true });
    }
  });

  it('agrees with the workflow’s own checks, run on the text and the record with the labels as the extraction', () => {
    const disagreements = corpus.flatMap((item) => {
      const { text, receivedAt } = item.document;
      const record = patientOf(item);
      const patient: PatientLookup = {
        found: record !== undefined,
        patientId: record?.patientId ?? null,
        by: record ? 'mrn' : null,
        activeMedications: record ? [...record.medications] : [],
        allergies: record?.allergies.map((a) => ({ substance: a.substance, drugClass: null })) ?? [],
      };
      const reconciled = reconcileMedications({
        text,
        extracted: item.expected.medications.map((m) => ({ ...m, route: null, frequency: null })),
        extractedAllergies: item.expected.allergies,
        patient,
      });
      const raised = new Set<string>(reconciled.rows.flatMap((r) => r.flags.map((f) => f.code)));
      if (labResults(text).results.some((r) => r.critical)) raised.add('critical_result');
      if (overdueFollowUps(text, [], receivedAt.slice(0, 10)).items.some((i) => i.overdue)) {
        raised.add('follow_up_overdue');
      }
      const checks = CLINICAL_REASON_CODES.filter((c) => raised.has(c)).join();
      const labelled = CLINICAL_REASON_CODES.filter((c) => item.expected.reasonCodes.includes(c)).join();
      const unlabelled = mentionedDrugs(text)
        .map((m) => m.drug.name)
        .filter((name) => !item.expected.medications.some((m) => m.name === name));
      const unverified = reconciled.unverified.length > 0;
      const labelledUnknown = item.expected.medications.some((m) => !drug(m.name));
      // A document in another language may name its drugs in that language ("ibuprofeno"): no table knows them.
      const foreign = /^Spanish:/.test(item.expected.notes ?? '');
      return checks === labelled && unlabelled.length === 0 && (foreign || unverified === labelledUnknown)
        ? []
        : [{ id: item.id, checks, labelled, unlabelled, unverified }];
    });
    expect(disagreements).toEqual([]);
  });

  it('refuses a line that breaks the schema, naming file, line and field', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'clinical-corpus-'));
    try {
      const [first] = corpus;
      const file = path.join(dir, 'bad.jsonl');
      const bad = {
        ...first,
        id: 'bad-1',
        expected: { ...first.expected, reasonCodes: ['critical_result'], mustReview: false },
      };
      writeFileSync(file, `${JSON.stringify(first)}\n${JSON.stringify(bad)}\n`);
      expect(() => loadClinicalCorpus([file])).toThrow(CorpusError);
      expect(() => loadClinicalCorpus([file])).toThrow(
        /bad\.jsonl:2: expected\.mustReview: a clinical reason code/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
