import { readWorkflowAudit, verifyAuditChain } from '../../audit';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { decideReviewUpdate } from '../../workflows/messages';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/**
 * The activities that completed in a run, from its history: `<runId>:<type>:<activityId>` → type, local
 * activities (their `core_local_activity` markers) included; `local` names the types of the latter, `remote`
 * those of the activities that were tasks on the server.
 */
async function completedActivities(
  workflowId: string,
  runId: string,
): Promise<Map<string, string> & { local: Set<string>; remote: Set<string> }> {
  const history = await stack.client.workflow.getHandle(workflowId, runId).fetchHistory();
  const scheduled = new Map<string, { type: string; activityId: string }>();
  const completed = Object.assign(new Map<string, string>(), {
    local: new Set<string>(),
    remote: new Set<string>(),
  });
  for (const event of history.events ?? []) {
    const attributes = event.activityTaskScheduledEventAttributes;
    if (attributes) {
      scheduled.set(String(event.eventId), {
        type: attributes.activityType?.name ?? '?',
        activityId: attributes.activityId ?? '?',
      });
    }
    const done = event.activityTaskCompletedEventAttributes;
    if (done) {
      const activity = scheduled.get(String(done.scheduledEventId));
      if (activity) {
        completed.set(`${runId}:${activity.type}:${activity.activityId}`, activity.type);
        completed.remote.add(activity.type);
      }
    }
    const marker = event.markerRecordedEventAttributes;
    if (marker?.markerName === 'core_local_activity' && !marker.failure) {
      // Core writes the marker's `data` itself, as plain JSON (the result beside it is encrypted).
      const data = JSON.parse(Buffer.from(marker.details!.data!.payloads![0].data!).toString()) as {
        activity_id: string;
        activity_type: string;
      };
      completed.set(`${runId}:${data.activity_type}:${data.activity_id}`, data.activity_type);
      completed.local.add(data.activity_type);
    }
  }
  return completed;
}

describe('the audit trail of a legal intake on a real worker', () => {
  it('has exactly one row per completed model call and tool call, even when a model call was retried', async () => {
    // The classifier's first requests fail with a 500, one for each model of its tier (the gateway moves to
    // the next model on a 500): Temporal retries that callModel.
    const fastModels = stack.config.models.fast.length;
    stack.simulator.queueFaults(...Array.from({ length: fastModels }, () => '500' as const));
    const { workflowId, runId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const result: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
    expect(result.status).toBe('completed');
    expect(stack.simulator.stats().faultsServed).toMatchObject({ '500': fastModels });

    const trail = await readWorkflowAudit(stack.db, workflowId);
    expect(trail.verified).toBe(true);
    const completed = await completedActivities(workflowId, runId);
    // Every completed activity that acts has its row, under its own action id, and nothing else has one.
    // pseudonymizeIntake only reads the stored intake and writes the mapping: nothing leaves, nothing to record.
    const acting = [...completed].filter(
      ([, type]) => type !== 'recordAudit' && type !== 'pseudonymizeIntake',
    );
    const actionRows = trail.rows.filter(
      (row) => row.kind !== 'gate_result' && row.kind !== 'review_decision',
    );
    expect(actionRows.map((row) => row.actionId).sort()).toEqual(acting.map(([actionId]) => actionId).sort());
    // What the workflow decided itself: one gate result per stage, each recorded once.
    const gates = trail.rows.filter((row) => row.kind === 'gate_result');
    expect(gates.map((row) => [row.data.stage, row.data.passed])).toEqual([
      ['classify', true],
      ['reason', true],
      ['draft', true],
    ]);
    // ...appended by one recordAudit, beside the filing: no activity (and workflow task) per gate.
    expect([...completed.values()].filter((type) => type === 'recordAudit')).toHaveLength(1);
    // The workflow's own short steps ran as local activities: no task of their own on the server.
    expect([...completed.local].sort()).toEqual([
      'checkConflicts',
      'checkIntakeConflicts',
      'limitationCandidates',
      'limitationPeriod',
      'lookupClient',
      'pseudonymizeIntake',
      'recordAudit',
    ]);
    // ...and so did the reasoner's tool calls (local-tools): the server scheduled model calls and the filing only.
    expect([...completed.remote].sort()).toEqual(['callModel', 'createCase']);

    const modelCalls = trail.rows.filter((row) => row.kind === 'model_call');
    expect(modelCalls).toHaveLength(result.usage.total.calls);
    expect(modelCalls.map((row) => row.data.agent)).toEqual(result.usage.calls.map((call) => call.agent));
    expect(modelCalls.map((row) => row.data.costUsd)).toEqual(result.usage.calls.map((call) => call.costUsd));
    expect(modelCalls[0].data).toMatchObject({ agent: 'classifier', attempt: 2, outcome: 'completed' });
    expect(modelCalls.slice(1).every((row) => row.data.attempt === 1)).toBe(true);

    const toolCalls = trail.rows.filter((row) => row.kind === 'tool_call');
    const toolActivities = acting.filter(([, type]) =>
      [
        'lookupClient',
        'checkConflicts',
        'limitationPeriod',
        'checkIntakeConflicts',
        'limitationCandidates',
      ].includes(type),
    );
    expect(toolCalls).toHaveLength(toolActivities.length);
    expect(toolCalls.map((row) => row.data.tool)).toEqual(
      expect.arrayContaining([
        'checkConflicts',
        'limitationPeriod',
        'checkIntakeConflicts',
        'limitationCandidates',
      ]),
    );

    expect(trail.rows.filter((row) => row.kind === 'case_filed').map((row) => row.data.caseId)).toEqual([
      result.result?.caseId,
    ]);
    expect(await verifyAuditChain(stack.db)).toMatchObject({ ok: true });
  });

  it('records the gate that escalated and the decision a reviewer took: who, when, what, why', async () => {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('ambiguous'));
    await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'classify-1');
    await stack.client.workflow.getHandle(workflowId).executeUpdate(decideReviewUpdate, {
      args: [{ reviewId: 'classify-1', decision: 'reject', reviewer: 'dana', comment: 'not a legal matter' }],
    });
    await stack.client.workflow.getHandle(workflowId).result();

    const trail = await readWorkflowAudit(stack.db, workflowId);
    expect(trail.verified).toBe(true);
    const gate = trail.rows.find((row) => row.kind === 'gate_result');
    expect(gate?.data).toMatchObject({ stage: 'classify', passed: false });
    const decisions = trail.rows.filter((row) => row.kind === 'review_decision');
    expect(decisions.map((row) => row.data)).toEqual([
      expect.objectContaining({
        id: 'classify-1',
        decision: 'reject',
        reviewer: 'dana',
        comment: 'not a legal matter',
        decidedAt: expect.any(String),
        via: 'update',
      }),
    ]);
  });
});
