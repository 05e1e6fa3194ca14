/**
 * Model calls run on one task queue per tier, and the Temporal server hands them out no faster than the
 * tier's `rateLimits.<tier>.callsPerSecond`: however many workers poll, together they stay under it.
 */
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { temporal } from '@temporalio/proto';
import { modelTaskQueue } from '../../config/schema';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { spawnWorkerProcess } from '../support/worker-process';

const CALLS_PER_SECOND = 2;
const INTAKES = 12;

let stack: TestStack;
let other: ChildProcess | undefined;

beforeAll(async () => {
  const rateLimits = { fast: { callsPerSecond: CALLS_PER_SECOND } };
  stack = await startTestStack({
    latencyMs: 200,
    configOverrides: { rateLimits },
    // Each agent on its own tier, so a clear intake's calls reach all three tiers' queues.
    withoutCascades: true,
  });
  // A second worker, a process of its own, with the same limit from its config file.
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-rate-'));
  const file = path.join(dir, 'temporal.config.json');
  writeFileSync(
    file,
    JSON.stringify({ ...JSON.parse(readFileSync('temporal.config.json', 'utf8')), rateLimits }),
  );
  other = spawnWorkerProcess(stack, { DOCKET_CONFIG: file });
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
  const ms = (time: temporal.api.history.v1.IHistoryEvent['eventTime']) =>
    Number(time!.seconds) * 1000 + Math.floor((time!.nanos ?? 0) / 1e6);
  const scheduledCalls = new Map<string, { taskQueue: string; scheduledAt: number }>();
  const starts: Array<{ at: number; waitedMs: number; identity: string; taskQueue: string }> = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'callModel') {
      scheduledCalls.set(String(event.eventId), {
        taskQueue: scheduled.taskQueue?.name ?? '',
        scheduledAt: ms(event.eventTime),
      });
    }
    const started = event.activityTaskStartedEventAttributes;
    const call = started ? scheduledCalls.get(String(started.scheduledEventId)) : undefined;
    if (started && call) {
      const at = ms(event.eventTime);
      starts.push({
        at,
        waitedMs: at - call.scheduledAt,
        identity: started.identity ?? '',
        taskQueue: call.taskQueue,
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
  // through at once, then CALLS_PER_SECOND a second...
  const spanMs = classifier[classifier.length - 1].at - classifier[0].at;
  const rate = ((classifier.length - 1) / spanMs) * 1000;
  const longestWaitMs = Math.max(...classifier.map((s) => s.waitedMs));
  process.stdout.write(
    `model-rate: ${classifier.length} classifier calls over ${spanMs} ms: ${rate.toFixed(2)} calls/s (limit ${CALLS_PER_SECOND}/s); longest wait in the queue ${longestWaitMs} ms\n`,
  );
  expect(spanMs).toBeGreaterThanOrEqual(((INTAKES - 1 - CALLS_PER_SECOND) / CALLS_PER_SECOND) * 1000 * 0.9);
  // ...because the server held them back: calls waited in the queue while workers had free slots.
  expect(longestWaitMs).toBeGreaterThanOrEqual(3_000);
}, 180_000);
