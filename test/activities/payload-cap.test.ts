import { ApplicationFailure } from '@temporalio/common';
import { WorkflowFailedError } from '@temporalio/client';
import { PAYLOAD_TOO_LARGE } from '../../activities';
import { capped } from '../../activities/payload-cap';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { failureOf } from './support';

describe('the cap on what an activity takes and returns', () => {
  const echo = capped('echo', 100, async (input: { text: string }) => ({ text: input.text.repeat(3) }));

  it('lets payloads under the cap through', async () => {
    expect(await echo({ text: 'x'.repeat(20) })).toEqual({ text: 'x'.repeat(60) });
  });

  it('refuses an input or a result over the cap, for good, naming sizes and never content', async () => {
    const input = await failureOf(echo({ text: 'secret'.repeat(30) }));
    expect(input).toBeInstanceOf(ApplicationFailure);
    expect([input.type, input.nonRetryable]).toEqual([PAYLOAD_TOO_LARGE, true]);
    expect(input.message).toMatch(/^echo: its input is \d+ bytes, over the 100-byte cap/);
    expect(input.message).not.toContain('secret');
    const result = await failureOf(echo({ text: 'y'.repeat(30) }));
    expect(result.message).toMatch(/its result is \d+ bytes/);
  });

  describe('on a real worker', () => {
    let stack: TestStack;
    beforeAll(async () => {
      // Small enough that the reasoner's request (intake, classification, instructions) is over it.
      stack = await startTestStack({ configOverrides: { worker: { maxPayloadBytes: 2048 } } });
    });
    afterAll(async () => {
      await stack?.close();
    });

    it('fails the run once, with the error class in its status, instead of retrying forever', async () => {
      const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
      const handle = stack.client.workflow.getHandle(workflowId);
      expect(await handle.result().catch((err: unknown) => err)).toBeInstanceOf(WorkflowFailedError);
      const status = await handle.query<LegalIntakeStatus>('status');
      expect(status.error).toMatch(
        new RegExp(`^${PAYLOAD_TOO_LARGE}: \\w+: its (input|result) is \\d+ bytes`),
      );
      const attempts = ((await handle.fetchHistory()).events ?? [])
        .map((e) => e.activityTaskStartedEventAttributes?.attempt)
        .filter((a) => a !== undefined && a !== null);
      expect(Math.max(...(attempts as number[]))).toBe(1);
    });
  });
});
