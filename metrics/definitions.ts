/**
 * Docket's Prometheus metrics, defined once: names, labels and meaning are a contract (DESIGN.md
 * "Metrics"); dashboards and the rules in ops/prometheus/ rely on them. Label values are closed sets
 * (agents, models from config, stages, reason codes, route patterns): never an id, a name or any text.
 * Series about runs carry `workflow`, the run's type by its REST name (`legal-intake`).
 */
import type { Sinks } from '@temporalio/workflow';

const SECOND = 1;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** What every metric here is made from: prom-client takes these as they are. */
interface MetricDefinition<Label extends string> {
  name: string;
  help: string;
  labelNames: readonly Label[];
  buckets?: number[];
}

function metric<const Label extends string>(definition: MetricDefinition<Label>): MetricDefinition<Label> {
  return definition;
}

/** Outcomes of one model call (one provider request, so a retried activity counts each attempt). */
export type ModelCallOutcome = 'ok' | 'error' | 'invalid_output' | 'refused';
export type TokenType = 'input' | 'cached' | 'output' | 'reasoning';
export type GateOutcome = 'passed' | 'escalated';
export type WorkflowEnd = 'completed' | 'rejected' | 'failed';

/**
 * The sink workflow code counts through (workflows/metrics.ts) and the worker implements (`metricsSinks`).
 * It lives beside the metrics it feeds, so the worker side never imports workflow code.
 */
export interface DocketMetricsSinks extends Sinks {
  docketMetrics: {
    /** `reason`: the gate's first reason code, `none` when it passed. */
    gateResult(stage: string, result: GateOutcome, reason: string): void;
    workflowEnd(status: WorkflowEnd): void;
  };
}

/** Metrics of the worker process (`worker/main.ts` serves them). */
export const WORKER_METRICS = {
  modelCalls: metric({
    name: 'docket_model_calls_total',
    help:
      'Model calls (provider requests) by agent, model and outcome: ok, refused (the model declined), ' +
      'invalid_output (unparsable, schema mismatch, token limit or content filter), error (provider or transport failure).',
    labelNames: ['workflow', 'agent', 'model', 'outcome'],
  }),
  modelTokens: metric({
    name: 'docket_model_tokens_total',
    help:
      'Tokens by agent, model and type, as the provider reports them: input (all prompt tokens), cached (the part ' +
      'of input served from the prompt cache), output (all completion tokens), reasoning (the part of output spent reasoning).',
    labelNames: ['workflow', 'agent', 'model', 'type'],
  }),
  modelCost: metric({
    name: 'docket_model_cost_usd_total',
    help: 'Model spend in US dollars at the prices in config (models.<tier>.pricing), by agent and model.',
    labelNames: ['workflow', 'agent', 'model'],
  }),
  modelLatency: metric({
    name: 'docket_model_latency_seconds',
    help: 'Time from sending a model request to its answer or failure, by agent and model (live calls; batched calls have no latency of their own).',
    labelNames: ['workflow', 'agent', 'model'],
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300],
  }),
  gateResults: metric({
    name: 'docket_gate_results_total',
    help:
      "Quality gate results by stage and result (passed, escalated) and reason: the gate's first reason code " +
      '(confidence first, then policy), none when passed. One per gate result; every reason is in the audit trail.',
    labelNames: ['workflow', 'stage', 'result', 'reason'],
  }),
  workflows: metric({
    name: 'docket_workflows_total',
    help: 'Workflows that ended, by status: completed, rejected (by a reviewer or an SLA action), failed.',
    labelNames: ['workflow', 'status'],
  }),
} as const;

/** Metrics of the API process (its `GET /metrics`). */
export const API_METRICS = {
  reviewsPending: metric({
    name: 'docket_reviews_pending',
    help: 'Reviews waiting for a person (pending or overdue), by stage, read from Temporal visibility at scrape time.',
    labelNames: ['workflow', 'stage'],
  }),
  reviewDecision: metric({
    name: 'docket_review_decision_seconds',
    help: 'Time from a review being requested to its decision, for decisions made through the REST API.',
    labelNames: ['workflow'],
    buckets: [
      MINUTE,
      5 * MINUTE,
      15 * MINUTE,
      30 * MINUTE,
      HOUR,
      2 * HOUR,
      4 * HOUR,
      8 * HOUR,
      DAY,
      2 * DAY,
      7 * DAY,
    ],
  }),
  httpDuration: metric({
    name: 'docket_http_request_duration_seconds',
    help: 'HTTP request duration by method, route pattern (unmatched when no route matched) and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  }),
} as const;

/** Label values that are safe to publish: short, and codes rather than text. Anything else is `other`. */
const LABEL_VALUE = /^[A-Za-z0-9._:/-]{1,80}$/;

export function labelValue(value: string | null | undefined): string {
  return value && LABEL_VALUE.test(value) ? value : 'other';
}
