/**
 * The eval runner behind `npm run eval`: every corpus item through the real pipeline (the legal-intake
 * workflow on Temporal, a Docket worker, PGlite with the demo directory, and the simulator unless a model
 * provider is configured: see stack.ts), every review approved so the later stages run too, and each run
 * turned into the `EvaluatedItem` that report.ts scores (see outcome.ts).
 */
import { decideReview, startWorkflowRun } from '../client';
import { workflowRegistry } from '../workflows/registry';
import { IntakeRequest, LEGAL_INTAKE_REST_NAME } from '../domain';
import type { LegalIntakeStatus } from '../workflows';
import type { CorpusItem } from './corpus';
import { describeRun, failedItem } from './outcome';
import {
  GaveUpError,
  runOnStack,
  terminateRun,
  tierModels,
  waitUntilSettled,
  type EvalRunOptions as RunOptions,
  type EvalProgress as Progress,
  type ItemContext,
} from './runner';
import type { EvaluatedItem, RunInfo } from './runner-output';
import type { EvalStack } from './stack';

export type EvalRunOptions = RunOptions<EvaluatedItem>;
export type EvalProgress = Progress<EvaluatedItem>;

export interface EvalRunResult {
  /** In the order given. */
  items: EvaluatedItem[];
  run: Omit<RunInfo, 'corpusFiles'>;
  wallMs: number;
}

const REVIEWER = 'eval';

/** Runs every item through the pipeline and returns what report.ts scores. */
export async function runEvaluation(
  items: readonly CorpusItem[],
  options: EvalRunOptions = {},
): Promise<EvalRunResult> {
  const result = await runOnStack(items, options, evaluateItem);
  const { config } = result;
  return {
    items: result.items,
    run: {
      generatedAt: result.generatedAt,
      models: tierModels(config),
      simulator: result.simulator,
      confidenceThresholds: {
        classifier: config.agents.classifier.confidenceThreshold,
        reasoner: config.agents.reasoner.confidenceThreshold,
        drafter: config.agents.drafter.confidenceThreshold,
      },
    },
    wallMs: result.wallMs,
  };
}

/** One item: start it, approve every review until it ends, describe the run. Failures become the item's error. */
async function evaluateItem(
  item: CorpusItem,
  { stack, runId, signal, deadline }: ItemContext,
): Promise<EvaluatedItem> {
  let run: { workflowId: string; runId: string } | null = null;
  try {
    const intake = IntakeRequest.parse({ ...item.intake, externalId: `eval-${runId}-${item.id}` });
    run = await startWorkflowRun(stack, workflowRegistry.byRestName(LEGAL_INTAKE_REST_NAME)!, intake);
    const started = run;
    const status = await waitUntilSettled<LegalIntakeStatus>(stack, run, {
      deadline,
      signal,
      onReview: (review) => approve(stack, started, review),
    });
    const error =
      status.status === 'failed'
        ? `failed at ${lastStage(status)}: ${status.error ?? 'no message'}`
        : undefined;
    return await describeRun(stack, item, run, status, error);
  } catch (err) {
    if (signal.aborted) throw err;
    const message = err instanceof Error ? err.message : String(err);
    if (run && err instanceof GaveUpError) return giveUp(stack, item, run, message);
    return failedItem(item, message);
  }
}

/**
 * Approves a pending review (or rejects it when there is no output to approve: a refusal, an invalid
 * output), as a reviewer who agrees with the agents would, so the later stages run and are scored.
 */
async function approve(
  stack: EvalStack,
  run: { workflowId: string; runId: string },
  review: NonNullable<LegalIntakeStatus['review']>,
): Promise<void> {
  const approving = review.allowed.includes('approve');
  await decideReview(
    stack.client,
    run,
    {
      reviewId: review.id,
      decision: approving ? 'approve' : 'reject',
      reviewer: REVIEWER,
      comment: approving
        ? 'approved by the eval runner, so the later stages run and are scored'
        : 'no output to approve',
    },
    `eval-${review.id}`,
  );
}

/** Ends a run the eval gave up on (it is the eval's own); what it did and spent so far still counts. */
async function giveUp(
  stack: EvalStack,
  item: CorpusItem,
  run: { workflowId: string; runId: string },
  message: string,
): Promise<EvaluatedItem> {
  try {
    return await describeRun(
      stack,
      item,
      run,
      await terminateRun<LegalIntakeStatus>(stack, run, message),
      message,
    );
  } catch (err) {
    return failedItem(item, `${message}; its status could not be read afterwards (${String(err)})`);
  }
}

function lastStage(status: LegalIntakeStatus): string {
  const results = status.results;
  if (results.draft) return 'file';
  if (results.assessment) return 'draft';
  if (results.classification) return 'reason';
  return status.usage.calls.length > 0 ? 'classify' : 'pseudonymize';
}
