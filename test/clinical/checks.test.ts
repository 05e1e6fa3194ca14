/** The clinical summary's deterministic checks, one reason code at a time, on the shipped tables. */
import type { ExtractedMedication, PatientLookup } from '../../workflows/clinical-summary/agents';
import {
  letterFacts,
  letterReasons,
  reconcileMedications,
  labResults,
  patientKeys,
  MAX_LETTER_GRADE,
} from '../../workflows/clinical-summary/checks';
import { overdueFollowUps } from '../../workflows/clinical-summary/follow-ups';
import { labReasons, recordReasons, type ClinicalChecks } from '../../workflows/clinical-summary/pipeline';

const NOBODY: PatientLookup = {
  found: false,
  patientId: null,
  by: null,
  activeMedications: [],
  allergies: [],
};

function patient(partial: Partial<PatientLookup>): PatientLookup {
  return { ...NOBODY, found: true, patientId: 'pat-x', by: 'mrn', ...partial };
}

function med(
  name: string,
  dose: number | null,
  status: ExtractedMedication['status'],
  unit = 'mg',
): ExtractedMedication {
  return { name, dose, unit, route: 'PO', frequency: 'daily', status };
}

function flagsOf(result: ReturnType<typeof reconcileMedications>, name: string): string[] {
  return result.rows.find((r) => r.name === name)?.flags.map((f) => f.code) ?? [];
}

describe('medication reconciliation', () => {
  it('allergy_conflict: a new drug in a class the record says the patient is allergic to', () => {
    const result = reconcileMedications({
      text: 'Start amoxicillin 500 mg three times daily.',
      extracted: [med('amoxicillin', 500, 'new')],
      extractedAllergies: [],
      patient: patient({ allergies: [{ substance: 'penicillin', drugClass: 'penicillins' }] }),
    });
    expect(flagsOf(result, 'amoxicillin')).toEqual(['allergy_conflict']);
  });

  it('allergy_conflict: from an allergy the document states by class word, for a drug the extraction missed', () => {
    const result = reconcileMedications({
      text: 'Allergies: sulfa (rash).\nBactrim 800 mg twice daily for 5 days.',
      extracted: [],
      extractedAllergies: [],
      patient: NOBODY,
    });
    expect(flagsOf(result, 'sulfamethoxazole-trimethoprim')).toEqual(['allergy_conflict']);
  });

  it('allergy_conflict: an allergy written with its reaction after a dash, in capitals', () => {
    const result = reconcileMedications({
      text: 'Allergies: PENICILLIN - anaphylaxis (2011)\nStart amoxicillin 500 mg three times daily.',
      extracted: [],
      extractedAllergies: ['penicillin - anaphylaxis'],
      patient: NOBODY,
    });
    expect(flagsOf(result, 'amoxicillin')).toEqual(['allergy_conflict']);
  });

  it('no allergy_conflict for a drug the document stops', () => {
    const result = reconcileMedications({
      text: 'Amoxicillin stopped after a rash.',
      extracted: [med('amoxicillin', null, 'stopped')],
      extractedAllergies: ['penicillin'],
      patient: NOBODY,
    });
    expect(flagsOf(result, 'amoxicillin')).toEqual([]);
  });

  it("drug_interaction: a document's new drug and the record's active one, by class", () => {
    const result = reconcileMedications({
      text: 'Ibuprofen 400 mg as needed for pain.',
      extracted: [med('ibuprofen', 400, 'new')],
      extractedAllergies: [],
      patient: patient({ activeMedications: [{ name: 'warfarin', dose: 5, unit: 'mg' }] }),
    });
    expect(flagsOf(result, 'ibuprofen')).toEqual(['drug_interaction']);
    // Warfarin is not in the document at all: it is also unreconciled.
    expect(flagsOf(result, 'warfarin')).toEqual(['unreconciled_medication', 'drug_interaction']);
  });

  it('dose_out_of_range: the text dose counts even when the extraction read a smaller one, and units convert', () => {
    const result = reconcileMedications({
      text: 'Metoprolol 400 mg daily. Levothyroxine 0.5 mg daily.',
      extracted: [med('metoprolol', 40, 'changed'), med('levothyroxine', 0.5, 'continued')],
      extractedAllergies: [],
      patient: NOBODY,
    });
    expect(flagsOf(result, 'metoprolol')).toEqual(['dose_out_of_range']);
    // 0.5 mg is 500 mcg, above the table's 300 mcg.
    expect(flagsOf(result, 'levothyroxine')).toEqual(['dose_out_of_range']);
  });

  it('dose_out_of_range: a dose the text writes after the change it makes', () => {
    const result = reconcileMedications({
      text:
        'Metformin was increased to 1500 mg twice daily. Today I increased levothyroxine to 350 mcg. ' +
        'Furosemide: INCREASED from 40 mg to 80 mg once daily.',
      extracted: [],
      extractedAllergies: [],
      patient: NOBODY,
    });
    expect(flagsOf(result, 'metformin')).toEqual(['dose_out_of_range']);
    expect(flagsOf(result, 'levothyroxine')).toEqual(['dose_out_of_range']);
    // 80 mg is the table's largest furosemide dose: not above it.
    expect(result.rows.find((r) => r.name === 'furosemide')?.document).toMatchObject({
      dose: 80,
      unit: 'mg',
    });
    expect(flagsOf(result, 'furosemide')).toEqual([]);
  });

  it('unreconciled_medication only when the patient was found', () => {
    const record = { activeMedications: [{ name: 'sertraline', dose: 100, unit: 'mg' }] };
    const found = reconcileMedications({
      text: 'No changes.',
      extracted: [],
      extractedAllergies: [],
      patient: patient(record),
    });
    expect(flagsOf(found, 'sertraline')).toEqual(['unreconciled_medication']);
    const continued = reconcileMedications({
      text: 'Continue sertraline 100 mg daily.',
      extracted: [],
      extractedAllergies: [],
      patient: patient(record),
    });
    expect(flagsOf(continued, 'sertraline')).toEqual([]);
  });

  it('an unknown name is unverified, and the gate sends it to a person as an incomplete check', () => {
    const medications = reconcileMedications({
      text: 'Start zanoprilate 10 mg daily.',
      extracted: [med('Zanoprilate', 10, 'new')],
      extractedAllergies: [],
      patient: patient({}),
    });
    expect(medications.unverified).toEqual(['Zanoprilate']);
    const reasons = recordReasons(checks({ medications }));
    expect(reasons).toContainEqual(
      expect.objectContaining({
        code: 'check_incomplete',
        evidence: expect.objectContaining({ status: 'unverified' }),
      }),
    );
  });
});

type RecordChecks = Pick<ClinicalChecks, 'patient' | 'medications' | 'followUps'>;

function checks(partial: Partial<RecordChecks>): RecordChecks {
  return {
    patient: patient({}),
    medications: { patientFound: true, rows: [], unverified: [] },
    followUps: { asOf: '2026-11-20', items: [] },
    ...partial,
  };
}

describe('drugs the formulary does not know', () => {
  it('a dosed name in the text that no table knows is unverified even when the extraction left it out', () => {
    const medications = reconcileMedications({
      text: 'Plan: start sumatriptan 50 mg at migraine onset. Potassium 4.1 mmol/L. Continue metformin 500 mg.',
      extracted: [med('metformin', 500, 'continued')],
      extractedAllergies: [],
      patient: patient({}),
    });
    expect(medications.unverified).toEqual(['sumatriptan']);
  });

  it("a salt written after a known drug's name is that drug, not an unknown one", () => {
    const medications = reconcileMedications({
      text: 'Metoprolol tartrate 50 mg twice daily. Potassium chloride 20 mEq daily.',
      extracted: [],
      extractedAllergies: [],
      patient: patient({}),
    });
    expect(medications.unverified).toEqual([]);
  });
});

describe('critical results', () => {
  it('critical_result for a value outside the table range, none for a normal one', () => {
    const { results } = labResults('Potassium 6.8 mmol/L (H). Sodium: 138 mmol/L. INR 5.6.');
    expect(results.filter((r) => r.critical).map((r) => r.test)).toEqual(['potassium', 'inr']);
    expect(labReasons({ results }).map((r) => r.code)).toEqual(['critical_result', 'critical_result']);
  });
});

describe('follow-ups', () => {
  it('follow_up_overdue for a due date before the day the document was received, in any written form', () => {
    const followUps = overdueFollowUps(
      'Follow-up with cardiology by 10/30/2026. Recheck labs on December 4, 2026.',
      [{ what: 'primary care visit', dueDate: '2026-11-01' }],
      '2026-11-20',
    );
    expect(followUps.items.map((i) => [i.dueDate, i.overdue])).toEqual([
      ['2026-10-30', true],
      ['2026-12-04', false],
      ['2026-11-01', true],
    ]);
    expect(recordReasons(checks({ followUps })).map((r) => r.code)).toEqual([
      'follow_up_overdue',
      'follow_up_overdue',
    ]);
  });

  it('a patient not found is an incomplete check', () => {
    expect(recordReasons(checks({ patient: NOBODY })).map((r) => r.code)).toEqual(['check_incomplete']);
  });
});

describe('patient keys', () => {
  it("takes the body's MRN token first, else the labelled one, and the name and birth-date tokens", () => {
    const text = 'Patient: [PERSON_2]  MRN: [ID_1]  DOB: [DOB_1]\nSeen by [PERSON_3].';
    expect(patientKeys({ document: { text } })).toEqual({
      mrn: '[ID_1]',
      name: '[PERSON_2]',
      birthDate: '[DOB_1]',
    });
    expect(patientKeys({ document: { text }, patient: { mrn: '[ID_4]' } }).mrn).toBe('[ID_4]');
  });
});

describe('the patient letter', () => {
  it('passes a plain letter that names only known medications', () => {
    const facts = letterFacts(
      'Dear [PERSON_1], please keep taking metformin each day. Call us if you feel sick.',
      ['metformin'],
    );
    expect(facts).toEqual({ grade: expect.any(Number), unknownMedications: [], promises: [] });
    expect(facts.grade).toBeLessThanOrEqual(MAX_LETTER_GRADE);
    expect(letterReasons(facts)).toEqual([]);
  });

  it('fails a letter that reads above grade 8, names a medication from nowhere, or promises an outcome', () => {
    const facts = letterFacts(
      'Following comprehensive multidisciplinary evaluation, continuation of anticoagulation therapy necessitates ' +
        'subsequent hematological reassessment. Your treatment with warfarin is guaranteed to succeed.',
      ['metformin'],
    );
    expect(facts.grade).toBeGreaterThan(MAX_LETTER_GRADE);
    expect(facts.unknownMedications).toEqual(['warfarin']);
    expect(facts.promises).toEqual(['guaranteed']);
    expect(letterReasons(facts).map((r) => r.evidence?.check)).toEqual([
      'reading_grade',
      'letter_medications',
      'letter_promises',
    ]);
  });
});
