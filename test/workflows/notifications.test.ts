import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, NativeConnection, Worker } from '@temporalio/worker';
import { createNotificationActivities } from '../../activities/notifications';
import { FAILURE_CONVERTER_PATH } from '../../codec';
import { DocketEvent } from '../../domain';
import { notificationEvent } from '../../workflows/notifications';
import { capturingLogger } from '../db/support';
import { testDataConverter } from '../support/encryption';
import { quietTemporalLogs, temporalTestAddress } from '../support/stack';
import { startWebhookReceiver, type WebhookReceiver } from '../support/webhook-receiver';
import type { announce } from '../support/notifying-workflows';

describe('notificationEvent', () => {
  it('names an event by its workflow, type and key, so a repeat carries the same id', () => {
    const at = new Date('2026-12-01T10:00:00Z');
    const event = notificationEvent({
      type: 'review.requested',
      workflowId: 'legal-intake-42',
      key: 'classify-1',
      data: { stage: 'classify', dueAt: '2026-12-02T10:00:00.000Z' },
      occurredAt: at,
    });
    expect(event).toEqual({
      id: 'legal-intake-42:review.requested:classify-1',
      type: 'review.requested',
      workflowId: 'legal-intake-42',
      occurredAt: '2026-12-01T10:00:00.000Z',
      data: { stage: 'classify', dueAt: '2026-12-02T10:00:00.000Z' },
    });
    expect(DocketEvent.parse(event)).toEqual(event);
    expect(notificationEvent({ type: 'workflow.completed', workflowId: 'legal-intake-42' }).id).toBe(
      'legal-intake-42:workflow.completed',
    );
  });
});

describe('startNotification from a workflow', () => {
  const secret = 'parent-child-secret-0123456789';
  let receiver: WebhookReceiver;
  let nativeConnection: NativeConnection;
  let connection: Connection;
  let client: Client;
  let worker: Worker;
  let running: Promise<void>;
  const taskQueue = `test-notifications-${randomUUID()}`;

  beforeAll(async () => {
    const { address, namespace } = temporalTestAddress();
    quietTemporalLogs(capturingLogger().logger);
    receiver = await startWebhookReceiver();
    const url = receiver.route('/slow-to-wake', { secret, failFirst: 2 });
    nativeConnection = await NativeConnection.connect({ address });
    worker = await Worker.create({
      connection: nativeConnection,
      namespace,
      taskQueue,
      dataConverter: testDataConverter(),
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('../support/notifying-workflows'),
        failureConverterPath: FAILURE_CONVERTER_PATH,
        logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
      }),
      activities: createNotificationActivities({
        webhooks: [{ url, secret, events: ['workflow.completed'] }],
        logger: capturingLogger().logger,
      }),
    });
    running = worker.run();
    connection = await Connection.connect({ address });
    client = new Client({ connection, namespace, dataConverter: testDataConverter() });
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await connection?.close();
    await nativeConnection?.close();
    await receiver?.close();
  });

  it('delivers after the announcing workflow has ended, once however often it is announced', async () => {
    const event = notificationEvent({
      type: 'workflow.completed',
      workflowId: `legal-intake-${randomUUID()}`,
    });
    const parent = await client.workflow.start<typeof announce>('announce', {
      taskQueue,
      workflowId: `parent-${randomUUID()}`,
      args: [event, 2, { initialRetryMs: 100 }],
    });
    await parent.result();
    const child = client.workflow.getHandle(event.id);
    await expect(child.result()).resolves.toEqual({ subscribed: 1, delivered: 1 });

    const [parentRun, childRun] = await Promise.all([parent.describe(), child.describe()]);
    expect(childRun.closeTime!.getTime()).toBeGreaterThan(parentRun.closeTime!.getTime());
    const deliveries = receiver
      .deliveries('/slow-to-wake')
      .filter((d) => d.headers['docket-event-id'] === event.id);
    expect(deliveries.map((d) => d.status)).toEqual([503, 503, 204]);

    // Announced again by a later run (a reset, a replay gone wrong): Temporal refuses the closed id.
    await client.workflow.execute<typeof announce>('announce', {
      taskQueue,
      workflowId: `parent-${randomUUID()}`,
      args: [event, 1, { initialRetryMs: 100 }],
    });
    expect((await client.workflow.getHandle(event.id).describe()).runId).toBe(childRun.runId);
    expect(
      receiver.deliveries('/slow-to-wake').filter((d) => d.headers['docket-event-id'] === event.id),
    ).toHaveLength(3);
  });
});
