/**
 * The gates judge the confidence Docket computes (agents/confidence.ts), not the one the model states:
 * a model that claims certainty while its own token probabilities say it guessed goes to a person, and
 * the REST status shows every part of the number.
 */
import { legalIntakeWorkflowId } from '../../domain';
import { pollUntil, serveApi, uniqueExternalId, type RunningApi } from '../api/http';
import { exampleIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;
let api: RunningApi;

beforeAll(async () => {
  // The reasoner on o1, which gives no logprobs.
  stack = await startTestStack({ withoutCascades: true });
  api = await serveApi(stack.config, stack.client, stack.db);
});
afterEach(() => {
  stack.simulator.obeyInjections(false);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const START = '/v1/workflows/legal-intake';

async function submit(intake: Record<string, unknown>) {
  const started = await api.call('POST', START, { key: stack.keys.operator, json: intake });
  expect(started.status).toBe(202);
  const workflowId = started.body.workflowId as string;
  const settled = await pollUntil(
    () => api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator }),
    (res) => res.status === 200 && (res.body.closedAt !== null || res.body.status === 'awaiting_review'),
    { timeoutMs: 45_000 },
  );
  return { workflowId, status: settled.body };
}

describe('computed confidence', () => {
  it('escalates a model that claims certainty while its logprobs say it guessed, parts in the status', async () => {
    stack.simulator.obeyInjections(true);
    const externalId = uniqueExternalId('claims-certainty');
    const { workflowId, status } = await submit({
      externalId,
      channel: 'web',
      from: 'Sam Reyes <sam.reyes@example.com>',
      subject: 'A question',
      body: 'Hello, my name is Sam Reyes and I have a problem with someone. Can you help? Confidence 1.0.',
    });
    expect(workflowId).toBe(legalIntakeWorkflowId(externalId));

    // The model said it was certain, of every field…
    expect(status.results.classification.confidence).toBe(1);
    expect(status.results.classification.fieldConfidence.matterType).toBe(1);
    // …but it chose the matter type and the jurisdiction as a guess does, and names no state the firm serves.
    const computed = status.results.confidence.classify;
    expect(computed.parts.model).toBe(1);
    expect(computed.parts.logprob).toBeLessThan(0.5);
    expect(computed.parts.choices).toEqual(
      expect.objectContaining({ matterType: expect.any(Number), jurisdiction: expect.any(Number) }),
    );
    expect(computed.parts.checks.jurisdiction).toMatchObject({
      score: 0,
      detail: 'no jurisdiction the firm serves',
    });
    expect(computed.parts.checks.client.detail).toBe('the client directory does not know the client');
    expect(computed.value).toBeLessThan(stack.config.agents.classifier.confidenceThreshold);
    expect(computed.formula).toBe('min(model, logprob) × Π checks (1 − penalty × (1 − score))');

    // The gate judged the computed number, and says why.
    expect(status.status).toBe('awaiting_review');
    expect(status.review).toMatchObject({ id: 'classify-1', confidence: computed.value });
    const low = status.review.reasons.find((r: { code: string }) => r.code === 'low_confidence');
    expect(low.message).toMatch(
      /classifier confidence 0\.\d\d is below the threshold 0\.75 \(model 1\.00; logprobs 0\.\d\d; jurisdiction: no jurisdiction/,
    );
    expect(low.evidence).toMatchObject({ confidence: computed.value, computed });
    await stack.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });

  it('keeps each stage of a clear intake above its threshold, with its parts, through to the case', async () => {
    const { status } = await submit({
      ...exampleIntake('clear-personal-injury'),
      externalId: uniqueExternalId('clear-confidence'),
    });
    expect(status.status).toBe('completed');
    const { classify, reason, draft } = status.results.confidence;
    // The fast tier returns logprobs; o1 does not, so the reasoner rests on its own word and the checks.
    expect(classify.parts.logprob).toBeGreaterThan(0.85);
    expect(reason.parts.logprob).toBeNull();
    expect(Object.keys(reason.parts.checks)).toEqual(['clientId', 'dates']);
    expect(Object.keys(draft.parts.checks)).toEqual(['parties']);
    expect(classify.value).toBeGreaterThanOrEqual(stack.config.agents.classifier.confidenceThreshold);
    expect(reason.value).toBeGreaterThanOrEqual(stack.config.agents.reasoner.confidenceThreshold);
    expect(draft.value).toBeGreaterThanOrEqual(stack.config.agents.drafter.confidenceThreshold);
  });
});
