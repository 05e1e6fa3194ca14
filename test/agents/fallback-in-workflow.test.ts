/**
 * A retired model in a running legal intake: the reasoner's tier falls back to its next model and the
 * workflow's status says which model answered and why; with every model of the tier retired the run
 * fails at once, not after retries.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

const O1 = 'o1-2024-12-17';
const O3 = 'o3-2025-04-16';

let stack: TestStack;

beforeAll(async () => {
  // The reasoner on the reasoning tier, o1 first.
  stack = await startTestStack({ withoutCascades: true });
});
afterEach(() => {
  stack.simulator.retireModels([]);
});
afterAll(async () => {
  await stack?.close();
});

describe('a retired model in a legal intake', () => {
  it("completes on the reasoning tier's next model, and the status names the model that answered and why", async () => {
    stack.simulator.retireModels([O1]);
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));

    const done: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();

    expect(done.status).toBe('completed');
    const reasoner = done.usage.calls.filter((call) => call.agent === 'reasoner');
    expect(reasoner.length).toBeGreaterThan(0);
    for (const call of reasoner) {
      expect(call).toMatchObject({
        tier: 'reasoning',
        model: O3,
        answeredBy: O3,
        fallbacks: [{ model: O1, reason: 'retired' }],
      });
    }
    // The other tiers' first models answered: nothing passed over.
    const others = done.usage.calls.filter((call) => call.agent !== 'reasoner');
    expect(others.map((call) => call.fallbacks)).toEqual(others.map(() => undefined));
  });

  it('fails the run at once, not retried, when every model of the tier is retired', async () => {
    const tier = stack.config.models.reasoning.map((entry) => entry.model);
    stack.simulator.retireModels(tier);
    const before = stack.simulator.received().length;
    const { workflowId, runId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const handle = stack.client.workflow.getHandle(workflowId, runId);

    expect(await handle.result().catch((err: unknown) => err)).toBeInstanceOf(WorkflowFailedError);
    const failed = await handle.query<LegalIntakeStatus>('status');
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/^ModelRetiredError: .*model_not_found.*o1-2024-12-17 \(retired\)/);
    // One attempt: the classifier's call, then each reasoning model once.
    const asked = stack.simulator
      .received()
      .slice(before)
      .map((body) => (body as { model: string }).model);
    expect(asked.filter((model) => tier.includes(model))).toEqual(tier);
  });
});
