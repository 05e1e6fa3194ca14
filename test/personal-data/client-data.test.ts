/**
 * Client data by design, on a real worker and the REST API: the raw intake lives only in Docket's
 * database (sealed), Temporal and the model see tokens, the tools re-identify inside their activities,
 * each role sees what it is entitled to, a model that writes an identifier in clear is caught, and an
 * erasure leaves nothing that leads to the person.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { IntakeRequest } from '../../domain';
import { readWorkflowAudit, verifyAuditChain } from '../../audit';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { serveApi, type RunningApi } from '../api/http';
import { decodedHistoryText } from '../support/encryption';
import { approveUntilDone, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

const example = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/personal-details.json'), 'utf8'),
) as IntakeRequest;

/** Every identifier the intake gives, in the forms it writes them (and a few it does not). */
const IDENTIFIERS = [
  'Dana Whitfield',
  'Whitfield',
  'dana.whitfield@example.org',
  '(916) 555-0173',
  '555-0173',
  '9165550173',
  '1427 Alder Creek',
  '04/22/1981',
  '536-22-8841',
  '536228841',
  'AB-77420193',
  'Lindqvist',
];

function identifiersIn(text: string): string[] {
  return IDENTIFIERS.filter((identifier) => text.toLowerCase().includes(identifier.toLowerCase()));
}

let counter = 0;
function intake(): IntakeRequest {
  counter += 1;
  return { ...example, externalId: `personal-details-${process.pid}-${Date.now()}-${counter}` };
}

/** Every row of every table of Docket's database, as text. */
async function wholeDatabase(stack: TestStack): Promise<string> {
  const { rows: tables } = await stack.db.query<{ table_name: string }>(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`,
  );
  const dumps: string[] = [];
  for (const { table_name } of tables) {
    const { rows } = await stack.db.query(`SELECT * FROM "${table_name}"`);
    dumps.push(`${table_name}: ${JSON.stringify(rows)}`);
  }
  return dumps.join('\n');
}

describe('client data handled by design', () => {
  let stack: TestStack;
  let api: RunningApi;
  let workflowId: string;
  let finished: LegalIntakeStatus;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await serveApi(stack.config, stack.client, stack.db);
    const started = await api.call('POST', '/v1/workflows/legal-intake', {
      key: stack.keys.operator,
      json: intake(),
    });
    expect(started.status).toBe(202);
    workflowId = started.body.workflowId;
    finished = await approveUntilDone(stack.client, workflowId);
  }, 60_000);

  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  it('files the case, with the real identities sealed in the case record', async () => {
    expect(finished.status).toBe('completed');
    const fields = await stack.personal.loadCaseFields(workflowId);
    expect(fields?.clientName).toBe('Dana Whitfield');
    const { rows } = await stack.db.query('SELECT * FROM cases WHERE workflow_id = $1', [workflowId]);
    expect(identifiersIn(JSON.stringify(rows))).toEqual([]);
  });

  it('keeps identities out of Temporal history even after the codec decrypted it', async () => {
    // Decrypted with the key, as an engineer in the Temporal UI reads it: tokens, never values.
    const decoded = await decodedHistoryText(stack.client, workflowId);
    expect(decoded).toContain('[PERSON_1]');
    expect(identifiersIn(decoded)).toEqual([]);
  });

  it('sent the model pseudonymized text only', () => {
    const sent = JSON.stringify(stack.simulator.received());
    expect(stack.simulator.received().length).toBeGreaterThanOrEqual(4);
    expect(sent).toContain('[PERSON_1]');
    expect(identifiersIn(sent)).toEqual([]);
  });

  it('shows a reviewer the real names and an operator tokens, without directory rows', async () => {
    const asOperator = await api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator });
    expect(asOperator.status).toBe(200);
    expect(identifiersIn(JSON.stringify(asOperator.body))).toEqual([]);
    expect(asOperator.body.results.clientLookup).toBeNull();
    expect(asOperator.body.results.classification.client.name).toBe('[PERSON_1]');

    const asReviewer = await api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.reviewer });
    expect(asReviewer.body.results.classification.client.name).toBe('Dana Whitfield');
    expect(asReviewer.body.results.classification.client.email).toBe('dana.whitfield@example.org');
  });

  it('re-identifies inside the tools: a conflict check on tokens finds the adverse party by its name', async () => {
    // Acme Freight Inc. is adverse in an open matter: its general counsel writes as the prospective client.
    const conflict = {
      ...intake(),
      from: 'Priya Natarajan <p.natarajan@acmefreight.example>',
      subject: 'Supplier dispute',
      body:
        'Good morning,\n\nI am general counsel at Acme Freight Inc. We are in a contract dispute with our ' +
        'supplier Keystone Pallets LLC in Chicago, Illinois. We would like your firm to represent Acme Freight Inc.' +
        '\n\nRegards,\nPriya Natarajan',
    };
    const { workflowId: id } = await startLegalIntake(stack, conflict);
    const status = await waitForStatus(stack.client, id, (s) => s.status === 'awaiting_review');
    const hits = status.results.checks.conflicts.flatMap((run) => run.result?.hits ?? []);
    expect(hits.length).toBeGreaterThan(0);
    // The hit names the party by token and says which matter; the other side's details stay in the database.
    expect(hits[0]).toEqual(
      expect.objectContaining({ relation: 'client_is_adverse_party', matterId: 'M-2001' }),
    );
    expect(hits[0].matchedName).toMatch(/^\[(ORG|PERSON)_\d+\]$/);
    expect(JSON.stringify(status)).not.toMatch(/Acme|Natarajan|acmefreight/i);
    await stack.client.workflow.getHandle(id).terminate('test done');
  });

  it('sends an output with an identifier in clear to a person (pii_leak), with the value replaced', async () => {
    stack.simulator.leak('Contact Dana Whitfield on (916) 555-0173.');
    try {
      const { workflowId: id } = await startLegalIntake(stack, intake());
      const status = await waitForStatus(stack.client, id, (s) => s.status === 'awaiting_review');
      expect(status.review?.reasons.map((r) => r.code)).toContain('pii_leak');
      const leak = status.review!.reasons.find((r) => r.code === 'pii_leak')!;
      expect(leak.evidence).toEqual({ tokens: expect.arrayContaining(['[PERSON_1]', '[PHONE_1]']) });
      const history = await decodedHistoryText(stack.client, id);
      expect(history).toContain('Contact [PERSON_1] on [PHONE_1]');
      expect(identifiersIn(history)).toEqual([]);
      await stack.client.workflow.getHandle(id).terminate('test done');
    } finally {
      stack.simulator.leak(null);
    }
  });

  it('takes what a reviewer typed into the workflow as tokens, and shows it back in clear', async () => {
    const ambiguous = {
      ...intake(),
      from: undefined,
      subject: undefined,
      body: 'I have a problem with someone and I need advice. Can you help me?',
    };
    const { workflowId: id } = await startLegalIntake(stack, ambiguous);
    const status = await waitForStatus(stack.client, id, (s) => s.status === 'awaiting_review');
    const review = status.review!;
    const answer = await api.call('POST', `/v1/reviews/${id}/decision`, {
      key: stack.keys.reviewer,
      json: {
        reviewId: review.id,
        decision: 'reject',
        comment: 'Called Dana Whitfield on (916) 555-0173: she withdrew the enquiry.',
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body.recorded.comment).toBe(
      'Called Dana Whitfield on (916) 555-0173: she withdrew the enquiry.',
    );
    const history = await decodedHistoryText(stack.client, id);
    expect(history).toMatch(/Called \[PERSON_\d+\] on \[PHONE_\d+\]/);
    expect(identifiersIn(history)).toEqual([]);
  });

  it('erases for an admin only, and only once the workflow has ended', async () => {
    const operator = await api.call('DELETE', `/v1/workflows/${workflowId}/personal-data`, {
      key: stack.keys.operator,
    });
    expect(operator.status).toBe(403);

    const { workflowId: running } = await startLegalIntake(stack, {
      ...intake(),
      body: 'I have a problem with someone and I need advice. Can you help me?',
    });
    await waitForStatus(stack.client, running, (s) => s.status === 'awaiting_review');
    const refused = await api.call('DELETE', `/v1/workflows/${running}/personal-data`, {
      key: stack.keys.admin,
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('workflow_running');
    await stack.client.workflow.getHandle(running).terminate('test done');
  });

  it('leaves no identifier anywhere in the database after erasure, and the audit chain still verifies', async () => {
    // At rest, the database holds the identities sealed: nothing in clear even before erasure.
    expect(identifiersIn(await wholeDatabase(stack))).toEqual([]);
    expect((await stack.personal.loadIntake(workflowId))?.from).toBe(example.from);
    expect(Object.values((await stack.personal.loadMapping(workflowId)).tokens)).toContain('Dana Whitfield');
    // Every intake of this file holds the same identities: erase them all (ending what still runs).
    const { rows } = await stack.db.query<{ workflow_id: string }>('SELECT workflow_id FROM intakes');
    for (const { workflow_id } of rows) {
      const handle = stack.client.workflow.getHandle(workflow_id);
      if ((await handle.describe()).status.name === 'RUNNING') await handle.terminate('test done');
      const erased = await api.call('DELETE', `/v1/workflows/${workflow_id}/personal-data`, {
        key: stack.keys.admin,
      });
      expect(erased.status).toBe(200);
      expect(erased.body).toEqual(
        expect.objectContaining({ workflowId: workflow_id, intake: true, mapping: true }),
      );
    }

    // Nothing left that a key could open: no intake, no mapping, no sealed case fields.
    const everything = await wholeDatabase(stack);
    expect(identifiersIn(everything)).toEqual([]);
    expect(everything).not.toContain('sealed.v1');
    expect(await stack.personal.loadIntake(workflowId)).toBeNull();
    expect((await stack.personal.loadMapping(workflowId)).tokens).toEqual({});
    expect(await stack.personal.loadCaseFields(workflowId)).toBeNull();
    expect(await verifyAuditChain(stack.db)).toEqual(expect.objectContaining({ ok: true }));
    const trail = await readWorkflowAudit(stack.db, workflowId);
    expect(trail.rows.filter((row) => row.kind === 'erasure')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({ by: 'test-admin', intake: true, mapping: true, caseFields: true }),
      }),
    ]);

    // A second erasure finds nothing left to remove.
    const again = await api.call('DELETE', `/v1/workflows/${workflowId}/personal-data`, {
      key: stack.keys.admin,
    });
    expect(again.body).toEqual(expect.objectContaining({ intake: false, mapping: false, caseFields: false }));
    // The reviewer's view after erasure: tokens, since nothing can put the values back.
    const asReviewer = await api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.reviewer });
    expect(asReviewer.body.results.classification.client.name).toBe('[PERSON_1]');
  });
});
