/**
 * Metrics counted in workflow code: gate results and how workflows end.
 *
 * Workflow code is deterministic and may not do I/O, so counts leave through a Temporal sink: the
 * worker calls its sink functions after the workflow task, and only for calls made while not replaying
 * (`callDuringReplay: false` on the worker side), so a workflow evicted from the cache and replayed,
 * here or on another worker, is not counted twice. Sinks add nothing to history: recorded histories
 * replay unchanged. Why not the workflow `metricMeter`: its metrics go to the Temporal SDK's exporter,
 * whose counters are integers (Docket counts dollars), whose histograms default to millisecond buckets,
 * and which adds namespace/task_queue/workflow_type labels; Docket's worker metrics stay in one
 * prom-client registry instead (see metrics/).
 */
import { proxySinks, workflowInfo } from '@temporalio/workflow';
import type { GateResult } from '../domain';
import type { DocketMetricsSinks } from '../metrics';

/** A gate result as the workflow records it: the stage and what the gate found. */
export type StageGateResult = { stage: string } & GateResult;

const { docketMetrics } = proxySinks<DocketMetricsSinks>();

/** Counts one gate result (`docket_gate_results_total`). */
export function countGateResult(gate: StageGateResult): void {
  if (workflowInfo().unsafe.isReplaying) return;
  if (gate.passed) docketMetrics.gateResult(gate.stage, 'passed', 'none');
  else docketMetrics.gateResult(gate.stage, 'escalated', gate.reasons[0]?.code ?? 'unknown');
}

/** Counts a workflow's end (`docket_workflows_total`). */
export function countWorkflowEnd(status: 'completed' | 'rejected' | 'failed'): void {
  if (workflowInfo().unsafe.isReplaying) return;
  docketMetrics.workflowEnd(status);
}
