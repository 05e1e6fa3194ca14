import { WorkflowFailedError } from '@temporalio/client';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { decideReviewUpdate } from '../../workflows/messages';
import { PATCHES_THROUGH_EVERY_IDENTITY } from '../../workflows/patches';
import {
  approveUntilDone,
  casesFiledFor,
  exampleIntake,
  waitForStatus,
  startLegalIntake,
} from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

async function escalated(name: Parameters<typeof exampleIntake>[0]) {
  const { workflowId } = await startLegalIntake(stack, exampleIntake(name));
  const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
  return { workflowId, status, handle: stack.client.workflow.getHandle(workflowId) };
}

describe('legalIntake workflow', () => {
  it('completes a clear intake and files exactly one case', async () => {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const result: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();

    expect(result.status).toBe('completed');
    expect(result.stage).toBe('done');
    expect(result.reviewHistory).toEqual([]);
    expect(result.results.classification).toMatchObject({
      matterType: 'personal_injury',
      jurisdiction: 'US-CA',
    });
    // The workflow's own checks, then the reasoner's: both recorded, none overwritten.
    expect(result.results.checks.conflicts.map((c) => [c.source, c.result?.status])).toEqual([
      ['workflow', 'clear'],
      ['reasoner', 'clear'],
    ]);
    expect(result.results.checks.limitation.map((c) => [c.source, c.result?.known])).toEqual([
      ['workflow', true],
      ['reasoner', true],
    ]);
    expect(result.results.gates.reason).toEqual({ passed: true, reasons: [] });
    expect(result.result?.caseId).toEqual(expect.any(String));
    expect(await casesFiledFor(stack.db, workflowId)).toBe(1);
    // classifier, reasoner (tool turn + answer), drafter
    expect(result.usage.total.calls).toBe(4);
    expect(result.usage.total.inputTokens).toBeGreaterThan(0);
    expect(result.usage.total.costUsd).toBeGreaterThan(0);
  });

  it('escalates an ambiguous intake at classification and waits for a reviewer', async () => {
    const { status, workflowId } = await escalated('ambiguous');
    expect(status.stage).toBe('classify');
    expect(status.review?.reasons.map((r) => r.code)).toContain('low_confidence');
    expect(status.review?.confidence).toBeLessThan(stack.config.agents.classifier.confidenceThreshold);
    // The review shows the confidence the gate judged: computed from the model's word, logprobs and checks.
    expect(status.results.confidence?.classify?.value).toBe(status.review?.confidence);
    expect(status.review?.id).toBe('classify-1');
    expect(status.review?.allowed).toEqual(['approve', 'reject', 'revise']);
    // The ambiguous intake's urgency is normal: the default SLA applies.
    expect(Date.parse(status.review!.dueAt) - Date.parse(status.review!.requestedAt)).toBe(24 * 3_600_000);
    expect(await casesFiledFor(stack.db, workflowId)).toBe(0);
    await stack.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });

  it('files the case when the reviewer approves', async () => {
    const { workflowId, handle } = await escalated('ambiguous');
    const recorded = await handle.executeUpdate(decideReviewUpdate, {
      args: [{ reviewId: 'classify-1', decision: 'approve', reviewer: 'alex', comment: 'looks fine' }],
    });
    expect(recorded).toMatchObject({
      id: 'classify-1',
      decision: 'approve',
      reviewer: 'alex',
      via: 'update',
    });

    // The vague classification names no client and no state: its review said the mandatory checks would
    // run without them, and the reviewer approved it so. The reasoning stage does not ask again.
    const result = await approveUntilDone(stack.client, workflowId);

    expect(result.status).toBe('completed');
    expect(result.reviewHistory.map((r) => r.id)).toEqual(['classify-1']);
    expect(result.results.checks.conflicts[0]).toMatchObject({
      source: 'workflow',
      missing: ['client identity'],
    });
    expect(result.reviewHistory[0]).toMatchObject({
      id: 'classify-1',
      stage: 'classify',
      decision: 'approve',
      reviewer: 'alex',
    });
    expect(await casesFiledFor(stack.db, workflowId)).toBe(1);
  });

  it('ends as rejected without a case when the reviewer rejects', async () => {
    const { workflowId, handle } = await escalated('ambiguous');
    await handle.executeUpdate(decideReviewUpdate, {
      args: [{ reviewId: 'classify-1', decision: 'reject', reviewer: 'alex', comment: 'spam' }],
    });
    const result: LegalIntakeStatus = await handle.result();

    expect(result.status).toBe('rejected');
    expect(result.stage).toBe('rejected');
    expect(result.result).toBeNull();
    expect(await casesFiledFor(stack.db, workflowId)).toBe(0);
  });

  it("continues with the reviewer's corrections when the reviewer revises", async () => {
    const { workflowId, handle } = await escalated('ambiguous');
    await handle.executeUpdate(decideReviewUpdate, {
      args: [
        {
          reviewId: 'classify-1',
          decision: 'revise',
          reviewer: 'alex',
          corrections: {
            matterType: 'employment',
            jurisdiction: 'US-NY',
            client: { name: 'Dana Fox', email: null, phone: null, organization: null },
            keyDates: [{ kind: 'termination', date: '2026-09-30', description: 'dismissed' }],
          },
        },
      ],
    });
    const result = await approveUntilDone(stack.client, workflowId);

    expect(result.status).toBe('completed');
    expect(result.results.classification).toMatchObject({ matterType: 'employment', jurisdiction: 'US-NY' });
    // The checks ran on the reviewer's corrections.
    expect(result.results.checks.limitation[0]).toMatchObject({
      source: 'workflow',
      args: { jurisdiction: 'US-NY', matterType: 'employment', incidentDate: '2026-09-30' },
      missing: [],
    });
    expect(result.reviewHistory[0].decision).toBe('revise');
    const { rows } = await stack.db.query<{ matter_type: string }>(
      'SELECT matter_type FROM cases WHERE workflow_id = $1',
      [workflowId],
    );
    expect(rows).toEqual([{ matter_type: 'employment' }]);
  });

  it('escalates a potential conflict of interest whatever the confidence', async () => {
    const { status, handle } = await escalated('conflict-adverse-client');
    expect(status.stage).toBe('reason');
    expect(status.review?.reasons.map((r) => r.code)).toContain('potential_conflict');
    const reason = status.review!.reasons.find((r) => r.code === 'potential_conflict');
    expect((reason?.evidence as { hits: unknown[] }).hits.length).toBeGreaterThan(0);
    expect(status.review?.id).toBe('reason-1');
    await handle.terminate('test cleanup');
  });

  it('escalates a limitation period that ends within the warning window', async () => {
    const { status, handle } = await escalated('limitation-imminent');
    expect(status.stage).toBe('reason');
    expect(status.review?.reasons.map((r) => r.code)).toContain('limitation_imminent');
    await handle.terminate('test cleanup');
  });

  it('retries a rate-limited model call after the provider delay and completes', async () => {
    const before = stack.simulator.stats().faultsServed['429'] ?? 0;
    // Every model of the classifier's tier overloaded, twice: the gateway has no model left to move to, so
    // Temporal retries the call (after the provider's delay), then again.
    const fastModels = stack.config.models.fast.length;
    stack.simulator.queueFaults(
      ...Array.from({ length: fastModels }, () => '429' as const),
      ...Array.from({ length: fastModels }, () => '500' as const),
    );
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const handle = stack.client.workflow.getHandle(workflowId);
    const result: LegalIntakeStatus = await handle.result();

    expect(result.status).toBe('completed');
    expect(stack.simulator.stats().faultsServed['429']).toBe(before + fastModels);
    const history = await handle.fetchHistory();
    const attempts = (history.events ?? [])
      .filter((e) => e.activityTaskStartedEventAttributes)
      .map((e) => e.activityTaskStartedEventAttributes!.attempt ?? 1);
    expect(Math.max(...attempts)).toBe(3);
    expect(await casesFiledFor(stack.db, workflowId)).toBe(1);
  });

  it('carries one patch marker for every change a new run has, not one per change', async () => {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const handle = stack.client.workflow.getHandle(workflowId);
    expect((await handle.result()).status).toBe('completed');
    const events = (await handle.fetchHistory()).events ?? [];
    const patchIds = events
      .filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_patch')
      .map((e) => {
        const data = e.markerRecordedEventAttributes!.details!['patch-data']!.payloads![0].data!;
        return (JSON.parse(Buffer.from(data).toString()) as { id: string }).id;
      });
    expect(patchIds).toEqual([PATCHES_THROUGH_EVERY_IDENTITY]);
    // Core upserts TemporalChangeVersion once a marker: the run's other upserts are Docket's own.
    const changeVersionUpserts = events.filter(
      (e) =>
        e.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields
          ?.TemporalChangeVersion,
    );
    expect(changeVersionUpserts).toHaveLength(1);
  });

  it('fails fast on a model error that cannot succeed on retry', async () => {
    stack.simulator.queueFaults('400');
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const handle = stack.client.workflow.getHandle(workflowId);
    const error = await handle.result().catch((err: unknown) => err);

    expect(error).toBeInstanceOf(WorkflowFailedError);
    const history = await handle.fetchHistory();
    const events = history.events ?? [];
    const modelCalls = new Set(
      events
        .filter((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'callModel')
        .map((e) => String(e.eventId)),
    );
    const started = events.filter(
      (e) =>
        e.activityTaskStartedEventAttributes &&
        modelCalls.has(String(e.activityTaskStartedEventAttributes.scheduledEventId)),
    );
    expect(started).toHaveLength(1);
    expect(started[0].activityTaskStartedEventAttributes?.attempt).toBe(1);
    expect(await casesFiledFor(stack.db, workflowId)).toBe(0);
  });
});
