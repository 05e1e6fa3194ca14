/**
 * The clinical eval's runner: every corpus document through the clinical summary on the same stack as the
 * legal eval (../runner.ts, ../stack.ts), submitted as `POST /v1/workflows/clinical-summary` submits it, and
 * waited for until it settles: completed, rejected, failed, or awaiting review. It approves nothing: a run
 * that asks a person is read there and then ended, so it leaves nothing waiting behind it.
 */
import { startWorkflowRun } from '../../client';
import type { WorkflowStatusBase } from '../../domain';
import { reidentifyValue } from '../../personal-data';
import { CLINICAL_SUMMARY_REST_NAME } from '../../workflows';
import { workflowRegistry } from '../../workflows/registry';
import {
  GaveUpError,
  runOnStack,
  terminateRun,
  tierModels,
  waitUntilSettled,
  type EvalRunOptions,
  type ItemContext,
} from '../runner';
import type { EvalStack } from '../stack';
import type { ClinicalCorpusItem } from './corpus';
import type { ClinicalEvaluatedItem } from './metrics';
import { observeStatus } from './outcome';

/** The clinical summary's REST name (workflows/clinical-summary/body.ts; the eval's tests hold them equal). */
export { CLINICAL_SUMMARY_REST_NAME };

/** What the runner knows about the run, beside its items. */
export interface ClinicalRunInfo {
  generatedAt: string;
  models: Record<string, string>;
  simulator: boolean;
  /** The confidence below which each stage asks a person, as the runs started with it. */
  thresholds: Record<string, number>;
}

export interface ClinicalRunResult {
  items: ClinicalEvaluatedItem[];
  run: ClinicalRunInfo;
  wallMs: number;
}

/** Runs every document and reads where each settled. */
export async function runClinicalEvaluation(
  items: readonly ClinicalCorpusItem[],
  options: EvalRunOptions<ClinicalEvaluatedItem> = {},
): Promise<ClinicalRunResult> {
  const definition = clinicalDefinition();
  const result = await runOnStack(items, options, evaluateItem);
  const settings = definition.settings(result.config) as { thresholds?: Record<string, number> };
  return {
    items: result.items,
    run: {
      generatedAt: result.generatedAt,
      models: tierModels(result.config),
      simulator: result.simulator,
      thresholds: settings.thresholds ?? {},
    },
    wallMs: result.wallMs,
  };
}

function clinicalDefinition() {
  const definition = workflowRegistry.byRestName(CLINICAL_SUMMARY_REST_NAME);
  if (!definition) throw new Error(`${CLINICAL_SUMMARY_REST_NAME} is not a registered workflow type`);
  return definition;
}

async function evaluateItem(
  item: ClinicalCorpusItem,
  { stack, runId, signal, deadline }: ItemContext,
): Promise<ClinicalEvaluatedItem> {
  const started = performance.now();
  let run: { workflowId: string; runId: string } | null = null;
  const done = (observed: ClinicalEvaluatedItem['observed'], error?: string): ClinicalEvaluatedItem => ({
    id: item.id,
    kind: item.document.kind,
    ...(run ? { workflowId: run.workflowId } : {}),
    expected: item.expected,
    observed,
    escalated: observed?.escalated ?? false,
    elapsedMs: Math.round(performance.now() - started),
    ...(error === undefined ? {} : { error }),
  });
  try {
    const definition = clinicalDefinition();
    const body = definition.body.parse({
      externalId: `eval-${runId}-${item.id}`,
      document: item.document,
      ...(item.patient ? { patient: item.patient } : {}),
    });
    run = await startWorkflowRun(stack, definition, body);
    const status = await waitUntilSettled<WorkflowStatusBase>(stack, run, { deadline, signal });
    if (status.status === 'awaiting_review') {
      await stack.client.workflow
        .getHandle(run.workflowId, run.runId)
        .terminate('eval: settled awaiting review; the eval approves nothing');
    }
    const error =
      status.status === 'failed' ? `failed at ${status.stage}: ${status.error ?? 'no message'}` : undefined;
    return done(await observe(stack, run, status), error);
  } catch (err) {
    if (signal.aborted) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (run && err instanceof GaveUpError) {
      try {
        const last = await terminateRun<WorkflowStatusBase>(stack, run, message);
        return done(await observe(stack, run, last), message);
      } catch (later) {
        return done(null, `${message}; its status could not be read afterwards (${String(later)})`);
      }
    }
    return done(null, message);
  }
}

/** The status as a reviewer reads it (re-identified), as the metrics read it. */
async function observe(stack: EvalStack, run: { workflowId: string }, status: WorkflowStatusBase) {
  return observeStatus(reidentifyValue(status, await stack.personal.loadMapping(run.workflowId)));
}
