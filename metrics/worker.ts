import type { InjectedSinks } from '@temporalio/worker';
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { WorkflowRegistry } from '../domain';
import {
  WORKER_METRICS,
  labelValue,
  type DocketMetricsSinks,
  type GateOutcome,
  type ModelCallOutcome,
  type WorkflowEnd,
} from './definitions';

/** One model call as the worker saw it; `usage` is absent when the call failed before an answer. */
export interface ModelCallObservation {
  /** The Temporal workflow type of the run that made the call. */
  workflowType: string;
  agent: string;
  model: string;
  outcome: ModelCallOutcome;
  /** Absent for a batched call, which waited for its batch, not for an answer. */
  latencySeconds?: number;
  usage?: {
    inputTokens: number;
    cachedTokens: number;
    outputTokens: number;
    reasoningTokens: number;
    costUsd: number;
  };
}

/**
 * Docket's metrics in a worker process, in a registry of their own (one per worker, so tests can run
 * several): model calls from the model activity, gate results and workflow ends from workflow sinks.
 */
export interface WorkerMetrics {
  readonly registry: Registry;
  modelCall(call: ModelCallObservation): void;
  gateResult(workflowType: string, stage: string, result: GateOutcome, reason: string): void;
  workflowEnd(workflowType: string, status: WorkflowEnd): void;
}

export interface WorkerMetricsOptions {
  /** Node process metrics (memory, CPU, event loop, GC) beside Docket's; default true. */
  processMetrics?: boolean;
  /**
   * The registered workflow types: a run's `workflow` label is its type's REST name (`unknown` for a type
   * the registry lacks). Without it, the label is the Temporal type as it is.
   */
  workflows?: WorkflowRegistry;
}

export function createWorkerMetrics({
  processMetrics = true,
  workflows,
}: WorkerMetricsOptions = {}): WorkerMetrics {
  const registry = new Registry();
  if (processMetrics) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const calls = new Counter({ ...WORKER_METRICS.modelCalls, registers });
  const tokens = new Counter({ ...WORKER_METRICS.modelTokens, registers });
  const cost = new Counter({ ...WORKER_METRICS.modelCost, registers });
  const latency = new Histogram({ ...WORKER_METRICS.modelLatency, registers });
  const gates = new Counter({ ...WORKER_METRICS.gateResults, registers });
  const ends = new Counter({ ...WORKER_METRICS.workflows, registers });

  const workflow = (workflowType: string) =>
    labelValue(workflows ? (workflows.byWorkflowType(workflowType)?.restName ?? 'unknown') : workflowType);

  return {
    registry,
    modelCall({ workflowType, agent, model, outcome, latencySeconds, usage }) {
      const labels = { workflow: workflow(workflowType), agent: labelValue(agent), model: labelValue(model) };
      calls.inc({ ...labels, outcome });
      if (latencySeconds !== undefined) latency.observe(labels, latencySeconds);
      if (!usage) return;
      tokens.inc({ ...labels, type: 'input' }, usage.inputTokens);
      tokens.inc({ ...labels, type: 'cached' }, usage.cachedTokens);
      tokens.inc({ ...labels, type: 'output' }, usage.outputTokens);
      tokens.inc({ ...labels, type: 'reasoning' }, usage.reasoningTokens);
      cost.inc(labels, usage.costUsd);
    },
    gateResult(workflowType, stage, result, reason) {
      gates.inc({
        workflow: workflow(workflowType),
        stage: labelValue(stage),
        result,
        reason: labelValue(reason),
      });
    },
    workflowEnd(workflowType, status) {
      ends.inc({ workflow: workflow(workflowType), status });
    },
  };
}

/**
 * The worker's sinks for `workflows/metrics.ts`. Registered on every Docket worker (no-ops without
 * metrics), since a workflow calling a sink the worker lacks gets an error logged per call.
 */
export function metricsSinks(metrics: WorkerMetrics | undefined): InjectedSinks<DocketMetricsSinks> {
  return {
    docketMetrics: {
      gateResult: {
        fn: (info, stage, result, reason) => metrics?.gateResult(info.workflowType, stage, result, reason),
        callDuringReplay: false,
      },
      workflowEnd: {
        fn: (info, status) => metrics?.workflowEnd(info.workflowType, status),
        callDuringReplay: false,
      },
    },
  };
}
