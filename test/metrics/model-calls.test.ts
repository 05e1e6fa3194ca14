/** How each model call is counted: by the model that answered, with the outcome a dashboard needs. */
import { AGENTS, type ModelTurn } from '../../agents';
import {
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  ModelUnavailableError,
  type ModelGateway,
} from '../../agents/gateway';
import { withModelCallMetrics } from '../../activities/model';
import { loadConfig } from '../../config';
import { createWorkerMetrics } from '../../metrics';
import { MockActivityEnvironment } from '@temporalio/testing';
import { workflowRegistry } from '../../workflows/registry';

const models = loadConfig({ env: {} }).models;
const usage = {
  agent: 'classifier',
  tier: 'fast',
  model: 'gpt-4o-mini-answered',
  inputTokens: 120,
  outputTokens: 30,
  reasoningTokens: 0,
  costUsd: 0.000036,
};

/** A gateway that answers each call with the next of `answers` (a turn, or an error to throw). */
function scripted(answers: Array<ModelTurn | Error>): ModelGateway {
  return {
    rateLimitTokens: () => 0,
    async runTurn<Output>() {
      const next = answers.shift();
      if (next instanceof Error) throw next;
      return next as ModelTurn<Output>;
    },
    submitBatch: () => Promise.reject(new Error('the scripted gateway has no batch lane')),
    pollBatch: () => Promise.reject(new Error('the scripted gateway has no batch lane')),
  };
}

it('counts answers, refusals, unusable outputs and provider failures, each under its outcome', async () => {
  const metrics = createWorkerMetrics({
    processMetrics: false,
    workflows: workflowRegistry,
  });
  const gateway = withModelCallMetrics(
    scripted([
      { kind: 'output', output: {}, usage },
      { kind: 'refusal', refusal: 'no', usage },
      new ModelOutputInvalidError('the model returned no classification'),
      new ModelRateLimitError('rate limited', 1000),
      new ModelUnavailableError('down', 503),
    ]),
    metrics,
    models,
  );
  const classifier = AGENTS.classifier;
  // Inside a legal intake's activity, as callModel makes them: the run's type is the `workflow` label.
  const activity = new MockActivityEnvironment({ workflowType: 'legalIntake' });
  await activity.run(async () => {
    await gateway.runTurn(classifier, []);
    await gateway.runTurn(classifier, []);
    for (let i = 0; i < 3; i++) await expect(gateway.runTurn(classifier, [])).rejects.toThrow();
  });

  const text = await metrics.registry.metrics();
  const configured = models.fast[0].model;
  expect(text).toContain(
    'docket_model_calls_total{workflow="legal-intake",agent="classifier",model="gpt-4o-mini-answered",outcome="ok"} 1',
  );
  expect(text).toContain(
    'docket_model_calls_total{workflow="legal-intake",agent="classifier",model="gpt-4o-mini-answered",outcome="refused"} 1',
  );
  expect(text).toContain(
    `docket_model_calls_total{workflow="legal-intake",agent="classifier",model="${configured}",outcome="invalid_output"} 1`,
  );
  expect(text).toContain(
    `docket_model_calls_total{workflow="legal-intake",agent="classifier",model="${configured}",outcome="error"} 2`,
  );
  expect(text).toContain(
    'docket_model_tokens_total{workflow="legal-intake",agent="classifier",model="gpt-4o-mini-answered",type="input"} 240',
  );
  expect(text).toContain(
    'docket_model_cost_usd_total{workflow="legal-intake",agent="classifier",model="gpt-4o-mini-answered"} 0.000072',
  );
  expect(text).toContain(
    `docket_model_latency_seconds_count{workflow="legal-intake",agent="classifier",model="${configured}"} 3`,
  );
});

it('counts the tokens and cost of an answer that came back cut off, under the model that wrote it', async () => {
  const metrics = createWorkerMetrics({ processMetrics: false, workflows: workflowRegistry });
  const cutOff = new ModelOutputTruncatedError('the classification hit the output token limit');
  cutOff.usage = { ...usage, outputTokens: 16, costUsd: 0.00005 };
  const gateway = withModelCallMetrics(scripted([cutOff]), metrics, models);
  const activity = new MockActivityEnvironment({ workflowType: 'legalIntake' });
  await activity.run(() => expect(gateway.runTurn(AGENTS.classifier, [])).rejects.toThrow(cutOff));
  const text = await metrics.registry.metrics();
  const labels = 'workflow="legal-intake",agent="classifier",model="gpt-4o-mini-answered"';
  expect(text).toContain(`docket_model_calls_total{${labels},outcome="invalid_output"} 1`);
  expect(text).toContain(`docket_model_tokens_total{${labels},type="output"} 16`);
  expect(text).toContain(`docket_model_cost_usd_total{${labels}} 0.00005`);
});

it('does not count a call the activity cancelled', async () => {
  const metrics = createWorkerMetrics({ processMetrics: false });
  const controller = new AbortController();
  controller.abort();
  const gateway = withModelCallMetrics(scripted([new ModelUnavailableError('aborted')]), metrics, models);
  await expect(gateway.runTurn(AGENTS.classifier, [], { signal: controller.signal })).rejects.toThrow();
  expect(await metrics.registry.metrics()).not.toContain('docket_model_calls_total{');
});
