import type { ChildProcess } from 'node:child_process';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { spawnWorkerProcess } from '../support/worker-process';
import { pollUntil } from '../api/http';

let stack: TestStack;
const workers: ChildProcess[] = [];

beforeAll(async () => {
  // Slow model calls (1 s each) leave a wide window to kill the worker in the middle of one.
  stack = await startTestStack({ latencyMs: 1_000, withoutWorker: true });
});
afterAll(async () => {
  for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
  await stack?.close();
});

/** A real worker process, as `npm run worker` starts it, wired to this test's stack. */
function startWorkerProcess(): ChildProcess {
  const child = spawnWorkerProcess(stack);
  workers.push(child);
  return child;
}

it('loses nothing and files one case when the worker is killed mid-run and restarted', async () => {
  const first = startWorkerProcess();
  const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
  await waitForStatus(stack.client, workflowId, (s) => s.stage === 'reason', 60_000);
  // Kill while the reasoner's first request is with the simulator (it answers after 1 s): wait until it
  // arrived, the classifier's one request and this one. Read at the stage alone, a busy machine could count
  // before the request left the worker and blame the restart for it.
  const requestsBeforeKill = await pollUntil(
    async () => stack.simulator.stats().requests,
    (requests) => requests >= 2,
    { timeoutMs: 30_000, intervalMs: 20 },
  );

  first.kill('SIGKILL');
  await new Promise((resolve) => first.once('exit', resolve));
  startWorkerProcess();

  const result: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
  expect(result.status).toBe('completed');
  expect(result.usage.total.calls).toBe(4);
  // The classifier's answer came from history, not from a second call: only the reasoner turn in flight may be repeated,
  // so at most three more requests reach the simulator (reasoner twice, drafter once); a replayed classifier would make four.
  expect(stack.simulator.stats().requests).toBeLessThanOrEqual(requestsBeforeKill + 3);
  const { rows } = await stack.db.query<{ case_id: string }>(
    'SELECT case_id FROM cases WHERE workflow_id = $1',
    [workflowId],
  );
  expect(rows).toEqual([{ case_id: result.result?.caseId }]);
}, 120_000);
