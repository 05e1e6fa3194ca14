import { WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { decideReviewUpdate, reviewDecisionSignal, REVIEW_NOT_PENDING } from '../../workflows/messages';
import { twoReviewIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

/** An intake waiting at classify-1, which goes on to reason-1 once approved. */
async function escalatedAmbiguous() {
  const { workflowId } = await startLegalIntake(stack, twoReviewIntake());
  await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'classify-1');
  return { workflowId, handle: stack.client.workflow.getHandle(workflowId) };
}

/** The failure a refused update carries: its type and details, as the API reads them. */
async function refusal(promise: Promise<unknown>): Promise<ApplicationFailure> {
  const err = await promise.then(
    () => {
      throw new Error('the update was accepted');
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  const cause = (err as WorkflowUpdateFailedError).cause;
  expect(cause).toBeInstanceOf(ApplicationFailure);
  return cause as ApplicationFailure;
}

describe('decisions bound to the review they answer', () => {
  it('refuses a repeated approval instead of approving the review that came next', async () => {
    const { workflowId, handle } = await escalatedAmbiguous();
    const approve = { reviewId: 'classify-1', decision: 'approve' as const, reviewer: 'alex' };
    await handle.executeUpdate(decideReviewUpdate, { args: [approve] });
    await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'reason-1');

    // A double click, a retried request or a second reviewer sends the same approval again.
    const failure = await refusal(handle.executeUpdate(decideReviewUpdate, { args: [approve] }));
    expect(failure.type).toBe(REVIEW_NOT_PENDING);
    expect(failure.message).toContain('classify-1 was already decided');
    expect(failure.details).toEqual([{ pendingReviewId: 'reason-1' }]);

    const status = await waitForStatus(stack.client, workflowId, () => true);
    expect(status.review?.id).toBe('reason-1');
    expect(status.reviewHistory.map((r) => r.id)).toEqual(['classify-1']);
    await handle.terminate('test cleanup');
  });

  it('answers a repeated update id with the decision it recorded the first time', async () => {
    const { workflowId, handle } = await escalatedAmbiguous();
    const decision = { reviewId: 'classify-1', decision: 'approve' as const, reviewer: 'alex' };
    const first = await handle.executeUpdate(decideReviewUpdate, { args: [decision], updateId: 'click-1' });
    await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'reason-1');
    const again = await handle.executeUpdate(decideReviewUpdate, { args: [decision], updateId: 'click-1' });

    expect(again).toEqual(first);
    const status = await waitForStatus(stack.client, workflowId, () => true);
    expect(status.reviewHistory).toHaveLength(1);
    await handle.terminate('test cleanup');
  });

  it.each([
    ['an unknown decision', { decision: 'ok', reviewer: 'anyone' }, 'decision'],
    ['an empty reviewer', { decision: 'approve', reviewer: '  ' }, 'reviewer'],
    ['a rejection without a reason', { decision: 'reject', reviewer: 'alex' }, 'comment'],
    [
      'corrections with an unknown field',
      { decision: 'revise', reviewer: 'alex', corrections: { matterType: 'employment', colour: 'red' } },
      'corrections.colour',
    ],
    [
      'corrections that break the schema',
      { decision: 'revise', reviewer: 'alex', corrections: { matterType: 'not-a-matter-type' } },
      'corrections.matterType',
    ],
  ])('refuses %s and keeps the review open', async (_what, fields, path) => {
    const { workflowId, handle } = await escalatedAmbiguous();
    const failure = await refusal(
      handle.executeUpdate(decideReviewUpdate, { args: [{ reviewId: 'classify-1', ...fields } as never] }),
    );
    expect(failure.type).toBe('InvalidDecision');
    const [{ issues }] = failure.details as [{ issues: Array<{ path: string[] }> }];
    expect(issues.map((i) => i.path.join('.'))).toContain(path);

    const status = await waitForStatus(stack.client, workflowId, () => true);
    expect(status).toMatchObject({ status: 'awaiting_review', reviewHistory: [] });
    expect(status.review?.id).toBe('classify-1');
    await handle.terminate('test cleanup');
  });

  it('records a signal that fails validation and changes nothing', async () => {
    const { workflowId, handle } = await escalatedAmbiguous();
    // What `temporal workflow signal --name reviewDecision --input '{"decision":"ok","reviewer":"anyone"}'` sends.
    await handle.signal(reviewDecisionSignal, { decision: 'ok', reviewer: 'anyone' } as never);
    await handle.signal(reviewDecisionSignal, {
      reviewId: 'classify-1',
      decision: 'reject',
      reviewer: 'alex',
      comment: 'not a legal matter',
    });
    const result = await handle.result();

    expect(result.status).toBe('rejected');
    expect(result.reviewHistory).toEqual([
      expect.objectContaining({ id: 'classify-1', decision: 'reject', reviewer: 'alex', via: 'signal' }),
    ]);
    expect(result.rejectedDecisions).toEqual([
      expect.objectContaining({ reviewId: null, decision: 'ok', reviewer: 'anyone' }),
    ]);
    expect(result.rejectedDecisions[0].reason).toMatch(/reviewId/);
    expect(workflowId).toBeTruthy();
  });
});
