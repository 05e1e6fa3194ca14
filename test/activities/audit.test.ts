import { createHash } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import { testPersonalDataStore, testTranscriptStore } from '../support/encryption';
import {
  createActivities,
  type DocketActivities,
  type RecordAuditInput,
  type RecordAuditResult,
} from '../../activities';
import type { ModelTurn } from '../../agents';
import { ModelRequestRejectedError, ModelUnavailableError, type ModelGateway } from '../../agents/gateway';
import { canonicalJson, readWorkflowAudit, verifyAuditChain } from '../../audit';
import type { DocketEvent } from '../../domain';
import { capturingLogger, startTestDatabase, type TestDatabase } from '../db/support';
import { workflowRegistry } from '../../workflows/registry';
import { failureOf } from './support';

/** A gateway that answers from a script: each entry is the next turn, or the error that turn throws. */
function scriptedGateway(script: Array<ModelTurn | Error>): ModelGateway {
  return {
    rateLimitTokens: () => 0,
    async runTurn() {
      const next = script.shift();
      if (!next) throw new Error('the scripted gateway has no more turns');
      if (next instanceof Error) throw next;
      return next as never;
    },
    submitBatch: () => Promise.reject(new Error('the scripted gateway has no batch lane')),
    pollBatch: () => Promise.reject(new Error('the scripted gateway has no batch lane')),
  };
}

const TURN: ModelTurn = {
  kind: 'tool_calls',
  toolCalls: [{ id: 'call-1', name: 'lookupClient', arguments: '{"name":"Maria Gonzalez","email":null}' }],
  usage: {
    agent: 'reasoner',
    tier: 'reasoning',
    model: 'o1-2024-12-17',
    inputTokens: 1200,
    outputTokens: 80,
    reasoningTokens: 64,
    costUsd: 0.0228,
  },
};

/** Runs `activity` as one scheduled activity of a workflow run; `attempt` > 1 is a retry of the same one. */
function runActivity<I, R>(
  info: { workflowId: string; activityType: string; activityId: string; attempt?: number },
  activity: (input: I) => Promise<R>,
  input: I,
): Promise<R> {
  const { workflowId, ...rest } = info;
  const env = new MockActivityEnvironment(
    { workflowExecution: { workflowId, runId: 'run-a' }, workflowType: 'legalIntake', attempt: 1, ...rest },
    { logger: new DefaultLogger('ERROR') },
  );
  return env.run(activity, input);
}

describe('the audit trail of activities', () => {
  let database: TestDatabase;
  let script: Array<ModelTurn | Error>;
  let activities: DocketActivities;

  beforeAll(async () => {
    database = await startTestDatabase();
  });
  afterAll(async () => {
    await database?.close();
  });
  beforeEach(() => {
    script = [];
    activities = createActivities({
      workflows: workflowRegistry,
      db: database.db,
      gateway: scriptedGateway(script),
      logger: capturingLogger().logger,
      webhooks: [],
      personal: testPersonalDataStore(database.db),
      pseudonymization: { defaultCountry: 'US', workflows: {} },
      maxPayloadBytes: 262_144,
      transcripts: testTranscriptStore(database.db),
      rateLimits: {},
    });
  });

  const rowsOf = async (workflowId: string) => (await readWorkflowAudit(database.db, workflowId)).rows;

  it('records a model call once, on the attempt that completed, with its prompt, answer and cost', async () => {
    const messages = [{ role: 'user' as const, content: 'Intake: a car accident in Los Angeles.' }];
    script.push(new ModelUnavailableError('provider answered 500', 500), TURN);
    const call = { workflowId: 'wf-model', activityType: 'callModel', activityId: '4' };

    const first = await failureOf(runActivity(call, activities.callModel, { agent: 'reasoner', messages }));
    expect(first.nonRetryable).toBe(false);
    expect(await rowsOf('wf-model')).toEqual([]);

    const turn = await runActivity({ ...call, attempt: 2 }, activities.callModel, {
      agent: 'reasoner',
      messages,
    });
    expect(turn).toEqual(TURN);
    const rows = await rowsOf('wf-model');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      actionId: 'run-a:callModel:4',
      kind: 'model_call',
      data: {
        agent: 'reasoner',
        tier: 'reasoning',
        model: 'o1-2024-12-17',
        promptSha256: createHash('sha256').update(canonicalJson(messages)).digest('hex'),
        instructionsSha256: expect.stringMatching(/^[0-9a-f]{64}$/),
        prompt: messages,
        answer: { kind: 'tool_calls', toolCalls: TURN.toolCalls },
        tokens: { input: 1200, output: 80, reasoning: 64 },
        costUsd: 0.0228,
        latencyMs: expect.any(Number),
        attempt: 2,
        outcome: 'completed',
      },
    });

    // A worker that completed the call but crashed before reporting it: Temporal runs it again.
    script.push(TURN);
    await runActivity({ ...call, attempt: 3 }, activities.callModel, { agent: 'reasoner', messages });
    expect(await rowsOf('wf-model')).toHaveLength(1);
  });

  it('records a model call that failed for good, once', async () => {
    script.push(new ModelRequestRejectedError('the provider refused the request: unknown model', 404));
    const failure = await failureOf(
      runActivity(
        { workflowId: 'wf-model-failed', activityType: 'callModel', activityId: '1' },
        activities.callModel,
        { agent: 'classifier', messages: [{ role: 'user', content: 'hello' }] },
      ),
    );
    expect(failure.nonRetryable).toBe(true);
    expect(await rowsOf('wf-model-failed')).toEqual([
      expect.objectContaining({
        kind: 'model_call',
        data: expect.objectContaining({
          agent: 'classifier',
          model: null,
          outcome: 'failed',
          error: { type: 'ModelRequestRejectedError', message: expect.stringContaining('unknown model') },
        }),
      }),
    ]);
  });

  it('records each tool call with its arguments and result, once per scheduled activity', async () => {
    const args = { name: 'Maria Gonzalez', email: null };
    const lookup = { workflowId: 'wf-tools', activityType: 'lookupClient', activityId: '7' };
    const result = await runActivity(lookup, activities.lookupClient, args);
    await runActivity({ ...lookup, attempt: 2 }, activities.lookupClient, args);
    await runActivity({ ...lookup, activityId: '8' }, activities.lookupClient, args);
    const limitation = {
      jurisdiction: 'US-CA',
      matterType: 'personal_injury',
      incidentDate: '2026-09-14',
      asOf: '2026-11-20',
    } as const;
    const period = await runActivity(
      {
        workflowId: 'wf-tools',
        activityType: 'limitationPeriod',
        activityId: '9',
      },
      activities.limitationPeriod,
      limitation,
    );

    const rows = await rowsOf('wf-tools');
    expect(rows.map((r) => [r.kind, r.actionId, r.data.tool])).toEqual([
      ['tool_call', 'run-a:lookupClient:7', 'lookupClient'],
      ['tool_call', 'run-a:lookupClient:8', 'lookupClient'],
      ['tool_call', 'run-a:limitationPeriod:9', 'limitationPeriod'],
    ]);
    expect(rows[0].data).toMatchObject({ arguments: args, result, outcome: 'completed', attempt: 1 });
    expect(rows[2].data).toMatchObject({ arguments: limitation, result: period });
  });

  it('records a tool call the model got wrong (non-retryable), but not a failure Temporal will retry', async () => {
    const bad = await failureOf(
      runActivity(
        { workflowId: 'wf-bad-tool', activityType: 'checkConflicts', activityId: '2' },
        activities.checkConflicts,
        { prospectiveClient: 'x'.repeat(301), opposingParties: [] },
      ),
    );
    expect(bad.type).toBe('InvalidToolArguments');
    expect((await rowsOf('wf-bad-tool')).map((r) => r.data)).toEqual([
      expect.objectContaining({ tool: 'checkConflicts', outcome: 'failed', result: null }),
    ]);

    const broken = createActivities({
      workflows: workflowRegistry,
      db: database.db,
      gateway: scriptedGateway([]),
      logger: capturingLogger().logger,
      webhooks: [],
      personal: testPersonalDataStore(database.db),
      pseudonymization: { defaultCountry: 'US', workflows: {} },
      maxPayloadBytes: 262_144,
      transcripts: testTranscriptStore(database.db),
      rateLimits: {},
    });
    // A directory that cannot be read (a database error) is retried by Temporal: no row yet.
    await database.db.query('ALTER TABLE clients RENAME TO clients_away');
    try {
      await expect(
        runActivity(
          { workflowId: 'wf-db-down', activityType: 'lookupClient', activityId: '1' },
          broken.lookupClient,
          { name: 'Maria', email: null },
        ),
      ).rejects.toThrow(/clients/);
    } finally {
      await database.db.query('ALTER TABLE clients_away RENAME TO clients');
    }
    expect(await rowsOf('wf-db-down')).toEqual([]);
  });

  it('records a filed case with its id and routing, once', async () => {
    const input = {
      workflowId: 'wf-case',
      externalId: 'ext-1',
      matterType: 'personal_injury' as const,
      jurisdiction: 'US-CA' as const,
      clientName: 'Jordan Reyes',
      queue: 'personal-injury' as const,
      priority: 'p2' as const,
      summary: 'Car accident.',
      payload: {},
    };
    const filing = { workflowId: 'wf-case', activityType: 'createCase', activityId: '12' };
    const filed = await runActivity(filing, activities.createCase, input);
    await runActivity({ ...filing, attempt: 2 }, activities.createCase, input);
    const rows = await rowsOf('wf-case');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'case_filed',
      data: {
        caseId: filed.caseId,
        created: true,
        queue: 'personal-injury',
        priority: 'p2',
        matterType: 'personal_injury',
      },
    });
    expect(JSON.stringify(rows[0].data)).not.toContain('Jordan');
  });

  it('records a delivered notification under the workflow it is about, once per event', async () => {
    const event: DocketEvent = {
      id: 'wf-notified:workflow.completed',
      type: 'workflow.completed',
      workflowId: 'wf-notified',
      occurredAt: '2026-11-20T10:00:00.000Z',
      data: { caseId: 'CASE-1' },
    };
    // The delivering child workflow's id is the event id.
    const delivery = { workflowId: event.id, activityType: 'deliverEvent', activityId: '1' };
    await runActivity(delivery, activities.deliverEvent, event);
    await runActivity({ ...delivery, attempt: 2 }, activities.deliverEvent, event);
    expect(await rowsOf(event.id)).toEqual([]);
    expect(await rowsOf('wf-notified')).toEqual([
      expect.objectContaining({
        kind: 'notification_sent',
        actionId: 'deliverEvent:wf-notified:workflow.completed',
        data: expect.objectContaining({
          eventId: event.id,
          type: 'workflow.completed',
          subscribed: 0,
          delivered: 0,
        }),
      }),
    ]);
  });

  it('recordAudit: appends what the workflow decided, once per action id, for the calling workflow', async () => {
    const gate = {
      stage: 'classify',
      passed: false,
      reasons: [{ code: 'low_confidence', detail: '0.6 < 0.75' }],
    };
    const record = { workflowId: 'wf-decided', activityType: 'recordAudit', activityId: '5' };
    // One record in, one result out (runs without the audit-batches marker call it so).
    const recordOne = activities.recordAudit as (input: RecordAuditInput) => Promise<RecordAuditResult>;
    const first = await runActivity(record, recordOne, {
      actionId: 'gate:classify-1',
      kind: 'gate_result',
      data: gate,
    });
    const retried = await runActivity({ ...record, attempt: 2 }, recordOne, {
      actionId: 'gate:classify-1',
      kind: 'gate_result',
      data: gate,
    });
    const decision = await runActivity({ ...record, activityId: '9' }, recordOne, {
      actionId: 'classify-1',
      kind: 'review_decision',
      data: { reviewId: 'classify-1', decision: 'approve', reviewer: 'alex', comment: 'fine' },
    });
    expect(first).toEqual({ seq: expect.any(Number), appended: true });
    expect(retried).toEqual({ seq: first.seq, appended: false });
    expect(decision.appended).toBe(true);
    expect((await rowsOf('wf-decided')).map((r) => [r.kind, r.actionId])).toEqual([
      ['gate_result', 'run-a:gate_result:gate:classify-1'],
      ['review_decision', 'run-a:review_decision:classify-1'],
    ]);

    const refused = await failureOf(
      runActivity(record, activities.recordAudit, {
        actionId: 'x',
        kind: 'model_call' as never,
        data: {},
      }),
    );
    expect(refused).toMatchObject({ type: 'InvalidAuditRecord', nonRetryable: true });
    expect(refused.message).toContain('kind');
  });

  it('recordAudit: appends a batch in its order, each record once, and refuses an empty or malformed batch', async () => {
    const call = { workflowId: 'wf-batch', activityType: 'recordAudit', activityId: '12' };
    const records = [
      { actionId: 'gate-classify', kind: 'gate_result' as const, data: { stage: 'classify', passed: true } },
      { actionId: 'gate-reason', kind: 'gate_result' as const, data: { stage: 'reason', passed: true } },
      { actionId: 'gate-draft', kind: 'gate_result' as const, data: { stage: 'draft', passed: true } },
    ];
    const results = (await runActivity(call, activities.recordAudit, { records })) as RecordAuditResult[];
    expect(results.map((r) => r.appended)).toEqual([true, true, true]);
    expect(results[1].seq).toBe(results[0].seq + 1);
    expect(results[2].seq).toBe(results[1].seq + 1);
    const retried = (await runActivity({ ...call, attempt: 2 }, activities.recordAudit, {
      records,
    })) as RecordAuditResult[];
    expect(retried).toEqual(results.map((r) => ({ ...r, appended: false })));
    expect((await rowsOf('wf-batch')).map((r) => r.actionId)).toEqual([
      'run-a:gate_result:gate-classify',
      'run-a:gate_result:gate-reason',
      'run-a:gate_result:gate-draft',
    ]);
    for (const bad of [{ records: [] }, { records: [{ ...records[0], kind: 'model_call' }] }]) {
      const refused = await failureOf(runActivity(call, activities.recordAudit, bad as never));
      expect(refused).toMatchObject({ type: 'InvalidAuditRecord', nonRetryable: true });
      expect(refused.message).toContain('records');
    }
  });

  it('appends the rows many activities ask for at once, each once, and one that cannot be stored fails alone', async () => {
    const record = (i: number, data: Record<string, unknown>) =>
      runActivity(
        { workflowId: 'wf-busy', activityType: 'recordAudit', activityId: String(i) },
        activities.recordAudit,
        { actionId: `gate-${i}`, kind: 'gate_result', data },
      );
    const outcomes = await Promise.allSettled([
      ...Array.from({ length: 20 }, (_, i) => record(i, { stage: 'classify', passed: true, i })),
      record(99, { stage: 'classify', passed: true, count: BigInt(1) }),
    ]);
    const stored = outcomes.slice(0, 20).map((o) => (o.status === 'fulfilled' ? o.value : o.reason));
    expect(stored).toEqual(Array.from({ length: 20 }, () => ({ seq: expect.any(Number), appended: true })));
    expect(new Set(stored.map((r) => r.seq)).size).toBe(20);
    expect(outcomes[20].status).toBe('rejected');
    const rows = await rowsOf('wf-busy');
    expect(rows.map((r) => r.actionId).sort()).toEqual(
      Array.from({ length: 20 }, (_, i) => `run-a:gate_result:gate-${i}`).sort(),
    );
  });

  it('leaves one valid chain behind all of the above', async () => {
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true });
  });
});
