import { createHmac, randomUUID } from 'node:crypto';
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import {
  createNotificationActivities,
  signDocketPayload,
  verifyDocketSignature,
} from '../../activities/notifications';
import type { DocketEvent } from '../../domain';
import { deliverNotification, notificationEvent } from '../../workflows/notifications';
import { capturingLogger } from '../db/support';
import { startTestStack, type TestStack } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';

const SECRETS = {
  everything: 'secret-everything-0123456789',
  flaky: 'secret-flaky-0123456789abcdef',
  decisions: 'secret-decisions-0123456789',
};

describe('signed webhook signatures', () => {
  const body = JSON.stringify({ id: 'e-1', type: 'workflow.completed' });
  const at = new Date('2026-12-01T10:00:00Z');

  it('is HMAC-SHA256 of "<t>.<body>" in hex, with t in unix seconds', () => {
    const t = at.getTime() / 1000;
    const v1 = createHmac('sha256', SECRETS.everything).update(`${t}.${body}`).digest('hex');
    expect(signDocketPayload(SECRETS.everything, body, at)).toBe(`t=${t},v1=${v1}`);
  });

  it('verifies a signature of the same body under the same secret', () => {
    const header = signDocketPayload(SECRETS.everything, body, at);
    expect(verifyDocketSignature(header, body, SECRETS.everything, 300, at)).toBe(true);
  });

  it('refuses a wrong secret, a changed body and a missing or malformed header', () => {
    const header = signDocketPayload(SECRETS.everything, body, at);
    expect(verifyDocketSignature(header, body, SECRETS.flaky, 300, at)).toBe(false);
    expect(verifyDocketSignature(header, body.replace('e-1', 'e-2'), SECRETS.everything, 300, at)).toBe(
      false,
    );
    expect(verifyDocketSignature(undefined, body, SECRETS.everything, 300, at)).toBe(false);
    expect(verifyDocketSignature('v1=abc', body, SECRETS.everything, 300, at)).toBe(false);
    expect(verifyDocketSignature(header.replace(/v1=../, 'v1=zz'), body, SECRETS.everything, 300, at)).toBe(
      false,
    );
  });

  it('refuses a signature older (or newer) than the tolerance', () => {
    const header = signDocketPayload(SECRETS.everything, body, at);
    const later = (s: number) => new Date(at.getTime() + s * 1000);
    expect(verifyDocketSignature(header, body, SECRETS.everything, 300, later(299))).toBe(true);
    expect(verifyDocketSignature(header, body, SECRETS.everything, 300, later(301))).toBe(false);
    expect(verifyDocketSignature(header, body, SECRETS.everything, 300, later(-301))).toBe(false);
  });
});

describe('deliverNotification on a real worker', () => {
  let receiver: WebhookReceiver;
  let stack: TestStack;
  let urls: Record<'everything' | 'flaky' | 'decisions', string>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    urls = {
      everything: receiver.route('/everything', { secret: SECRETS.everything }),
      flaky: receiver.route('/flaky', { secret: SECRETS.flaky, failFirst: 2, failStatus: 503 }),
      decisions: receiver.route('/decisions', { secret: SECRETS.decisions }),
    };
    stack = await startTestStack({
      configOverrides: {
        notifications: {
          webhooks: [
            {
              url: urls.everything,
              secret: SECRETS.everything,
              events: ['review.requested', 'workflow.completed', 'workflow.rejected'],
            },
            { url: urls.flaky, secret: SECRETS.flaky, events: ['review.requested'] },
            { url: urls.decisions, secret: SECRETS.decisions, events: ['review.decided'] },
          ],
        },
      },
    });
  });

  afterAll(async () => {
    await stack?.close();
    await receiver?.close();
  });

  function eventOf(type: DocketEvent['type']): DocketEvent {
    return notificationEvent({
      type,
      workflowId: `legal-intake-${randomUUID()}`,
      key: 'classify-1',
      data: { stage: 'classify', reviewId: 'classify-1', dueAt: '2026-12-02T10:00:00.000Z' },
    });
  }

  /** Runs the workflow as the intake does (workflow id = event id), retrying after 100 ms instead of 5 s. */
  function deliver(event: DocketEvent) {
    return stack.client.workflow.execute(deliverNotification, {
      taskQueue: stack.config.temporal.taskQueue,
      workflowId: event.id,
      args: [event, { initialRetryMs: 100 }],
    });
  }

  const ofEvent = (path: string, event: DocketEvent) =>
    receiver.deliveries(path).filter((d) => d.headers['docket-event-id'] === event.id);

  it('delivers the event body with a signature the receiver verifies', async () => {
    const event = eventOf('workflow.completed');
    await expect(deliver(event)).resolves.toEqual({ subscribed: 1, delivered: 1 });

    const [delivery, ...more] = ofEvent('/everything', event);
    expect(more).toHaveLength(0);
    expect(JSON.parse(delivery.body)).toEqual(event);
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(delivery.headers['docket-signature']).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(delivery.verified).toBe(true);
  });

  it('sends nothing to a webhook not subscribed to the event type', async () => {
    const event = eventOf('workflow.completed');
    await deliver(event);
    expect(ofEvent('/decisions', event)).toEqual([]);
    expect(ofEvent('/flaky', event)).toEqual([]);

    const unsubscribed = eventOf('workflow.failed');
    await expect(deliver(unsubscribed)).resolves.toEqual({ subscribed: 0, delivered: 0 });
    expect(receiver.deliveries().filter((d) => d.headers['docket-event-id'] === unsubscribed.id)).toEqual([]);
  });

  it('retries a receiver that answers 503 until it takes the event, always under the same event id', async () => {
    const event = eventOf('review.requested');
    await expect(deliver(event)).resolves.toEqual({ subscribed: 2, delivered: 2 });

    const attempts = ofEvent('/flaky', event);
    expect(attempts.map((d) => d.status)).toEqual([503, 503, 204]);
    expect(attempts.every((d) => d.verified && JSON.parse(d.body).id === event.id)).toBe(true);
  });

  it('sends the event once to a healthy receiver while another one is retried', async () => {
    const event = eventOf('review.requested');
    await deliver(event);
    expect(ofEvent('/flaky', event)).toHaveLength(3);
    expect(ofEvent('/everything', event)).toHaveLength(1);
  });

  it('fails verification when the body was tampered with', async () => {
    const event = eventOf('workflow.rejected');
    await deliver(event);
    const [delivery] = ofEvent('/everything', event);
    const tampered = delivery.body.replace('"workflow.rejected"', '"workflow.completed"');
    const header = String(delivery.headers['docket-signature']);
    expect(verifyDocketSignature(header, delivery.body, SECRETS.everything)).toBe(true);
    expect(verifyDocketSignature(header, tampered, SECRETS.everything)).toBe(false);
  });
});

describe('deliverEvent', () => {
  // Temporal's own "activity failed" lines would otherwise fill the test output.
  const quiet = { logger: new DefaultLogger('ERROR') };
  let receiver: WebhookReceiver;
  beforeAll(async () => {
    receiver = await startWebhookReceiver();
  });
  afterAll(() => receiver.close());

  it('logs host, type, status and attempt, never the secret or the body', async () => {
    const secret = 'never-log-this-secret-0123';
    const url = receiver.route('/down', { secret, failFirst: 99, failStatus: 500 });
    const { logger, lines } = capturingLogger();
    const { deliverEvent } = createNotificationActivities({
      webhooks: [{ url, secret, events: ['review.overdue'] }],
      logger,
    });
    const event = notificationEvent({
      type: 'review.overdue',
      workflowId: 'legal-intake-log',
      key: 'draft-1',
    });
    const env = new MockActivityEnvironment({ attempt: 3 }, quiet);

    await expect(env.run(deliverEvent, event)).rejects.toMatchObject({ type: 'WebhookDeliveryFailed' });
    const logged = JSON.stringify(lines());
    expect(lines()).toContainEqual(
      expect.objectContaining({ host: new URL(url).host, type: 'review.overdue', status: 500, attempt: 3 }),
    );
    expect(logged).not.toContain(secret);
    expect(logged).not.toContain(event.id);
  });

  it('skips receivers that the heartbeat of an earlier attempt says already have the event', async () => {
    const secret = 'skip-test-secret-0123456789';
    const webhooks = [
      { url: receiver.route('/got-it', { secret }), secret, events: ['review.decided' as const] },
      { url: receiver.route('/needs-it', { secret }), secret, events: ['review.decided' as const] },
    ];
    const { deliverEvent } = createNotificationActivities({ webhooks, logger: capturingLogger().logger });
    const event = notificationEvent({
      type: 'review.decided',
      workflowId: 'legal-intake-skip',
      key: 'classify-1',
    });
    const env = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: [0] }, quiet);

    await expect(env.run(deliverEvent, event)).resolves.toEqual({ subscribed: 2, delivered: 2 });
    expect(receiver.deliveries('/got-it')).toHaveLength(0);
    expect(receiver.deliveries('/needs-it')).toHaveLength(1);
  });

  it('refuses an event that breaks the schema without retrying', async () => {
    const { deliverEvent } = createNotificationActivities({ webhooks: [], logger: capturingLogger().logger });
    const bad = {
      ...notificationEvent({ type: 'workflow.failed', workflowId: 'w' }),
      type: 'workflow.exploded',
    };
    await expect(
      new MockActivityEnvironment({}, quiet).run(deliverEvent, bad as unknown as DocketEvent),
    ).rejects.toMatchObject({ type: 'InvalidDocketEvent', nonRetryable: true });
  });
});
