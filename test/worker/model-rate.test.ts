/**
 * Model calls run on one task queue per tier, and the Temporal server hands them out no faster than the
 * tier's `rateLimits.<tier>.callsPerSecond`: however many workers poll, together they stay under it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { startLegalIntake } from '../../client';
import { modelTaskQueue } from '../../config/schema';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { exampleIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

const CALLS_PER_SECOND = 2;
const INTAKES = 14;

let stack: TestStack;
let other: ChildProcess | undefined;

beforeAll(async () => {
  const rateLimits = { fast: { callsPerSecond: CALLS_PER_SECOND } };
  stack = await startTestStack({ latencyMs: 200, configOverrides: { rateLimits } });
  // A second worker, a process of its own, with the same limit from its config file.
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-rate-'));
  const file = path.join(dir, 'temporal.config.json');
  writeFileSync(
    file,
    JSON.stringify({ ...JSON.parse(readFileSync('temporal.config.json', 'utf8')), rateLimits }),
  );
  other = spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
    env: {
      ...process.env,
      DOCKET_CONFIG: file,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      OPENAI_BASE_URL: stack.simulator.url,
      DATABASE_URL: stack.databaseUrl,
      DOCKET_ENCRYPTION_KEYS: stack.encryptionKeys,
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  await pollersOf(modelTaskQueue(stack.config.temporal.taskQueue, 'fast'), 2);
}, 120_000);
afterAll(async () => {
  if (other && other.exitCode === null && other.signalCode === null) {
    other.kill('SIGTERM');
    await new Promise((resolve) => other!.once('exit', resolve));
  }
  await stack?.close();
});

/** Waits until `count` distinct workers poll the activity task queue. */
async function pollersOf(taskQueue: string, count: number): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const { pollers } = await stack.client.connection.workflowService.describeTaskQueue({
      namespace: stack.config.temporal.namespace,
      taskQueue: { name: taskQueue },
      taskQueueType: temporal.api.enums.v1.TaskQueueType.TASK_QUEUE_TYPE_ACTIVITY,
    });
    if (new Set(pollers.map((p) => p.identity)).size >= count) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`fewer than ${count} workers poll ${taskQueue}`);
}

/** When each model call of a run started, by whom, on which task queue (from its history). */
async function modelCallStarts(workflowId: string) {
  const { events } = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  const queues = new Map<string, string>();
  const starts: Array<{ at: number; identity: string; taskQueue: string }> = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'callModel') {
      queues.set(String(event.eventId), scheduled.taskQueue?.name ?? '');
    }
    const started = event.activityTaskStartedEventAttributes;
    const queue = started ? queues.get(String(started.scheduledEventId)) : undefined;
    if (started && queue !== undefined) {
      const time = event.eventTime!;
      starts.push({
        at: Number(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1e6),
        identity: started.identity ?? '',
        taskQueue: queue,
      });
    }
  }
  return starts;
}

it("holds two workers together to the tier's call rate, enforced by the server", async () => {
  const run = Date.now();
  const started = await Promise.all(
    Array.from({ length: INTAKES }, (_, i) =>
      startLegalIntake(stack, { ...exampleIntake('clear-personal-injury'), externalId: `rate-${run}-${i}` }),
    ),
  );
  const results: LegalIntakeStatus[] = await Promise.all(
    started.map(({ workflowId }) => stack.client.workflow.getHandle(workflowId).result()),
  );
  expect(results.map((r) => r.status)).toEqual(results.map(() => 'completed'));

  const starts = (await Promise.all(started.map(({ workflowId }) => modelCallStarts(workflowId)))).flat();
  const fast = modelTaskQueue(stack.config.temporal.taskQueue, 'fast');
  // Every model call ran on its tier's task queue, none on the workflow's own.
  expect(new Set(starts.map((s) => s.taskQueue))).toEqual(
    new Set(
      ['fast', 'reasoning', 'drafting'].map((tier) =>
        modelTaskQueue(stack.config.temporal.taskQueue, tier as never),
      ),
    ),
  );
  const classifier = starts.filter((s) => s.taskQueue === fast).sort((a, b) => a.at - b.at);
  expect(classifier).toHaveLength(INTAKES);
  // Both workers took calls off the queue...
  expect(new Set(classifier.map((s) => s.identity)).size).toBe(2);
  // ...and together no faster than the rate: a token bucket lets a burst of at most one second's worth
  // through at once, then CALLS_PER_SECOND a second. Unlimited, all of them start within a second.
  const spanMs = classifier[classifier.length - 1].at - classifier[0].at;
  const rate = ((classifier.length - 1) / spanMs) * 1000;
  process.stdout.write(
    `model-rate: ${classifier.length} classifier calls over ${spanMs} ms: ${rate.toFixed(2)} calls/s (limit ${CALLS_PER_SECOND}/s)\n`,
  );
  expect(spanMs).toBeGreaterThanOrEqual(((INTAKES - 1 - CALLS_PER_SECOND) / CALLS_PER_SECOND) * 1000 * 0.9);
}, 180_000);
