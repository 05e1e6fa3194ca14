import { legalIntakeWorkflowId } from '../../domain';
import { exampleIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { pollUntil, serveApi, uniqueExternalId, type RunningApi } from './http';

/** The shipped vague example (escalates at the classify stage) under the given externalId. */
function ambiguousIntake(externalId: string) {
  return { ...exampleIntake('ambiguous'), externalId };
}

describe('reviews over the REST API', () => {
  let stack: TestStack;
  let api: RunningApi;

  beforeAll(async () => {
    stack = await startTestStack();
    api = await serveApi(stack.config, stack.client);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  /** Starts an ambiguous intake and waits until the review list shows it (visibility is eventually consistent). */
  async function escalated(label: string) {
    const externalId = uniqueExternalId(label);
    const workflowId = legalIntakeWorkflowId(externalId);
    const started = await api.call('POST', '/v1/workflows/legal-intake', {
      key: stack.keys.operator,
      json: ambiguousIntake(externalId),
    });
    expect(started.status).toBe(202);
    const list = await pollUntil(
      () => api.call('GET', '/v1/reviews?status=pending&limit=100', { key: stack.keys.reviewer }),
      (res) =>
        res.status !== 200 || res.body.items.some((i: { workflowId: string }) => i.workflowId === workflowId),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(list.status).toBe(200);
    const item = list.body.items.find((i: { workflowId: string }) => i.workflowId === workflowId);
    return { externalId, workflowId, item, list: list.body.items };
  }

  const decide = (workflowId: string, body: unknown, key = stack.keys.reviewer) =>
    api.call('POST', `/v1/reviews/${workflowId}/decision`, { key, json: body });

  it('lists an escalated intake as pending at the classify stage, oldest review first', async () => {
    const first = await escalated('list-1');
    const second = await escalated('list-2');
    expect(second.item).toEqual({
      workflowId: second.workflowId,
      externalId: second.externalId,
      stage: 'classify',
      review: expect.objectContaining({
        stage: 'classify',
        reasons: expect.arrayContaining([expect.objectContaining({ code: 'low_confidence' })]),
        requestedAt: expect.any(String),
        dueAt: expect.any(String),
        overdue: false,
        outputMissing: false,
      }),
      startedAt: expect.any(String),
    });
    expect(second.item.review.confidence).toBeLessThan(stack.config.agents.classifier.confidenceThreshold);
    const order = second.list.map((i: { workflowId: string }) => i.workflowId);
    if (order.includes(first.workflowId)) {
      expect(order.indexOf(first.workflowId)).toBeLessThan(order.indexOf(second.workflowId));
    }
    const requested = second.list.map((i: { review: { requestedAt: string } }) => i.review.requestedAt);
    expect([...requested].sort()).toEqual(requested);

    const limited = await api.call('GET', '/v1/reviews?limit=1', { key: stack.keys.reviewer });
    expect(limited.status).toBe(200);
    expect(limited.body.items).toHaveLength(1);

    const status = await api.call('GET', `/v1/workflows/${second.workflowId}`, { key: stack.keys.operator });
    expect(status.body).toEqual(expect.objectContaining({ status: 'awaiting_review', stage: 'classify' }));
  });

  it('shows the reviewer what to decide: the stage, why, the confidence, usage so far', async () => {
    const { workflowId, externalId } = await escalated('detail');
    const res = await api.call('GET', `/v1/reviews/${workflowId}`, { key: stack.keys.reviewer });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      workflowId,
      externalId,
      stage: 'classify',
      review: expect.objectContaining({
        stage: 'classify',
        confidence: expect.any(Number),
        reasons: [expect.objectContaining({ code: 'low_confidence', message: expect.any(String) })],
        outputMissing: false,
      }),
      reviewHistory: [],
      results: expect.objectContaining({ tools: expect.any(Object) }),
      usage: expect.objectContaining({ total: expect.objectContaining({ calls: 1 }) }),
    });
    // The output under review, with the confidence the gate judged.
    expect(res.body.results.classification).toMatchObject({ confidence: res.body.review.confidence });
    expect(res.body.results.classification.rationale).toEqual(expect.any(String));
    const asOperator = await api.call('GET', `/v1/reviews/${workflowId}`, { key: stack.keys.operator });
    expect(asOperator.status).toBe(403);
  });

  it('refuses corrections that break the classification schema, naming the fields, and sends nothing', async () => {
    const { workflowId } = await escalated('bad-revise');
    const res = await decide(workflowId, {
      decision: 'revise',
      corrections: { matterType: 'tax_dispute', confidence: 7, shoeSize: 44 },
    });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    const fields = res.body.error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(fields).toEqual(
      expect.arrayContaining(['corrections.matterType', 'corrections.confidence', 'corrections.shoeSize']),
    );

    const noCorrections = await decide(workflowId, { decision: 'revise' });
    expect(noCorrections.status).toBe(400);
    const approveWithCorrections = await decide(workflowId, {
      decision: 'approve',
      corrections: { urgency: 'high' },
    });
    expect(approveWithCorrections.status).toBe(400);

    const still = await api.call('GET', `/v1/reviews/${workflowId}`, { key: stack.keys.reviewer });
    expect(still.status).toBe(200);
    expect(still.body.reviewHistory).toEqual([]);
  });

  it('refuses a decision from an operator (403)', async () => {
    const { workflowId } = await escalated('operator-decides');
    const res = await decide(workflowId, { decision: 'approve' }, stack.keys.operator);
    expect(res.status).toBe(403);
  });

  it('accepts a revision (202), which the workflow records under the reviewer key name and acts on', async () => {
    const { workflowId } = await escalated('revise');
    const res = await decide(workflowId, {
      decision: 'revise',
      comment: 'Employment matter in California, per the phone call.',
      corrections: { matterType: 'employment', jurisdiction: 'US-CA', confidence: 0.95 },
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ workflowId, accepted: true, decision: 'revise' });

    const after = await pollUntil(
      () => api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator }),
      (r) => r.body.reviewHistory?.length >= 1,
    );
    expect(after.body.reviewHistory[0]).toEqual(
      expect.objectContaining({
        stage: 'classify',
        decision: 'revise',
        reviewer: 'test-reviewer',
        comment: 'Employment matter in California, per the phone call.',
      }),
    );
    expect(after.body.results.classification).toEqual(
      expect.objectContaining({ matterType: 'employment', jurisdiction: 'US-CA', confidence: 0.95 }),
    );
  });

  it('accepts a rejection, after which the item is no longer pending (409)', async () => {
    const { workflowId } = await escalated('reject');
    const res = await decide(workflowId, { decision: 'reject', comment: 'Not enough to go on.' });
    expect(res.status).toBe(202);

    const closed = await pollUntil(
      () => api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator }),
      (r) => r.body.closedAt !== null,
    );
    expect(closed.body).toEqual(
      expect.objectContaining({ status: 'rejected', stage: 'rejected', result: null }),
    );

    const again = await decide(workflowId, { decision: 'approve' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('no_pending_review');

    const list = await api.call('GET', '/v1/reviews?limit=100', { key: stack.keys.reviewer });
    expect(list.body.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(workflowId);
  });
});
