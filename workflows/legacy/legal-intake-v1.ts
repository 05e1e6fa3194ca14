/**
 * FROZEN: legal intake as it ran before review ids, mandatory checks and acting SLAs (patch
 * `review-gate-v2`). Histories that lack that patch marker replay through this code, so it must not
 * change: fix nothing here that would alter the commands it issues. New runs never reach it.
 */
import {
  condition,
  log,
  proxyActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import {
  AGENTS,
  classifierInput,
  drafterInput,
  reasonerInput,
  type AgentName,
  type Assessment,
  type Classification,
  type Draft,
  type ModelUsage,
} from '../../agents';
import type { DocketActivities } from '../../activities';
import type { GateReason } from '../../domain';
import { runAgent, type AgentRun } from '../agent-loop';
import { assessmentGate, classificationGate, draftGate, type GateResult } from './gates-v1';
import { reviewDecisionSignal, statusQuery } from '../messages';
import { DocketReviewStatus, DocketStage } from '../search-attributes';

type ReviewStage = 'classify' | 'reason' | 'draft';
type Stage = 'received' | ReviewStage | 'file' | 'done' | 'rejected' | 'failed';

/** The v1 signal payload: no review id. */
interface ReviewDecision {
  decision: 'approve' | 'reject' | 'revise';
  reviewer: string;
  comment?: string;
  corrections?: Record<string, unknown>;
}

interface PendingReview {
  stage: ReviewStage;
  reasons: GateReason[];
  confidence: number | null;
  requestedAt: string;
  dueAt: string;
  overdue: boolean;
  outputMissing: boolean;
}

/** The v1 status shape, as v1 runs answer the status query. */
interface LegalIntakeStatus {
  workflowId: string;
  externalId: string;
  status: 'running' | 'awaiting_review' | 'completed' | 'rejected' | 'failed' | 'cancelled';
  stage: Stage;
  review: PendingReview | null;
  reviewHistory: Array<
    PendingReview & { decision: string; reviewer: string; comment: string | null; decidedAt: string }
  >;
  results: {
    classification: Classification | null;
    assessment: Assessment | null;
    draft: Draft | null;
    tools: Record<string, unknown>;
  };
  result: { caseId: string } | null;
  usage: {
    total: {
      calls: number;
      inputTokens: number;
      outputTokens: number;
      reasoningTokens: number;
      costUsd: number;
    };
    calls: ModelUsage[];
  };
  error: string | null;
}

function initialLegalIntakeStatus(workflowId: string, externalId: string): LegalIntakeStatus {
  return {
    workflowId,
    externalId,
    status: 'running',
    stage: 'received',
    review: null,
    reviewHistory: [],
    results: {
      classification: null,
      assessment: null,
      draft: null,
      tools: { lookupClient: null, checkConflicts: null, limitationPeriod: null },
    },
    result: null,
    usage: {
      total: { calls: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0 },
      calls: [],
    },
    error: null,
  };
}

/** The v1 settings, as v1 runs were started with them. */
export interface LegalIntakeSettingsV1 {
  thresholds: { classifier: number; reasoner: number; drafter: number };
  maxToolRounds: number;
  reviewSlaMs: number;
  limitationWarningDays: number;
}

const { createCase } = proxyActivities<DocketActivities>({
  startToCloseTimeout: '30 seconds',
  // The one high-impact action: idempotent on the workflow id, so it may retry for as long as it takes.
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 20,
  },
});

/** v1 legal intake: classify → reason (tools) → draft → file the case, with a review gate after each stage. */
export async function legalIntakeV1({
  intake,
  settings,
}: {
  intake: {
    externalId: string;
    channel: string;
    from?: string;
    subject?: string;
    body: string;
    receivedAt?: string;
  };
  settings: LegalIntakeSettingsV1;
}): Promise<LegalIntakeStatus> {
  const { workflowId } = workflowInfo();
  const state = initialLegalIntakeStatus(workflowId, intake.externalId);
  // Decisions arrive as signals, possibly several in one activation: queue them, never drop one unread.
  const decisions: ReviewDecision[] = [];

  // The query's type is today's status; v1 runs answer with the v1 shape above.
  setHandler(statusQuery, () => state as never);
  setHandler(reviewDecisionSignal, (decision: ReviewDecision) => {
    if (!state.review) {
      log.warn('review decision ignored: no review is pending', { reviewer: decision.reviewer });
      return;
    }
    decisions.push(decision);
  });

  const setStage = (stage: Stage) => {
    state.stage = stage;
    upsertSearchAttributes([{ key: DocketStage, value: stage }]);
  };
  const hooks = {
    onUsage(usage: ModelUsage) {
      const total = state.usage.total;
      total.calls += 1;
      total.inputTokens += usage.inputTokens;
      total.outputTokens += usage.outputTokens;
      total.reasoningTokens += usage.reasoningTokens;
      total.costUsd = Math.round((total.costUsd + usage.costUsd) * 1e8) / 1e8;
      state.usage.calls.push(usage);
    },
    onToolResult(name: string, result: unknown) {
      (state.results.tools as Record<string, unknown>)[name] = result;
    },
    toolContext: { asOf: new Date().toISOString().slice(0, 10) },
  };
  upsertSearchAttributes([{ key: DocketReviewStatus, value: 'none' }]);

  /**
   * Waits for a reviewer. Returns the output to continue with, or null when the reviewer rejected.
   * An overdue review stays open (a person must decide a high-impact action) and is flagged each SLA period.
   */
  async function review<T>(
    stage: ReviewStage,
    agent: AgentName,
    output: T | null,
    gate: GateResult,
    confidence: number | null,
  ): Promise<T | null> {
    const now = new Date();
    const pending: PendingReview = {
      stage,
      reasons: gate.reasons,
      confidence,
      requestedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + settings.reviewSlaMs).toISOString(),
      overdue: false,
      outputMissing: output === null,
    };
    state.review = pending;
    state.status = 'awaiting_review';
    upsertSearchAttributes([{ key: DocketReviewStatus, value: 'pending' }]);
    log.info('review requested', { stage, reasons: gate.reasons.map((r) => r.code) });

    for (;;) {
      while (!(await condition(() => decisions.length > 0, settings.reviewSlaMs))) {
        pending.overdue = true;
        log.warn('review overdue', { stage, dueAt: pending.dueAt });
      }
      const decision = decisions.shift() as ReviewDecision;
      const next = applyDecision(agent, output, decision);
      if (next === 'invalid') {
        log.warn('review decision does not fit the pending item; still waiting', {
          decision: decision.decision,
        });
        continue;
      }
      state.reviewHistory.push({
        ...pending,
        decision: decision.decision,
        reviewer: decision.reviewer,
        comment: decision.comment ?? null,
        decidedAt: new Date().toISOString(),
      });
      state.review = null;
      state.status = 'running';
      // Later decisions were about this review, which is now closed.
      if (decisions.length > 0) log.warn('extra review decisions ignored', { count: decisions.length });
      decisions.length = 0;
      upsertSearchAttributes([{ key: DocketReviewStatus, value: 'decided' }]);
      return next as T | null;
    }
  }

  /** Runs a stage's agent and its gate; escalates when the gate does not pass. Null: rejected. */
  async function stage<T extends { confidence: number }>(
    name: ReviewStage,
    agent: AgentName,
    run: () => Promise<AgentRun<T>>,
    gate: (output: T) => GateResult,
  ): Promise<T | null> {
    setStage(name);
    const outcome = await run();
    let output: T | null = null;
    let checked: GateResult;
    if (outcome.kind === 'output') {
      const parsed = AGENTS[agent].outputSchema.safeParse(outcome.output);
      if (parsed.success) {
        output = parsed.data as unknown as T;
        checked = gate(output);
      } else {
        checked = failed('schema_invalid', `the ${agent} output does not match its schema`);
      }
    } else if (outcome.kind === 'refusal') {
      checked = failed('refusal', `the ${agent} declined to answer`);
    } else {
      checked = failed(
        'tool_rounds_exhausted',
        `the ${agent} gave no answer within ${outcome.kind === 'exhausted' ? outcome.rounds : 0} rounds`,
      );
    }
    // The reviewer sees the output under review in the status; a revision replaces it.
    const show = (value: T | null) => {
      (state.results as Record<string, unknown>)[RESULT_OF_STAGE[name]] = value;
    };
    show(output);
    if (checked.passed) return output;
    const decided = await review(name, agent, output, checked, output?.confidence ?? null);
    if (decided) show(decided);
    return decided;
  }

  const rejected = (): LegalIntakeStatus => {
    state.status = 'rejected';
    setStage('rejected');
    return state;
  };

  try {
    const classification = await stage<Classification>(
      'classify',
      'classifier',
      () => runAgent(AGENTS.classifier, classifierInput(intake), 1, hooks),
      (out) => classificationGate(out, settings.thresholds.classifier),
    );
    if (!classification) return rejected();

    const assessment = await stage<Assessment>(
      'reason',
      'reasoner',
      () =>
        runAgent(
          AGENTS.reasoner,
          reasonerInput({ classification, intakeBody: intake.body, today: hooks.toolContext.asOf }),
          settings.maxToolRounds,
          hooks,
        ),
      (out) =>
        assessmentGate(out, state.results.tools as never, {
          threshold: settings.thresholds.reasoner,
          limitationWarningDays: settings.limitationWarningDays,
        }),
    );
    if (!assessment) return rejected();

    const draft = await stage<Draft>(
      'draft',
      'drafter',
      () =>
        runAgent(
          AGENTS.drafter,
          drafterInput({ classification, assessment, intakeBody: intake.body }),
          1,
          hooks,
        ),
      (out) => draftGate(out, settings.thresholds.drafter),
    );
    if (!draft) return rejected();

    setStage('file');
    const filed = await createCase({
      workflowId,
      externalId: intake.externalId,
      matterType: classification.matterType,
      jurisdiction: classification.jurisdiction,
      clientName: classification.client.organization ?? classification.client.name,
      queue: assessment.recommendedQueue,
      priority: assessment.priority,
      summary: draft.matterSummary,
      payload: { classification, assessment, acknowledgement: draft.clientAcknowledgement },
    });
    state.result = { caseId: filed.caseId };
    state.status = 'completed';
    setStage('done');
    return state;
  } catch (err) {
    state.status = 'failed';
    state.error = err instanceof Error ? err.message : String(err);
    setStage('failed');
    throw err;
  }
}

const RESULT_OF_STAGE = { classify: 'classification', reason: 'assessment', draft: 'draft' } as const;

function failed(code: GateReason['code'], message: string): GateResult {
  return { passed: false, reasons: [{ code, message }] };
}

/**
 * What a decision means for the pending output: the output to continue with, null for a rejection,
 * or 'invalid' when the decision cannot apply (approving a missing output, corrections that break the schema).
 * Corrections replace top-level fields of the output.
 */
function applyDecision<T>(
  agent: AgentName,
  output: T | null,
  decision: ReviewDecision,
): T | null | 'invalid' {
  if (decision.decision === 'reject') return null;
  if (decision.decision === 'approve') return output ?? 'invalid';
  const merged = { ...(output ?? {}), ...(decision.corrections ?? {}) };
  const parsed = AGENTS[agent].outputSchema.safeParse(merged);
  return parsed.success ? (parsed.data as unknown as T) : 'invalid';
}
