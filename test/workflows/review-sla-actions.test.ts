/**
 * SLAs that act, on second-long SLAs: overdue marks the review and tells the receivers, and after
 * `escalateAfter` the configured action is taken and recorded as system:sla.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { DocketConfig } from '../../config';
import type { DocketEvent, IntakeRequest } from '../../domain';
import { decideReviewUpdate } from '../../workflows/messages';
import { DocketReviewStage, DocketReviewStatus } from '../../workflows/search-attributes';
import { exampleIntake, twoReviewIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const SECRET = 'sla-test-secret-0123456789';
let receiver: WebhookReceiver;
let stack: TestStack;

beforeAll(async () => {
  receiver = await startWebhookReceiver();
  const url = receiver.route('/events', { secret: SECRET });
  stack = await startTestStack({
    configOverrides: {
      notifications: {
        webhooks: [{ url, secret: SECRET, events: ['review.requested', 'review.overdue', 'review.decided'] }],
      },
    },
  });
});
afterAll(async () => {
  await stack?.close();
  await receiver?.close();
});

function withSla(review: Partial<DocketConfig['review']>): DocketConfig {
  return { ...stack.config, review: { ...stack.config.review, ...review } };
}

async function start(intake: IntakeRequest, config: DocketConfig) {
  const { workflowId } = await startLegalIntake({ ...stack, config }, intake);
  return { workflowId, handle: stack.client.workflow.getHandle(workflowId) };
}

function events(workflowId: string): DocketEvent[] {
  return receiver
    .deliveries('/events')
    .filter((d) => d.verified)
    .map((d) => JSON.parse(d.body) as DocketEvent)
    .filter((e) => e.workflowId === workflowId);
}

async function eventually<T>(
  read: () => T | Promise<T>,
  ok: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('review SLAs', () => {
  it('marks an overdue review in its search attributes and tells the receivers, and keeps it open', async () => {
    const { workflowId, handle } = await start(
      exampleIntake('ambiguous'),
      withSla({ sla: { default: '1s' } }),
    );
    const overdue = await waitForStatus(stack.client, workflowId, (s) => s.review?.overdue === true);
    expect(overdue.status).toBe('awaiting_review');

    const description = await eventually(
      () => handle.describe(),
      (d) => d.typedSearchAttributes.get(DocketReviewStatus) === 'overdue',
    );
    expect(description.typedSearchAttributes.get(DocketReviewStatus)).toBe('overdue');
    expect(description.typedSearchAttributes.get(DocketReviewStage)).toBe('classify');

    const received = await eventually(
      () => events(workflowId).map((e) => e.type),
      (types) => types.includes('review.overdue'),
    );
    expect(received).toEqual(expect.arrayContaining(['review.requested', 'review.overdue']));
    const overdueEvent = events(workflowId).find((e) => e.type === 'review.overdue');
    expect(overdueEvent).toMatchObject({
      id: `${workflowId}:review.overdue:classify-1`,
      data: {
        reviewId: 'classify-1',
        stage: 'classify',
        reasons: ['low_confidence', 'check_incomplete'],
        overdue: true,
      },
    });
    // No intake text and no personal data in what leaves for the receivers.
    expect(JSON.stringify(events(workflowId))).not.toMatch(/problem with someone/);

    await handle.executeUpdate(decideReviewUpdate, {
      args: [{ reviewId: 'classify-1', decision: 'reject', reviewer: 'alex', comment: 'not a matter' }],
    });
    const result = await handle.result();
    expect(result.reviewHistory[0]).toMatchObject({ overdue: true, decision: 'reject', via: 'update' });
    await eventually(
      () => events(workflowId).map((e) => e.type),
      (types) => types.includes('review.decided'),
    );
  });

  it('rejects an overdue review after escalateAfter when the action is reject', async () => {
    const { handle } = await start(
      exampleIntake('ambiguous'),
      withSla({ sla: { default: '1s' }, escalateAfter: '1s', escalateAction: 'reject' }),
    );
    const result = await handle.result();

    expect(result.status).toBe('rejected');
    expect(result.reviewHistory).toEqual([
      expect.objectContaining({ id: 'classify-1', decision: 'reject', reviewer: 'system:sla', via: 'sla' }),
    ]);
    expect(result.reviewHistory[0].comment).toMatch(/escalateAction reject/);
  });

  it('approves only reviews held for low confidence when the action is approve_if_only_low_confidence', async () => {
    const { workflowId, handle } = await start(
      twoReviewIntake(),
      withSla({
        sla: { default: '1s' },
        escalateAfter: '1s',
        escalateAction: 'approve_if_only_low_confidence',
      }),
    );
    // classify-1 was held for low confidence only: the SLA approves it. reason-1 is held for a policy
    // reason (the sender's conflict): it stays with a person however long it waits.
    const atReason = await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'reason-1');
    expect(atReason.reviewHistory).toEqual([
      expect.objectContaining({ id: 'classify-1', decision: 'approve', reviewer: 'system:sla' }),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    const later = await waitForStatus(stack.client, workflowId, () => true);
    expect(later.review).toMatchObject({ id: 'reason-1', overdue: true });
    expect(later.reviewHistory).toHaveLength(1);
    await handle.terminate('test cleanup');
  });

  it('takes exactly one decision when a reviewer races the SLA action', async () => {
    const config = withSla({ sla: { default: '1s' }, escalateAfter: '1s', escalateAction: 'reject' });
    const runs = await Promise.all(
      [1_850, 1_950, 2_000, 2_050, 2_150].map(async (delayMs) => {
        const { workflowId, handle } = await start(exampleIntake('ambiguous'), config);
        await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'classify-1');
        const requestedAt = Date.parse(
          (await waitForStatus(stack.client, workflowId, () => true)).review!.requestedAt,
        );
        await new Promise((resolve) => setTimeout(resolve, Math.max(0, requestedAt + delayMs - Date.now())));
        const person = await handle
          .executeUpdate(decideReviewUpdate, {
            args: [{ reviewId: 'classify-1', decision: 'reject', reviewer: 'alex', comment: 'spam' }],
          })
          .then(
            () => 'accepted' as const,
            (err: unknown) => {
              // Too late either way: refused by the validator, or the SLA's rejection already ended the run.
              expect([WorkflowUpdateFailedError, WorkflowNotFoundError]).toContain(
                (err as object).constructor,
              );
              return 'refused' as const;
            },
          );
        return { person, result: await handle.result() };
      }),
    );

    for (const { person, result } of runs) {
      // One decision per review, whoever was first; the other was told it came too late.
      expect(result.reviewHistory).toHaveLength(1);
      expect(result.reviewHistory[0].via).toBe(person === 'accepted' ? 'update' : 'sla');
      expect(result.status).toBe('rejected');
    }
  });
});
