import { legalIntakeWorkflowId } from '../../domain';
import { exampleIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { pollUntil, serveApi, uniqueExternalId, type ApiAnswer, type RunningApi } from './http';

const START = '/v1/workflows/legal-intake';

/** The shipped clear example (the simulator is confident at every stage) under the given externalId. */
function clearIntake(externalId: string) {
  return { ...exampleIntake('clear-personal-injury'), externalId };
}

describe('legal intake over the REST API', () => {
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

  const status = (workflowId: string, key = stack.keys.operator) =>
    api.call('GET', `/v1/workflows/${workflowId}`, { key });

  it('starts a clear intake, which runs to a filed case', async () => {
    const externalId = uniqueExternalId('clear');
    const started = await api.call('POST', START, {
      key: stack.keys.operator,
      json: clearIntake(externalId),
    });
    expect(started.status).toBe(202);
    const workflowId = legalIntakeWorkflowId(externalId);
    expect(started.body).toEqual({ workflowId, runId: expect.any(String), status: 'running' });
    expect(started.headers.get('location')).toBe(`/v1/workflows/${workflowId}`);

    const done = await pollUntil(
      () => status(workflowId),
      // Closed, or stuck at a review (then the assertion below says why).
      (res) => res.status === 200 && (res.body.closedAt !== null || res.body.status === 'awaiting_review'),
      { timeoutMs: 45_000 },
    );
    // An escalation here means the simulator was unsure about a clear intake: say why.
    expect({ status: done.body.status, review: done.body.review, error: done.body.error }).toEqual({
      status: 'completed',
      review: null,
      error: null,
    });
    expect(done.body).toEqual(
      expect.objectContaining({
        workflowId,
        externalId,
        runId: started.body.runId,
        stage: 'done',
        result: { caseId: expect.any(String) },
        startedAt: expect.any(String),
        closedAt: expect.any(String),
      }),
    );
    expect(done.body.results.classification).toEqual(
      expect.objectContaining({ matterType: 'personal_injury', jurisdiction: 'US-CA' }),
    );
    expect(done.body.results.assessment).not.toBeNull();
    expect(done.body.results.draft).not.toBeNull();
    expect(done.body.usage.total.calls).toBeGreaterThanOrEqual(3);
    expect(done.body.usage.total.costUsd).toBeGreaterThan(0);

    // Reviewers may read status too.
    const asReviewer = await status(workflowId, stack.keys.reviewer);
    expect(asReviewer.status).toBe(200);
    expect(asReviewer.body.result).toEqual(done.body.result);
  });

  it('answers 200 with the same run when the same externalId comes again, even after it ended', async () => {
    const externalId = uniqueExternalId('twice');
    const first = await api.call('POST', START, { key: stack.keys.operator, json: clearIntake(externalId) });
    expect(first.status).toBe(202);
    const second = await api.call('POST', START, { key: stack.keys.operator, json: clearIntake(externalId) });
    expect(second.status).toBe(200);
    expect(second.body).toEqual({
      workflowId: first.body.workflowId,
      runId: first.body.runId,
      status: expect.stringMatching(/^(running|awaiting_review|completed)$/),
    });
    expect(second.headers.get('location')).toBe(first.headers.get('location'));

    await pollUntil(
      () => status(first.body.workflowId),
      (res) => res.body.closedAt !== null,
      { timeoutMs: 45_000 },
    );
    const afterEnd = await api.call('POST', START, {
      key: stack.keys.operator,
      json: clearIntake(externalId),
    });
    expect(afterEnd.status).toBe(200);
    expect(afterEnd.body.runId).toBe(first.body.runId);
    expect(afterEnd.body.status).not.toBe('running');
  });

  it('gives concurrent submissions of one externalId the same workflow and run', async () => {
    const externalId = uniqueExternalId('race');
    const answers: ApiAnswer[] = await Promise.all(
      Array.from({ length: 5 }, () =>
        api.call('POST', START, { key: stack.keys.operator, json: clearIntake(externalId) }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    const ids = new Set(answers.map((a) => `${a.body.workflowId}/${a.body.runId}`));
    expect(ids.size).toBe(1);
    const described = await stack.client.workflow.getHandle(legalIntakeWorkflowId(externalId)).describe();
    expect(described.runId).toBe(answers[0].body.runId);
  });

  it('answers 404 for a workflow that was never started', async () => {
    const res = await status(legalIntakeWorkflowId(uniqueExternalId('never')));
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('reports a terminated run as failed with its reason', async () => {
    const externalId = uniqueExternalId('terminated');
    const started = await api.call('POST', START, {
      key: stack.keys.operator,
      json: clearIntake(externalId),
    });
    await stack.client.workflow.getHandle(started.body.workflowId).terminate('stopped by an operator');
    const res = await status(started.body.workflowId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.objectContaining({
        status: 'failed',
        error: 'stopped by an operator',
        closedAt: expect.any(String),
      }),
    );
  });

  it('refuses a decision on an item with no pending review (409)', async () => {
    const externalId = uniqueExternalId('nothing-pending');
    const started = await api.call('POST', START, {
      key: stack.keys.operator,
      json: clearIntake(externalId),
    });
    const done = await pollUntil(
      () => status(started.body.workflowId),
      (res) => res.body.closedAt !== null,
      { timeoutMs: 45_000 },
    );
    expect(done.body.status).toBe('completed');
    const decision = await api.call('POST', `/v1/reviews/${started.body.workflowId}/decision`, {
      key: stack.keys.reviewer,
      json: { reviewId: 'classify-1', decision: 'approve' },
    });
    expect(decision.status).toBe(409);
    expect(decision.body.error.code).toBe('no_pending_review');
    const review = await api.call('GET', `/v1/reviews/${started.body.workflowId}`, {
      key: stack.keys.reviewer,
    });
    expect(review.status).toBe(409);
  });
});
