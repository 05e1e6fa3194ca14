/**
 * A provider that is down for ten minutes, in Temporal's time: the outage of `test/long/provider-outage.test.ts`
 * (`npm run test:long`, ten real minutes) on Temporal's time-skipping test server, where the waits between
 * retries pass in a moment and every attempt still runs for real against the simulator. Same config: the
 * shipped retry budget (6 hours) and the backoff cap lowered to a minute.
 */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';
import { createLogger } from '../../config';
import { ensureTemporalTestServer } from '../../scripts/temporal-test-server';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { DOCKET_SEARCH_ATTRIBUTES } from '../../workflows/search-attributes';
import { testDataConverter } from '../support/encryption';
import { casesFiledFor, exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { quietTemporalLogs, startTestStack, type TestStack } from '../support/stack';

const NAMESPACE = 'default';

let env: TestWorkflowEnvironment;
let stack: TestStack;

beforeAll(async () => {
  // Errors only: the outage's forty-odd failed calls are the point, and the SDK core warns at every worker
  // start that this server does not keep heartbeat details of a failed attempt (Docket's do not use them).
  quietTemporalLogs(createLogger({ logging: { level: 'error' } }));
  env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: await ensureTemporalTestServer() } },
    // The environment's client lets time skip while it waits for a result; it reads Docket's encrypted payloads.
    client: { dataConverter: testDataConverter() },
  });
  // Unlike the dev server (started with them), the test server refuses a start that sets an unknown one.
  await env.connection.operatorService.addSearchAttributes({
    namespace: NAMESPACE,
    searchAttributes: Object.fromEntries(
      DOCKET_SEARCH_ATTRIBUTES.map((key) => [
        key.name,
        temporal.api.enums.v1.IndexedValueType[`INDEXED_VALUE_TYPE_${key.type}`],
      ]),
    ),
  });
  stack = await startTestStack({
    temporal: { address: env.address, namespace: NAMESPACE },
    configOverrides: {
      modelCalls: { giveUpAfter: '6h', maximumBackoff: '1m' },
      logging: { level: 'error' },
    },
  });
}, 120_000);
afterAll(async () => {
  await stack?.close();
  await env?.teardown();
});

it('loses nothing in a ten-minute outage: three intakes wait it out and each files one case', async () => {
  const realStart = Date.now();
  const outageStarted = await env.currentTimeMs();
  stack.simulator.setFaults({ rate500: 1 });
  const started = await Promise.all(
    [0, 1, 2].map(() => startLegalIntake(stack, exampleIntake('clear-personal-injury'))),
  );
  // Half way through, every intake is still running, waiting at its first model call.
  await env.sleep('5 minutes');
  for (const { workflowId } of started) {
    const status = await waitForStatus(stack.client, workflowId, () => true);
    expect(status.status).toBe('running');
    expect(status.stage).toBe('classify');
  }
  await env.sleep('5 minutes');
  const recovered = await env.currentTimeMs();
  const failed = stack.simulator.stats().faultsServed['500'];
  stack.simulator.setFaults({ rate500: 0 });
  // Each intake's classifier call was tried again and again through the outage (2 s doubling up to 1 min).
  expect(failed).toBeGreaterThanOrEqual(3 * 10);

  // Waiting for a result lets the server's clock skip, one wait at a time: the server keeps one count of what
  // holds its clock (the client, each task in flight), and a second wait side by side would release a task's
  // hold, so that time skipped under running tasks and they timed out.
  const results: LegalIntakeStatus[] = [];
  for (const { workflowId } of started) {
    results.push(await env.client.workflow.getHandle(workflowId).result());
  }
  for (const [i, result] of results.entries()) {
    expect(result.status).toBe('completed');
    expect(result.reviewHistory).toEqual([]);
    expect(await casesFiledFor(stack.db, started[i].workflowId)).toBe(1);
  }
  // Temporal's time as the runs saw it: once the last result is in, the server's clock runs on through the
  // timers the closed runs left behind (their ten-year execution timeouts), so it is read from their close.
  const closed = await Promise.all(
    started.map(
      async ({ workflowId }) => (await stack.client.workflow.getHandle(workflowId).describe()).closeTime,
    ),
  );
  const lastClosed = Math.max(...closed.map((time) => time!.getTime()));
  process.stdout.write(
    `provider-outage: ${failed} requests answered 500 over ${((recovered - outageStarted) / 60_000).toFixed(1)} min ` +
      `of Temporal's time; all ${results.length} completed ${((lastClosed - recovered) / 1000).toFixed(0)} s after ` +
      `the provider came back; ${((Date.now() - realStart) / 1000).toFixed(1)} s of real time in all\n`,
  );
});
