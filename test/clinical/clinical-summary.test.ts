/**
 * The clinical summary through the REST API on a real worker, beside legal intake: each example document
 * ends as its checks say (filed, or with a clinician for the reason the tables give), and Temporal holds no
 * patient name, MRN or date of birth.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serveApi, statusWhen, uniqueExternalId, type RunningApi } from '../api/http';
import { decodedHistoryText } from '../support/encryption';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let api: RunningApi;

beforeAll(async () => {
  stack = await startTestStack();
  api = await serveApi(stack.config, stack.client, stack.db);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

function example(name: string) {
  const body = JSON.parse(readFileSync(path.join(__dirname, '../../examples', name), 'utf8'));
  return { ...body, externalId: uniqueExternalId('clin') };
}

async function run(name: string) {
  const started = await api.call('POST', '/v1/workflows/clinical-summary', {
    key: stack.keys.operator,
    json: example(name),
  });
  expect(started.status).toBe(202);
  return statusWhen(api, stack.keys.operator, started.body.workflowId, (s) => s.status !== 'running');
}

/** Every identifier the examples give, as they write them. */
const IDENTIFIERS = [
  'Eleanor',
  'Voss',
  '00417733',
  '03/14/1948',
  'Marcus Bell',
  '00522190',
  '11/02/1961',
  '(916) 555-0182',
  'Walter',
  '00744512',
  '01/30/1939',
  'Hannah Berg',
  '12/05/1970',
  '(503) 555-0147',
];

const codesOf = (status: { review: { reasons: Array<{ code: string }> } }) =>
  status.review.reasons.map((r) => r.code);

describe('clinical summary', () => {
  it('sends an allergy conflict to a clinician at the reasoner, with the reconciliation row flagged', async () => {
    const status = await run('clinical-allergy-conflict.json');
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'reasoner' });
    expect(codesOf(status)).toContain('allergy_conflict');
    const rows = status.results.checks.medications.rows as Array<{
      name: string;
      flags: Array<{ code: string }>;
    }>;
    const amoxicillin = rows.find((r) => r.name === 'amoxicillin')!;
    expect(amoxicillin.flags.map((f) => f.code)).toEqual(['allergy_conflict']);
    // The allergy list names penicillin: an allergy, not a medication the patient takes.
    expect(rows.map((r) => r.name)).not.toContain('penicillin');
    // Found by the body's MRN, which reached the workflow as a token only.
    expect(status.results.checks.patient).toMatchObject({ found: true, patientId: 'pat-0001', by: 'mrn' });
  });

  it('sends a critical lab value to a clinician at the first stop, before any model is trusted', async () => {
    const status = await run('clinical-critical-lab.json');
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
    expect(codesOf(status)).toContain('critical_result');
    expect(status.results.checks.labs.results).toContainEqual(
      expect.objectContaining({ test: 'potassium', value: 6.8, critical: true }),
    );
    // Approved, it goes on to the record's checks: digoxin and furosemide are the table's interacting pair.
    const decided = await api.call('POST', `/v1/reviews/${status.workflowId}/decision`, {
      key: stack.keys.reviewer,
      json: { reviewId: status.review.id, decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    const next = await statusWhen(
      api,
      stack.keys.operator,
      status.workflowId,
      (s) => s.stage === 'reasoner' && s.status !== 'running',
    );
    expect(codesOf(next)).toContain('drug_interaction');
    expect(codesOf(next)).not.toContain('critical_result');
  });

  it('sends a referral whose follow-up date has passed to a clinician, found by name and date of birth', async () => {
    const status = await run('clinical-referral-overdue.json');
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'reasoner' });
    expect(codesOf(status)).toContain('follow_up_overdue');
    // No MRN anywhere: found by the name and date of birth, re-identified inside the activity.
    expect(status.results.checks.patient).toMatchObject({ found: true, by: 'name_and_birth_date' });
    expect(status.results.checks.followUps.items).toContainEqual(
      expect.objectContaining({ dueDate: '2026-10-30', overdue: true }),
    );
  });

  it('files a clean discharge as a FHIR DocumentReference with its Composition, once', async () => {
    const status = await run('clinical-clean-discharge.json');
    expect(status.review?.reasons ?? []).toEqual([]);
    expect(status.status).toBe('completed');
    const { documentReferenceId } = status.result;
    expect(documentReferenceId).toMatch(/^docref-[0-9a-f]{12}$/);
    expect(status.results.checks.letter.grade).toBeLessThanOrEqual(8);
    const { rows } = await stack.db.query<{
      workflow_id: string;
      patient_id: string;
      document_reference: { resourceType: string; subject: { reference: string }; content: unknown[] };
      composition: { resourceType: string; section: Array<{ title: string }> };
    }>('SELECT * FROM ehr_documents WHERE document_reference_id = $1', [documentReferenceId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ workflow_id: status.workflowId, patient_id: 'pat-0002' });
    expect(rows[0].document_reference).toMatchObject({
      resourceType: 'DocumentReference',
      subject: { reference: 'Patient/pat-0002' },
    });
    expect(rows[0].composition.section.map((s) => s.title)).toContain('Medications');
  });

  it('keeps every name, MRN, date of birth and phone out of Temporal and away from the model', async () => {
    const ids = await Promise.all(
      ['clinical-allergy-conflict.json', 'clinical-critical-lab.json', 'clinical-referral-overdue.json'].map(
        async (name) => (await run(name)).workflowId as string,
      ),
    );
    const histories = await Promise.all(ids.map((id) => decodedHistoryText(stack.client, id)));
    const sent = JSON.stringify(stack.simulator.received());
    for (const identifier of IDENTIFIERS) {
      for (const history of histories) expect(history).not.toContain(identifier);
      expect(sent).not.toContain(identifier);
    }
    // The tokens are there instead: the texts did reach Temporal and the model, pseudonymized.
    expect(histories.join('')).toMatch(/\[PERSON_1\]/);
    expect(sent).toMatch(/\[DOB_1\]/);
  });
});
