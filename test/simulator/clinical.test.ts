/**
 * The clinical summary's three agents played by the simulator over HTTP: the extractor reads pseudonymized
 * clinical documents (well, with three deliberate weaknesses), the reasoner calls its tools with the
 * document's tokens and routes from the checks, the drafter writes a plain letter.
 */
import {
  checkMedicationsTool,
  followUpPolicyTool,
  lookupPatientTool,
  type ClinicalExtraction,
} from '../../workflows/clinical-summary/agents';
import { readingGrade } from '../../workflows/clinical-summary/readability';
import { simulatorForThisFile } from './agent-requests';
import {
  DISCHARGE,
  DISCHARGE_TRUTH,
  SPANISH_DISCHARGE,
  VISIT_NOTE,
  VISIT_NOTE_TRUTH,
  assessDocument,
  draftLetter,
  extract,
  extraction,
  quietChecks,
} from './clinical-requests';

const sim = simulatorForThisFile();

/** F1 of the extracted medications against the truth, matching on the fields given in `on`. */
function medicationF1(
  extracted: ClinicalExtraction['medications'],
  truth: ReadonlyArray<Record<string, unknown>>,
  on: ReadonlyArray<'name' | 'status'>,
): number {
  const key = (m: Record<string, unknown>) => on.map((field) => String(m[field])).join('/');
  const truthKeys = new Set(truth.map(key));
  const hits = extracted.filter((m) => truthKeys.has(key(m))).length;
  if (hits === 0) return 0;
  const precision = hits / extracted.length;
  const recall = hits / truth.length;
  return (2 * precision * recall) / (precision + recall);
}

const byName = (medications: ClinicalExtraction['medications'], name: string) =>
  medications.find((m) => m.name === name);

describe('the clinical extractor', () => {
  it('reads a list-style discharge summary: medications with dose, route, frequency and status', async () => {
    const read = await extraction(sim.client, DISCHARGE);

    expect(read.documentKind).toBe('discharge_summary');
    expect(read.medications.map((m) => m.name)).toEqual(DISCHARGE_TRUTH.map((m) => m.name));
    expect(byName(read.medications, 'azithromycin')).toEqual({
      name: 'azithromycin',
      dose: 500,
      unit: 'mg',
      route: 'PO',
      frequency: 'daily',
      status: 'new',
    });
    expect(byName(read.medications, 'metoprolol')).toMatchObject({ dose: 50, frequency: 'twice daily' });
    expect(read.medications.map((m) => m.status)).toEqual(DISCHARGE_TRUTH.map((m) => m.status));
    expect(read.allergies).toEqual([{ substance: 'penicillin', reaction: 'hives' }]);
    expect(read.problems).toEqual([
      { text: 'Community-acquired pneumonia', icd10: 'J18.9' },
      { text: 'atrial fibrillation', icd10: null },
    ]);
    expect(read.encounterDates).toEqual([
      { kind: 'admission', date: '2026-02-10' },
      { kind: 'discharge', date: '2026-02-14' },
    ]);
    expect(read.pendingResults).toEqual(['blood cultures']);
    expect(read.followUps).toEqual([
      { what: 'primary care within 7 days, by 2026-02-21', dueDate: '2026-02-21' },
      { what: 'Cardiology in 4 weeks', dueDate: null },
    ]);
    expect(read.redFlags).toEqual(['return if shortness of breath worsens']);
    expect(read.fieldConfidence.medications).toBeGreaterThanOrEqual(0.85);
    expect(read.confidence).toBeLessThanOrEqual(
      Math.min(read.fieldConfidence.medications, read.fieldConfidence.allergies),
    );
  });

  it('garbles a decimal dose: digoxin 0.125mg is read as 125 mg, the same way every time', async () => {
    const first = await extraction(sim.client, DISCHARGE);
    const again = await extraction(sim.client, DISCHARGE);

    expect(byName(first.medications, 'digoxin')).toMatchObject({ dose: 125, unit: 'mg' });
    expect(again).toEqual(first);
  });

  it('reads prose, misses a drug after a list in a long sentence and a status verb far from its drug', async () => {
    const read = await extraction(sim.client, VISIT_NOTE);
    const names = read.medications.map((m) => m.name);

    expect(names).toEqual(
      expect.arrayContaining([
        'lisinopril',
        'metformin',
        'atorvastatin',
        'amlodipine',
        'ibuprofen',
        'gabapentin',
      ]),
    );
    // Weakness: "…, and she was also started on aspirin 81 mg daily" comes after the list in a long sentence.
    expect(names).not.toContain('aspirin');
    expect(byName(read.medications, 'amlodipine')).toMatchObject({ dose: 5, unit: 'mg', status: 'new' });
    // A drug the vocabulary does not know is read from its dose, its status from the word after it.
    expect(byName(read.medications, 'gabapentin')).toMatchObject({
      dose: 300,
      frequency: 'three times daily',
      status: 'new',
    });
    // Weakness: "Discontinue her usual over-the-counter ibuprofen": the verb is too far before the drug.
    expect(byName(read.medications, 'ibuprofen')?.status).toBe('continued');
    expect(read.allergies).toEqual([{ substance: 'sulfa drugs', reaction: 'rash' }]);
    expect(read.problems).toContainEqual({ text: 'type 2 diabetes', icd10: 'E11.9' });
    expect(read.encounterDates).toEqual([{ kind: 'visit', date: '2026-03-04' }]);
    expect(read.followUps).toEqual([
      { what: 'Follow up with primary care on 04/15/2026', dueDate: '2026-04-15' },
    ]);
    expect(read.fieldConfidence.medications).toBeLessThan(0.85);
  });

  it('keeps the medication F1 between 0.8 and 0.95 on documents with prose', async () => {
    const discharge = await extraction(sim.client, DISCHARGE);
    const visit = await extraction(sim.client, VISIT_NOTE);

    expect(medicationF1(discharge.medications, DISCHARGE_TRUTH, ['name', 'status'])).toBe(1);
    const byNames = medicationF1(visit.medications, VISIT_NOTE_TRUTH, ['name']);
    expect(byNames).toBeGreaterThanOrEqual(0.8);
    expect(byNames).toBeLessThanOrEqual(0.95);
    expect(medicationF1(visit.medications, VISIT_NOTE_TRUTH, ['name', 'status'])).toBeLessThan(byNames);
  });

  it('makes little of a document in Spanish, and says so with a low confidence', async () => {
    const read = await extraction(sim.client, SPANISH_DISCHARGE);

    expect(read.confidence).toBeLessThan(0.5);
    expect(read.fieldConfidence.medications).toBeLessThan(0.5);
    expect(read.allergies).toEqual([]);
    expect(read.followUps).toEqual([]);
    expect(read.medications.length).toBeLessThanOrEqual(2);
    expect(read.rationale).toMatch(/not in English/);
  });

  it('answers with logprobs: the document kind as likely as its field confidence', async () => {
    const completion = await extract(sim.client, DISCHARGE, { logprobs: true });
    const tokens = completion.choices[0].logprobs?.content ?? [];
    const read = completion.choices[0].message.parsed as ClinicalExtraction;

    expect(tokens.map((t) => t.token).join('')).toBe(completion.choices[0].message.content);
    const uncertain = tokens.filter((t) => t.logprob < 0);
    expect(uncertain.length).toBeGreaterThan(0);
    const kind = Math.exp(
      tokens
        .slice(tokens.findIndex((t) => t.token.includes('documentKind')) + 1)
        .slice(0, 6)
        .reduce((sum, t) => sum + t.logprob, 0),
    );
    expect(kind).toBeCloseTo(read.fieldConfidence.documentKind, 2);
  });
});

describe('the clinical reasoner', () => {
  it("calls its tools with the document's tokens, the extracted medications and the document kind", async () => {
    const read = await extraction(sim.client, DISCHARGE);
    const { calls } = await assessDocument(sim.client, {
      extraction: read,
      checks: quietChecks(read),
      body: DISCHARGE.body,
    });
    const specs = [lookupPatientTool, checkMedicationsTool, followUpPolicyTool];
    const args = Object.fromEntries(
      calls.map((call) => {
        const spec = specs.find((s) => call.type === 'function' && s.name === call.function.name);
        if (!spec || call.type !== 'function') throw new Error(`unexpected call ${call.id}`);
        return [spec.name, spec.args.parse(JSON.parse(call.function.arguments))];
      }),
    );

    expect(args.lookupPatient).toEqual({ mrn: '[ID_1]', name: '[PERSON_1]', birthDate: '[DOB_1]' });
    expect(args.checkMedications).toEqual({ medications: read.medications.map((m) => m.name) });
    expect(args.followUpPolicy).toEqual({ documentKind: 'discharge_summary' });
  });

  it('routes a flagged interaction to the pharmacy, urgently, with the flag on the attention list', async () => {
    const read = await extraction(sim.client, DISCHARGE);
    const checks = quietChecks(read);
    checks.medications.rows[1].flags.push({
      code: 'drug_interaction',
      detail: 'warfarin with azithromycin: risk of raised INR',
    });
    const { assessment } = await assessDocument(sim.client, {
      extraction: read,
      checks,
      body: DISCHARGE.body,
    });

    expect(assessment.routing).toBe('pharmacy');
    expect(assessment.priority).toBe('urgent');
    expect(assessment.attention[0]).toEqual({
      item: 'warfarin: drug interaction',
      why: 'warfarin with azithromycin: risk of raised INR',
    });
    expect(assessment.attention.map((a) => a.item)).toContain(
      'Red flag: return if shortness of breath worsens',
    );
    expect(assessment.risks.join(' ')).toMatch(/raised INR/);
    expect(assessment.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('makes a lesser flag soon, a critical lab urgent, an overdue follow-up a care-management matter', async () => {
    const read = await extraction(sim.client, DISCHARGE);
    const body = DISCHARGE.body;

    const flagged = quietChecks(read);
    flagged.medications.rows[0].flags.push({
      code: 'not_in_record',
      detail: 'azithromycin is not in the record',
    });
    const soon = (await assessDocument(sim.client, { extraction: read, checks: flagged, body })).assessment;
    expect([soon.routing, soon.priority]).toEqual(['pharmacy', 'soon']);

    const critical = quietChecks(read);
    critical.labs.results.push({ test: 'potassium', value: 6.8, unit: 'mmol/L', critical: true });
    const urgent = (await assessDocument(sim.client, { extraction: read, checks: critical, body }))
      .assessment;
    expect([urgent.routing, urgent.priority]).toEqual(['primary_care', 'urgent']);
    expect(urgent.attention[0].item).toBe('Critical potassium 6.8 mmol/L');

    const late = quietChecks(read);
    late.followUps.items[0].overdue = true;
    const overdue = (await assessDocument(sim.client, { extraction: read, checks: late, body })).assessment;
    expect([overdue.routing, overdue.priority]).toEqual(['care_management', 'routine']);
    expect(overdue.attention.map((a) => a.item)).toContain('Overdue follow-up: primary care');
  });

  it('sends a referral to the specialist, and is less sure when the patient is unknown or a drug unverified', async () => {
    const read = { ...(await extraction(sim.client, DISCHARGE)), documentKind: 'referral' as const };
    const checks = quietChecks(read);
    checks.patient.found = false;
    checks.medications.unverified.push('gabapentin');
    const { assessment } = await assessDocument(sim.client, {
      extraction: read,
      checks,
      body: DISCHARGE.body,
    });

    expect(assessment.routing).toBe('specialist');
    expect(assessment.priority).toBe('routine');
    expect(assessment.attention.map((a) => a.item)).toContain('Unverified medication: gabapentin');
    expect(assessment.confidence).toBeLessThan(0.85);
  });
});

describe('the clinical drafter', () => {
  const PROMISES = /guarantee|will cure|you will be fine|will (?:get|feel) better|full recovery/i;

  async function draftFor(document: typeof DISCHARGE) {
    const read = await extraction(sim.client, document);
    const { assessment } = await assessDocument(sim.client, {
      extraction: read,
      checks: quietChecks(read),
      body: document.body,
    });
    return {
      read,
      draft: await draftLetter(sim.client, { extraction: read, assessment, body: document.body }),
    };
  }

  it('writes a plain letter to the patient token, naming only the extracted medications', async () => {
    const { read, draft } = await draftFor(DISCHARGE);
    const letter = draft.patientLetter;

    expect(letter.startsWith('Dear [PERSON_1],')).toBe(true);
    for (const m of read.medications) expect(letter).toContain(m.name);
    expect(letter).not.toMatch(/amoxicillin|penicillin|lisinopril/i);
    expect(letter).toMatch(/Stop taking ibuprofen\./);
    expect(letter).toMatch(/Please make a visit by February 21, 2026\./);
    expect(letter).toMatch(/Please call us or get help right away if shortness of breath worsens\./);
    expect(letter).toMatch(/Please call us if/);
    expect(letter).not.toMatch(PROMISES);
    expect(readingGrade(letter)).toBeLessThanOrEqual(8);
    expect(draft.clinicianSummary.medications).toMatch(/^New: azithromycin 500 mg PO daily\./);
    expect(draft.clinicianSummary.problems).toBe(
      'Community-acquired pneumonia (J18.9); atrial fibrillation.',
    );
    expect(draft.clinicianSummary.allergies).toBe('penicillin (hives).');
  });

  it('turns long-winded when the extraction lists more than five medications', async () => {
    const plain = (await draftFor(DISCHARGE)).draft.patientLetter;
    const { read, draft } = await draftFor(VISIT_NOTE);
    const longest = Math.max(...draft.patientLetter.split(/[.!?]\s/).map((s) => s.split(/\s+/).length));

    expect(read.medications.length).toBeGreaterThan(5);
    expect(draft.patientLetter.startsWith('Dear [PERSON_3],')).toBe(true);
    expect(longest).toBeGreaterThan(50);
    // This one is short apart from its medicines, so the workflow's grade check (8 at most) catches it.
    expect(readingGrade(draft.patientLetter)).toBeGreaterThan(8);
    expect(readingGrade(plain)).toBeLessThanOrEqual(8);
    expect(draft.patientLetter).not.toMatch(PROMISES);
  });
});
