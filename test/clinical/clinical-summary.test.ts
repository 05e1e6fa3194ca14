/**
 * The clinical summary through the REST API on a real worker, beside legal intake: each example document
 * ends as its checks say (filed, or with a clinician for the reason the tables give), and Temporal holds no
 * patient name, MRN or date of birth.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pollUntil, serveApi, statusWhen, uniqueExternalId, type RunningApi } from '../api/http';
import { hashApiKey } from '../../config';
import { ClinicalSummaryRequest } from '../../workflows/clinical-summary';
import { decodedHistoryText } from '../support/encryption';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let api: RunningApi;
let receiver: WebhookReceiver;
const WEBHOOK_SECRET = 'clinical-webhook-secret-0123456789';
/** A reviewer limited to legal intake, and an auditor. */
const legalReviewerKey = randomBytes(24).toString('hex');
const auditorKey = randomBytes(24).toString('hex');

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const url = receiver.route('/events', { secret: WEBHOOK_SECRET });
  stack = await startTestStack({
    configOverrides: {
      notifications: { webhooks: [{ url, secret: WEBHOOK_SECRET, events: ['workflow.completed'] }] },
    },
  });
  stack.config.api.keys.push(
    {
      name: 'legal-reviewer',
      role: 'reviewer',
      sha256: hashApiKey(legalReviewerKey),
      types: ['legal-intake'],
    },
    { name: 'test-auditor', role: 'auditor', sha256: hashApiKey(auditorKey) },
  );
  api = await serveApi(stack.config, stack.client, stack.db);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
  await receiver?.close();
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

/** Approves the run's pending review and waits for it to move on (to its next stop, or its end). */
async function approve(status: { workflowId: string; review: { id: string } }) {
  const decided = await api.call('POST', `/v1/reviews/${status.workflowId}/decision`, {
    key: stack.keys.reviewer,
    json: { reviewId: status.review.id, decision: 'approve' },
  });
  expect(decided.status).toBe(200);
  return statusWhen(
    api,
    stack.keys.operator,
    status.workflowId,
    (s) => s.status !== 'running' && s.review?.id !== status.review.id,
  );
}

describe('clinical summary', () => {
  it('sends an allergy conflict to a clinician at the first stop, and does not ask again about it', async () => {
    const status = await run('clinical-allergy-conflict.json');
    // From the text and the record alone, before any model's output is trusted.
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
    expect(codesOf(status)).toContain('allergy_conflict');
    const rows = status.results.checks.documentMedications.rows as Array<{
      name: string;
      flags: Array<{ code: string }>;
    }>;
    const amoxicillin = rows.find((r) => r.name === 'amoxicillin')!;
    expect(amoxicillin.flags.map((f) => f.code)).toEqual(['allergy_conflict']);
    // The allergy list names penicillin: an allergy, not a medication the patient takes.
    expect(rows.map((r) => r.name)).not.toContain('penicillin');
    // Found by the body's MRN, which reached the workflow as a token only.
    expect(status.results.checks.patient).toMatchObject({ found: true, patientId: 'pat-0001', by: 'mrn' });

    // Approved, the checks run again with the extraction; the conflict a clinician already saw is not raised again.
    const next = await approve(status);
    expect(next.results.checks.medications.rows).toContainEqual(
      expect.objectContaining({
        name: 'amoxicillin',
        flags: [expect.objectContaining({ code: 'allergy_conflict' })],
      }),
    );
    const later = [next, ...(next.reviewHistory ?? [])].flatMap(
      (s: { review?: { reasons?: Array<{ code: string }> } }) => (s.review?.reasons ?? []).map((r) => r.code),
    );
    expect(later).not.toContain('allergy_conflict');
  });

  it('is hidden from a reviewer limited to legal intake: 404 on the item, absent from the queue', async () => {
    const status = await run('clinical-allergy-conflict.json');
    const own = await api.call('GET', `/v1/reviews/${status.workflowId}`, { key: stack.keys.reviewer });
    expect(own.status).toBe(200);
    const scoped = await api.call('GET', `/v1/reviews/${status.workflowId}`, { key: legalReviewerKey });
    expect([scoped.status, scoped.body.error.code]).toEqual([404, 'not_found']);
    const decision = await api.call('POST', `/v1/reviews/${status.workflowId}/decision`, {
      key: legalReviewerKey,
      json: { reviewId: status.review.id, decision: 'approve' },
    });
    expect(decision.status).toBe(404);
    const queue = await api.call('GET', '/v1/reviews?limit=100', { key: legalReviewerKey });
    expect(queue.status).toBe(200);
    expect(queue.body.items.map((i: { type: string }) => i.type)).not.toContain('clinical-summary');
    const all = await api.call('GET', '/v1/reviews?type=clinical-summary&limit=100', {
      key: stack.keys.reviewer,
    });
    expect(all.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(status.workflowId);
  });

  it('refuses an empty or oversized document, and a document of no known kind, starting nothing', async () => {
    const body = example('clinical-clean-discharge.json');
    for (const document of [
      { ...body.document, text: '   ' },
      { ...body.document, text: 'x'.repeat(60_001) },
      { ...body.document, kind: 'x_ray' },
    ]) {
      const res = await api.call('POST', '/v1/workflows/clinical-summary', {
        key: stack.keys.operator,
        json: { ...body, document },
      });
      expect([res.status, res.body.error.details[0].path[0]]).toEqual([400, 'document']);
    }
    const status = await api.call('GET', `/v1/workflows/clinical-summary-${body.externalId}`, {
      key: stack.keys.operator,
    });
    expect(status.status).toBe(404);
  });

  it('sends a document in another language to a clinician at the extractor, never filing guessed medications', async () => {
    const started = await api.call('POST', '/v1/workflows/clinical-summary', {
      key: stack.keys.operator,
      json: {
        externalId: uniqueExternalId('clin-es'),
        document: {
          kind: 'visit_note',
          receivedAt: '2026-10-28T12:00:00Z',
          text:
            'NOTA DE CONSULTA\nPaciente: Rosa Delgado  Fecha de nacimiento: 04/17/1958\n' +
            'Diabetes tipo 2 e hipertensión. Trae sus controles de glucosa en casa, buenos.\n' +
            'Plan: continuar metformina 850 mg dos veces al día. Se inicia lisinopril 10 mg una vez al día.\n' +
            'Alergias: ninguna conocida.\nPróxima cita en 3 meses.',
        },
      },
    });
    const status = await statusWhen(
      api,
      stack.keys.operator,
      started.body.workflowId,
      (s) => s.status !== 'running',
    );
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
    expect(codesOf(status)).toContain('low_confidence');
    expect(status.result).toBeNull();
  });

  it('sends a critical lab value to a clinician at the first stop, with the record’s interaction', async () => {
    const status = await run('clinical-critical-lab.json');
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
    expect(codesOf(status)).toContain('critical_result');
    expect(status.results.checks.labs.results).toContainEqual(
      expect.objectContaining({ test: 'potassium', value: 6.8, critical: true }),
    );
    // Digoxin and furosemide, which the text names and the record lists: the table's interacting pair.
    expect(codesOf(status)).toContain('drug_interaction');
  });

  it('sends a referral whose follow-up date has passed to a clinician, found by name and date of birth', async () => {
    const status = await run('clinical-referral-overdue.json');
    expect(status).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
    expect(codesOf(status)).toContain('follow_up_overdue');
    // No MRN anywhere: found by the name and date of birth, re-identified inside the activity.
    expect(status.results.checks.patient).toMatchObject({ found: true, by: 'name_and_birth_date' });
    expect(status.results.checks.documentFollowUps.items).toContainEqual(
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

    // A signed workflow.completed event, as for a legal intake: it names the run (whose status names the filed
    // document), and nothing about the patient.
    const delivery = await pollUntil(
      async () =>
        receiver.deliveries('/events').find((d) => JSON.parse(d.body).workflowId === status.workflowId),
      (found) => found !== undefined,
      { timeoutMs: 10_000, intervalMs: 100 },
    );
    expect(delivery!.verified).toBe(true);
    expect(JSON.parse(delivery!.body)).toMatchObject({ type: 'workflow.completed' });
    for (const identifier of ['Marcus', 'Bell', '00522190']) expect(delivery!.body).not.toContain(identifier);

    // The audit trail holds the run's model calls, checks and the filing, as for a legal intake.
    const audit = await api.call('GET', `/v1/workflows/${status.workflowId}/audit`, { key: auditorKey });
    expect(audit.status).toBe(200);
    const kinds = JSON.stringify(audit.body);
    for (const name of ['criticalResults', 'reconcileMedications', 'fileClinicalSummary'])
      expect(kinds).toContain(name);

    // Erasure, as for an intake: the stored document and the mapping go; the filed resources keep tokens only.
    const erased = await api.call('DELETE', `/v1/workflows/${status.workflowId}/personal-data`, {
      key: stack.keys.admin,
    });
    expect(erased.status).toBe(200);
    expect(await stack.personal.loadBody(status.workflowId, ClinicalSummaryRequest)).toBeNull();
    // (The attachment's base64 is read decoded: base64 may spell a name by chance.)
    const attachment = (rows[0].document_reference.content[0] as { attachment: { data: string } }).attachment;
    const filed = [
      JSON.stringify(rows[0].composition),
      Buffer.from(attachment.data, 'base64').toString('utf8'),
    ].join();
    for (const identifier of ['Marcus', 'Bell', '00522190', '11/02/1961'])
      expect(filed).not.toContain(identifier);
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
