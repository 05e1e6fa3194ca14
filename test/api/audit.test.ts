import { randomBytes } from 'node:crypto';
import { appendAudit, GENESIS_HASH } from '../../audit';
import { hashApiKey } from '../../config';
import { legalIntakeWorkflowId } from '../../domain';
import { LEGAL_INTAKE_WORKFLOW_TYPE } from '../../workflows/messages';
import { tamper } from '../db/audit-databases';
import { startTestStack, type TestStack } from '../support/stack';
import { serveApi, uniqueExternalId, type RunningApi } from './http';

let stack: TestStack;
let api: RunningApi;
const auditorKey = randomBytes(24).toString('hex');

beforeAll(async () => {
  stack = await startTestStack({ withoutWorker: true });
  stack.config.api.keys.push({ name: 'test-auditor', role: 'auditor', sha256: hashApiKey(auditorKey) });
  api = await serveApi(stack.config, stack.client, stack.db);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

/** Answers are JSON read loosely: the assertions say what shape they expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function getAudit(workflowId: string, key?: string): Promise<{ status: number; body: any }> {
  const { status, body } = await api.call('GET', `/v1/workflows/${encodeURIComponent(workflowId)}/audit`, {
    key,
  });
  return { status, body };
}

describe('GET /v1/workflows/:workflowId/audit', () => {
  const workflowId = legalIntakeWorkflowId(uniqueExternalId('audited'));

  beforeAll(async () => {
    for (const [actionId, kind] of [
      ['run-1:callModel:1', 'model_call'],
      ['run-1:checkConflicts:2', 'tool_call'],
      ['run-1:createCase:3', 'case_filed'],
    ] as const) {
      await appendAudit(stack.db, { workflowId, actionId, kind, data: { step: actionId } });
      await appendAudit(stack.db, { workflowId: 'someone-else', actionId, kind, data: {} });
    }
  });

  it("answers an auditor with the workflow's rows in chain order, verified", async () => {
    const { status, body } = await getAudit(workflowId, auditorKey);
    expect(status).toBe(200);
    expect(body).toMatchObject({ workflowId, verified: true, problems: [] });
    expect(body.rows.map((row: { kind: string }) => row.kind)).toEqual([
      'model_call',
      'tool_call',
      'case_filed',
    ]);
    expect(body.rows.map((row: { seq: number }) => row.seq)).toEqual([
      expect.any(Number),
      body.rows[0].seq + 2,
      body.rows[0].seq + 4,
    ]);
    expect(body.rows[0]).toEqual({
      seq: body.rows[0].seq,
      workflowId,
      actionId: 'run-1:callModel:1',
      kind: 'model_call',
      at: expect.stringMatching(/Z$/),
      data: { step: 'run-1:callModel:1' },
      prevHash: body.rows[0].seq === 1 ? GENESIS_HASH : expect.stringMatching(/^[0-9a-f]{64}$/),
      hash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });

  it('refuses an operator and a reviewer (403) and a caller without a key (401)', async () => {
    for (const key of [stack.keys.operator, stack.keys.reviewer]) {
      const { status, body } = await getAudit(workflowId, key);
      expect(status).toBe(403);
      expect(body.error).toEqual({ code: 'forbidden', message: 'this endpoint needs the auditor role' });
    }
    expect((await getAudit(workflowId)).status).toBe(401);
  });

  it('answers 200 with no rows for a workflow Temporal knows that has not acted yet, 404 for an unknown one', async () => {
    const started = await stack.client.workflow.start(LEGAL_INTAKE_WORKFLOW_TYPE, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: legalIntakeWorkflowId(uniqueExternalId('idle')),
      args: [],
    });
    try {
      expect(await getAudit(started.workflowId, auditorKey)).toEqual({
        status: 200,
        body: { workflowId: started.workflowId, rows: [], verified: true, problems: [] },
      });
    } finally {
      await started.terminate('test cleanup');
    }
    const unknown = await getAudit(legalIntakeWorkflowId(uniqueExternalId('never')), auditorKey);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
  });

  it('says verified: false, naming the row, once a row was changed', async () => {
    const { body: before } = await getAudit(workflowId, auditorKey);
    const edited = before.rows[1].seq;
    await tamper(stack.db, `UPDATE audit_log SET data = '{"step": "something else"}' WHERE seq = ${edited}`);
    const { status, body } = await getAudit(workflowId, auditorKey);
    expect(status).toBe(200);
    expect(body.verified).toBe(false);
    expect(body.problems).toEqual([{ seq: edited, problem: expect.stringMatching(/^hash mismatch/) }]);
  });

  it('answers 400 for a workflow id that cannot be one', async () => {
    const { status, body } = await getAudit('has space', auditorKey);
    expect(status).toBe(400);
    expect(body.error.details[0].path).toEqual(['workflowId']);
  });
});
