/**
 * What a failing provider does to a legal intake, the Temporal way: retryable failures are retried for as
 * long as config says and then a person decides the stage; an answer cut off, filtered or unparseable goes
 * to a person; only requests that can never succeed fail the run, which can then be resubmitted.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import {
  approveUntilDone,
  casesFiledFor,
  exampleIntake,
  waitForStatus,
  startLegalIntake,
} from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  // Short retry budgets so that "hours" fit in a test; the behaviour is the same.
  stack = await startTestStack({
    configOverrides: { modelCalls: { giveUpAfter: '30s', maximumBackoff: '1s' } },
  });
});
afterEach(() => {
  stack.simulator.setFaults({ rate500: 0 });
});
afterAll(async () => {
  await stack?.close();
});

const reasonsOf = (status: LegalIntakeStatus) => status.review?.reasons.map((r) => r.code) ?? [];

describe('a provider that fails for a while', () => {
  it('loses nothing during an outage shorter than the retry budget: the run resumes and files once', async () => {
    stack.simulator.setFaults({ rate500: 1 });
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    const during = stack.simulator.stats().faultsServed['500'];
    expect(during).toBeGreaterThanOrEqual(3);
    stack.simulator.setFaults({ rate500: 0 });

    const done: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
    expect(done.status).toBe('completed');
    expect(done.reviewHistory).toEqual([]);
    expect(await casesFiledFor(stack.db, workflowId)).toBe(1);
  }, 60_000);

  it('sends the stage to a person (provider_unavailable) when the outage outlasts the budget', async () => {
    stack.simulator.setFaults({ rate500: 1 });
    const config = {
      ...stack.config,
      modelCalls: { ...stack.config.modelCalls, giveUpAfter: '3s', maximumBackoff: '1s' },
    };
    const { workflowId } = await startLegalIntake(
      { ...stack, config },
      exampleIntake('clear-personal-injury'),
    );
    const status = await waitForStatus(
      stack.client,
      workflowId,
      (s) => s.status === 'awaiting_review',
      30_000,
    );
    expect(status.stage).toBe('classify');
    expect(reasonsOf(status)).toEqual(['provider_unavailable']);
    expect(status.review?.reasons[0].message).toMatch(/kept failing/);
    stack.simulator.setFaults({ rate500: 0 });
    // The person decides: here, no output can be approved, so the intake is rejected and nothing is filed.
    expect(status.review?.allowed).not.toContain('approve');
    expect((await approveUntilDone(stack.client, workflowId)).status).toBe('rejected');
    expect(await casesFiledFor(stack.db, workflowId)).toBe(0);
  }, 60_000);
});

describe('answers that cannot be used', () => {
  it.each([
    ['truncated', 'output_truncated', /token limit/],
    ['content_filter', 'output_truncated', /content filter/],
  ] as const)('a %s answer goes to a person with its reason', async (fault, code, message) => {
    stack.simulator.queueFaults(fault);
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
    expect(status.stage).toBe('classify');
    expect(reasonsOf(status)).toEqual([code]);
    expect(status.review?.reasons[0].message).toMatch(message);
    // The provider bills an answer it cut off: the run counts it, though nothing could use it.
    expect(status.usage.calls).toEqual([
      expect.objectContaining({ agent: 'classifier', outputTokens: expect.any(Number) }),
    ]);
    expect(status.usage.calls[0].outputTokens).toBeGreaterThan(0);
    expect(status.usage.total.costUsd).toBe(status.usage.calls[0].costUsd);
    expect(status.usage.total.costUsd).toBeGreaterThan(0);
    await stack.client.workflow.getHandle(workflowId).terminate('test done');
  });

  it('an answer that does not parse gets one repair turn with what was wrong, and the run goes on', async () => {
    stack.simulator.queueFaults('malformed');
    const before = stack.simulator.received().length;
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const done: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
    expect(done.status).toBe('completed');
    // The classifier was asked twice: the second time with its broken answer and the reason it failed.
    const classifierCalls = done.usage.calls.filter((c) => c.agent === 'classifier');
    expect(classifierCalls).toHaveLength(2);
    const repair = stack.simulator.received()[before + 1] as {
      messages: Array<{ role: string; content: string }>;
    };
    expect(repair.messages.map((m) => m.role)).toEqual(['system', 'user', 'assistant', 'user']);
    expect(repair.messages[3].content).toMatch(
      /^Your previous answer could not be used[\s\S]*not valid JSON/,
    );
  });

  it('an answer still broken after its repair turn goes to a person (schema_invalid)', async () => {
    stack.simulator.queueFaults('malformed', 'malformed');
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
    expect(reasonsOf(status)).toEqual(['schema_invalid']);
    expect(status.review?.reasons[0].message).toMatch(/after one repair turn/);
    expect(status.usage.calls.filter((c) => c.agent === 'classifier')).toHaveLength(2);
    await stack.client.workflow.getHandle(workflowId).terminate('test done');
  });
});

describe('a request that can never succeed', () => {
  it('fails the run with the error class in the status, and the same externalId can be resubmitted', async () => {
    stack.simulator.queueFaults('400');
    const intake = exampleIntake('clear-personal-injury');
    const first = await startLegalIntake(stack, intake);
    const error = await stack.client.workflow
      .getHandle(first.workflowId, first.runId)
      .result()
      .catch((err: unknown) => err);
    expect(error).toBeInstanceOf(WorkflowFailedError);
    const failed = await stack.client.workflow
      .getHandle(first.workflowId, first.runId)
      .query<LegalIntakeStatus>('status');
    expect(failed.error).toMatch(/^ModelRequestRejectedError: /);

    // Resubmitted (with a corrected body, say): a new run of the same workflow, which completes.
    const again = await startLegalIntake(stack, { ...intake, subject: 'Car accident (resubmitted)' });
    expect(again).toEqual(expect.objectContaining({ workflowId: first.workflowId, created: true }));
    expect(again.runId).not.toBe(first.runId);
    const done: LegalIntakeStatus = await stack.client.workflow.getHandle(again.workflowId).result();
    expect(done.status).toBe('completed');
    expect((await stack.personal.loadIntake(first.workflowId))?.subject).toBe('Car accident (resubmitted)');

    // A completed one is not started again: the same externalId finds it.
    const third = await startLegalIntake(stack, intake);
    expect(third).toEqual({ workflowId: first.workflowId, runId: again.runId, created: false });
  }, 60_000);
});

describe('cost', () => {
  it('shows usage per agent, adding up to the total', async () => {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const done: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
    const byAgent = done.usage.byAgent!;
    expect(Object.keys(byAgent).sort()).toEqual(['classifier', 'drafter', 'reasoner']);
    for (const agent of Object.keys(byAgent)) {
      const calls = done.usage.calls.filter((c) => c.agent === agent);
      expect(byAgent[agent].calls).toBe(calls.length);
      expect(byAgent[agent].inputTokens).toBe(calls.reduce((n, c) => n + c.inputTokens, 0));
    }
    const sum = Object.values(byAgent).reduce((n, t) => n + t.costUsd, 0);
    expect(sum).toBeCloseTo(done.usage.total.costUsd, 8);
  });

  it('goes to a person (budget_exceeded) before the call that would cross the budget, never silently', async () => {
    // The classifier's call costs about $0.0003 on the simulator: a budget of $0.0005 holds one such call.
    const config = { ...stack.config, budget: { perWorkflowUsd: 0.0005 } };
    const { workflowId } = await startLegalIntake(
      { ...stack, config },
      exampleIntake('clear-personal-injury'),
    );
    const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
    expect(status.stage).toBe('reason');
    expect(reasonsOf(status)).toEqual(['budget_exceeded']);
    expect(status.usage.total.costUsd).toBeLessThanOrEqual(0.0005);
    expect(status.usage.calls.map((c) => c.agent)).toEqual(['classifier']);
    expect(status.review?.reasons[0].evidence).toEqual(
      expect.objectContaining({ limitUsd: 0.0005, spentUsd: status.usage.total.costUsd }),
    );
    await stack.client.workflow.getHandle(workflowId).terminate('test done');
  });

  it("counts the first call's prompt before sending it: a budget that cannot hold it sends nothing", async () => {
    // The classifier's prompt alone (about 1,500 tokens at $0.15 per million) costs more than $0.0001.
    const config = { ...stack.config, budget: { perWorkflowUsd: 0.0001 } };
    const requestsBefore = stack.simulator.stats().requests;
    const { workflowId } = await startLegalIntake(
      { ...stack, config },
      exampleIntake('clear-personal-injury'),
    );
    const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
    expect(status.stage).toBe('classify');
    expect(reasonsOf(status)).toEqual(['budget_exceeded']);
    expect(status.usage.calls).toEqual([]);
    expect(stack.simulator.stats().requests).toBe(requestsBefore);
    const evidence = status.review?.reasons[0].evidence as { estimateUsd: number; spentUsd: number };
    expect(evidence).toEqual(expect.objectContaining({ limitUsd: 0.0001, spentUsd: 0 }));
    expect(evidence.estimateUsd).toBeGreaterThan(0.0001);
    await stack.client.workflow.getHandle(workflowId).terminate('test done');
  });
});
