/**
 * What every Docket workflow reports about itself (the `status` query and the REST status answer):
 * zod schemas with their inferred types. A workflow type supplies its stages and results; the review
 * state, usage and error fields are the same for all of them.
 */
import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { DecisionKind } from './review';

export const WorkflowStatus = lazySchema(() =>
  z.enum(['running', 'awaiting_review', 'completed', 'rejected', 'failed', 'cancelled']),
);
export type WorkflowStatus = z.infer<typeof WorkflowStatus>;

/**
 * Why a gate sent an item to a person, as the engine's stage runner and gates say it. A workflow type adds its
 * own (its definition's `reasonCodes`, e.g. legal intake's `potential_conflict`); the registry refuses one
 * that is badly formed or already the engine's.
 */
export const ENGINE_REASON_CODES = [
  'low_confidence',
  'schema_invalid',
  'refusal',
  'required_tool_missing',
  'check_incomplete',
  'tool_rounds_exhausted',
  'output_check_failed',
  'pii_leak',
  'provider_unavailable',
  'output_truncated',
  'budget_exceeded',
] as const;

export type EngineReasonCode = (typeof ENGINE_REASON_CODES)[number];

/** What a reason code looks like: snake_case, as in metrics labels and the review memo. */
export const REASON_CODE_PATTERN = /^[a-z][a-z0-9_]{0,63}$/;

/**
 * The schema says `description` only: the OpenAPI document lists the registered codes here
 * (`REASON_CODE_DESCRIPTION` marks the place), the status schemas accept any well-formed one.
 */
export const REASON_CODE_DESCRIPTION = "A gate reason code: the engine's or a workflow type's.";
export const GateReasonCode = lazySchema(() =>
  z.string().regex(REASON_CODE_PATTERN).describe(REASON_CODE_DESCRIPTION),
);
export type GateReasonCode = string;

export const GateReason = lazySchema(() =>
  z.object({
    code: GateReasonCode,
    message: z.string(),
    /** What the reason rests on (conflict hits, the deadline and days left, what a check lacked). */
    evidence: z.record(z.string(), z.unknown()).optional(),
  }),
);
export type GateReason = z.infer<typeof GateReason>;

/** A gate reason whose code is one of `Code`: a type's gates name theirs, and a typo does not compile. */
export type GateReasonOf<Code extends string> = Omit<GateReason, 'code'> & { code: Code };

export const GateResult = lazySchema(() => z.object({ passed: z.boolean(), reasons: z.array(GateReason) }));
export type GateResult = z.infer<typeof GateResult>;

/**
 * One check a computed confidence rests on (agents/confidence.ts): how far the output held up (`score`, 1 =
 * fully), the share it takes off the confidence when it fails entirely (`penalty`), the factor applied
 * (`1 - penalty × (1 - score)`), and what was found.
 */
export const ConfidenceCheck = lazySchema(() =>
  z.object({
    score: z.number().min(0).max(1),
    penalty: z.number().min(0).max(1),
    factor: z.number().min(0).max(1),
    detail: z.string(),
  }),
);
export type ConfidenceCheck = z.infer<typeof ConfidenceCheck>;

/** An agent's confidence as Docket computes it, with the parts it is made of, so a reviewer sees why. */
export const ComputedConfidence = lazySchema(() =>
  z.object({
    value: z.number().min(0).max(1),
    /** The formula, in words a reviewer reads (docs/confidence.md explains it). */
    formula: z.string(),
    parts: z.object({
      /** What the model said of itself. */
      model: z.number(),
      /** The least probable of the chosen values that count, from the model's logprobs; null without them. */
      logprob: z.number().nullable(),
      /** Each chosen value's probability, by field path (those that count and the others). */
      choices: z.record(z.string(), z.number()),
      checks: z.record(z.string(), ConfidenceCheck),
    }),
  }),
);
export type ComputedConfidence = z.infer<typeof ComputedConfidence>;

/** What a reviewer is asked, and by when. */
export const PendingReview = lazySchema(() =>
  z.object({
    /** `<stage>-<n>`: deterministic in the workflow; a decision must name it. */
    id: z.string(),
    stage: z.string(),
    reasons: z.array(GateReason),
    confidence: z.number().nullable(),
    requestedAt: z.string(),
    dueAt: z.string(),
    /** When the SLA action (config `review.escalateAfter`) is taken; null when it is to keep waiting. */
    escalatesAt: z.string().nullable(),
    overdue: z.boolean(),
    /** True when there is no usable output: only `revise` (with a full output) or `reject` will do. */
    outputMissing: z.boolean(),
    /** The decisions this review accepts. */
    allowed: z.array(DecisionKind),
    /**
     * The cascade rung whose answer is under review (`index` of `of`, from 0), its agent, and the climb rules
     * that sent the call there; absent when the stage's agent has no cascade. Usage names the model.
     */
    rung: z
      .object({
        agent: z.string(),
        index: z.number().int().nonnegative(),
        of: z.number().int().positive(),
        climbedFor: z.array(z.string()).optional(),
      })
      .optional(),
  }),
);
export type PendingReview = z.infer<typeof PendingReview>;

export const ReviewRecord = lazySchema(() =>
  PendingReview.extend({
    decision: DecisionKind,
    reviewer: z.string(),
    comment: z.string().nullable(),
    corrections: z.record(z.string(), z.unknown()).nullable(),
    decidedAt: z.string(),
    /** `update` (API, CLI), `signal` (CLI) or `sla` (taken by the SLA action). */
    via: z.enum(['update', 'signal', 'sla']),
  }),
);
export type ReviewRecord = z.infer<typeof ReviewRecord>;

/** A `reviewDecision` signal the workflow refused: nothing changed, and this says why. */
export const RejectedDecision = lazySchema(() =>
  z.object({
    reviewId: z.string().nullable(),
    decision: z.string().nullable(),
    reviewer: z.string().nullable(),
    reason: z.string(),
    receivedAt: z.string(),
  }),
);
export type RejectedDecision = z.infer<typeof RejectedDecision>;

/** Why the gateway passed over one of a tier's models: retired (404), overloaded (429, 5xx), too small a context. */
export const ModelFallbackReason = lazySchema(() => z.enum(['retired', 'overloaded', 'context_window']));
export type ModelFallbackReason = z.infer<typeof ModelFallbackReason>;

/** Tokens and money spent by one model call. Fields marked optional are absent in runs from before them. */
export const ModelUsage = lazySchema(() =>
  z.object({
    agent: z.string(),
    tier: z.string(),
    /** The model the call was made to and priced at: the one that answered. */
    model: z.string(),
    inputTokens: z.number(),
    /** Part of `inputTokens` served from the provider's prompt cache, billed at the cached rate. */
    cachedInputTokens: z.number().optional(),
    outputTokens: z.number(),
    reasoningTokens: z.number(),
    costUsd: z.number(),
    /** The tier's model that answered (the same as `model`), and the provider (`providers.<name>`) that served it. */
    answeredBy: z.string().optional(),
    provider: z.string().optional(),
    /**
     * The agent's cascade rung the call was made on (`index` of `of`, from 0) and, above the first, the climb
     * rules that sent it there; absent when the agent has no cascade.
     */
    rung: z
      .object({
        index: z.number().int().nonnegative(),
        of: z.number().int().positive(),
        climbedFor: z.array(z.string()).optional(),
      })
      .optional(),
    /** `batch`: answered through the provider's Batch API, priced at its batch price; absent: a live call. */
    lane: z.literal('batch').optional(),
    /** The tier's models tried before `answeredBy`, in order, and why each was passed over; absent when none was. */
    fallbacks: z
      .array(z.object({ model: z.string(), provider: z.string().optional(), reason: ModelFallbackReason }))
      .optional(),
    /**
     * The intake document was too long for every model of the tier and was trimmed to fit (head, tail and the
     * paragraphs that mention a party kept, a marker where text was cut): its tokens as received, its tokens
     * as sent (markers included), and the paragraphs cut in whole or in part. Absent when nothing was cut.
     */
    trimmed: z
      .object({ documentTokens: z.number(), keptTokens: z.number(), cutParagraphs: z.number() })
      .optional(),
  }),
);
export type ModelUsage = z.infer<typeof ModelUsage>;

export const UsageTotals = lazySchema(() =>
  z.object({
    calls: z.number(),
    inputTokens: z.number(),
    outputTokens: z.number(),
    reasoningTokens: z.number(),
    costUsd: z.number(),
  }),
);
export type UsageTotals = z.infer<typeof UsageTotals>;

/** Every call, their total, and the totals per agent (absent in statuses of runs from before it existed). */
export const Usage = lazySchema(() =>
  z.object({
    total: UsageTotals,
    byAgent: z.record(z.string(), UsageTotals).optional(),
    calls: z.array(ModelUsage),
  }),
);
export type Usage = z.infer<typeof Usage>;

/** The review part of a status: what is pending, what was decided, what was refused. */
export const ReviewState = lazySchema(() =>
  z.object({
    review: PendingReview.nullable(),
    reviewHistory: z.array(ReviewRecord),
    rejectedDecisions: z.array(RejectedDecision),
  }),
);
export type ReviewState = z.infer<typeof ReviewState>;

/** A workflow type's status schema: its stages, its results, and what it produces when it completes. */
export function workflowStatusSchema<
  Stage extends z.ZodType<string>,
  Results extends z.ZodType,
  Result extends z.ZodType,
>(parts: { stage: Stage; results: Results; result: Result }) {
  return z.object({
    workflowId: z.string(),
    externalId: z.string(),
    status: WorkflowStatus,
    stage: parts.stage,
    ...ReviewState.shape,
    results: parts.results,
    result: parts.result.nullable(),
    usage: Usage,
    error: z.string().nullable(),
  });
}

/** A status before its first stage ran: the type's empty `results` in the place every status has them. */
export function initialStatusBase<Results>(
  workflowId: string,
  externalId: string,
  at: { status: WorkflowStatus; stage: string },
  results: Results,
) {
  return {
    workflowId,
    externalId,
    status: at.status,
    stage: at.stage,
    review: null,
    reviewHistory: [] as ReviewRecord[],
    rejectedDecisions: [] as RejectedDecision[],
    results,
    result: null,
    usage: emptyUsage(),
    error: null,
  };
}

export function emptyUsage(): Usage {
  return {
    total: emptyTotals(),
    byAgent: {},
    calls: [],
  };
}

export function emptyTotals(): UsageTotals {
  return { calls: 0, inputTokens: 0, outputTokens: 0, reasoningTokens: 0, costUsd: 0 };
}

/** Adds one call to a usage record: the list, the total and its agent's totals. Cost kept to 1e-8 USD. */
export function addUsage(usage: Usage, call: ModelUsage): void {
  for (const totals of [usage.total, ((usage.byAgent ??= {})[call.agent] ??= emptyTotals())]) {
    totals.calls += 1;
    totals.inputTokens += call.inputTokens;
    totals.outputTokens += call.outputTokens;
    totals.reasoningTokens += call.reasoningTokens;
    totals.costUsd = Math.round((totals.costUsd + call.costUsd) * 1e8) / 1e8;
  }
  usage.calls.push(call);
}
