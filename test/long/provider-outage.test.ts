/**
 * A provider that is down for ten minutes, in real time on a real dev server (`npm run test:long`, not
 * part of `npm test`): every running intake waits it out through Temporal's retries and then carries on,
 * losing nothing. Only the backoff cap is lowered (1 minute instead of 5), so the run resumes within a
 * minute of the recovery; the retry budget is the shipped 6 hours.
 */
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { casesFiledFor, exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

const OUTAGE_MS = 10 * 60_000;

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    configOverrides: { modelCalls: { giveUpAfter: '6h', maximumBackoff: '1m' } },
  });
});
afterAll(async () => {
  await stack?.close();
});

it(
  'loses nothing in a ten-minute outage: three intakes wait it out and each files one case',
  async () => {
    stack.simulator.setFaults({ rate500: 1 });
    const outageStarted = Date.now();
    const started = await Promise.all(
      (['clear-personal-injury', 'clear-personal-injury', 'clear-personal-injury'] as const).map((name, i) =>
        startLegalIntake(stack, { ...exampleIntake(name), externalId: `outage-${outageStarted}-${i}` }),
      ),
    );
    // Half way through, every intake is still running, waiting at its first model call.
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS / 2));
    for (const { workflowId } of started) {
      const status = await waitForStatus(stack.client, workflowId, () => true);
      expect(status.status).toBe('running');
      expect(status.stage).toBe('classify');
    }
    await new Promise((resolve) => setTimeout(resolve, outageStarted + OUTAGE_MS - Date.now()));
    const failed = stack.simulator.stats().faultsServed['500'];
    stack.simulator.setFaults({ rate500: 0 });
    process.stdout.write(
      `provider-outage: ${failed} requests answered 500 over ${((Date.now() - outageStarted) / 60_000).toFixed(1)} min\n`,
    );
    // Each intake's classifier call was tried again and again through the outage (2 s doubling up to 1 min).
    expect(failed).toBeGreaterThanOrEqual(3 * 10);

    const results: LegalIntakeStatus[] = await Promise.all(
      started.map(({ workflowId }) => stack.client.workflow.getHandle(workflowId).result()),
    );
    for (const [i, result] of results.entries()) {
      expect(result.status).toBe('completed');
      expect(result.reviewHistory).toEqual([]);
      expect(await casesFiledFor(stack.db, started[i].workflowId)).toBe(1);
    }
    process.stdout.write(
      `provider-outage: all ${results.length} completed ${((Date.now() - outageStarted - OUTAGE_MS) / 1000).toFixed(0)} s after the provider came back\n`,
    );
  },
  OUTAGE_MS + 5 * 60_000,
);
