/**
 * The legal intake's status (its `status` query, its result, and the REST status answer): the shared
 * workflow status schema with this workflow's stages and results. Pure zod, safe in workflow code; built on
 * first use (`lazySchema`), since the workflow sandbox loads this module for every run and a run never
 * parses its own status.
 */
import { defineQuery } from '@temporalio/workflow';
import { z } from 'zod';
import {
  Assessment,
  CheckConflictsResult,
  Classification,
  Draft,
  LimitationPeriodArgs,
  LimitationPeriodResult,
  LookupClientResult,
} from '../../agents';
import {
  ComputedConfidence,
  GateResult,
  initialStatusBase,
  lazySchema,
  workflowStatusSchema,
} from '../../domain';
import { statusQuery } from '../messages';

export const LegalIntakeReviewStage = lazySchema(() => z.enum(['classify', 'reason', 'draft', 'file']));
export type LegalIntakeReviewStage = z.infer<typeof LegalIntakeReviewStage>;

/** What a reviewer revises at each review stage; `file` has nothing to revise (approve or reject). */
export const REVIEW_STAGE_OUTPUTS = {
  classify: Classification,
  reason: Assessment,
  draft: Draft,
  file: null,
} as const satisfies Record<LegalIntakeReviewStage, z.ZodType | null>;

export const LegalIntakeStage = lazySchema(() =>
  z.enum(['received', 'classify', 'reason', 'draft', 'file', 'done', 'rejected', 'failed']),
);
export type LegalIntakeStage = z.infer<typeof LegalIntakeStage>;

/** Who asked for a check: the workflow itself (mandatory) or the reasoner through its tools (extra evidence). */
const CheckSource = lazySchema(() => z.enum(['workflow', 'reasoner']));

/** One conflict check. `missing` names what it lacked; `result` is null when it could not run at all. */
export const ConflictCheckRun = lazySchema(() =>
  z.object({
    source: CheckSource,
    at: z.string(),
    result: CheckConflictsResult.nullable(),
    missing: z.array(z.string()),
  }),
);
export type ConflictCheckRun = z.infer<typeof ConflictCheckRun>;

export const LimitationCheckRun = lazySchema(() =>
  z.object({
    source: CheckSource,
    at: z.string(),
    args: LimitationPeriodArgs.nullable(),
    result: LimitationPeriodResult.nullable(),
    missing: z.array(z.string()),
    /**
     * Present on a run counted from a date the intake writes other than the classifier's incident date:
     * that date, where it came from, and whether the rule is the classified matter type's or, lacking one,
     * the shortest period on file for the jurisdiction.
     */
    candidate: z
      .object({ date: z.string(), source: z.literal('recognized'), rule: z.enum(['classified', 'shortest']) })
      .optional(),
  }),
);
export type LimitationCheckRun = z.infer<typeof LimitationCheckRun>;

/** Every check run so far, in order; results accumulate and are never overwritten. */
export const LegalIntakeChecks = lazySchema(() =>
  z.object({
    conflicts: z.array(ConflictCheckRun),
    limitation: z.array(LimitationCheckRun),
  }),
);
export type LegalIntakeChecks = z.infer<typeof LegalIntakeChecks>;

export const LegalIntakeResults = lazySchema(() =>
  z.object({
    classification: Classification.nullable(),
    assessment: Assessment.nullable(),
    draft: Draft.nullable(),
    checks: LegalIntakeChecks,
    clientLookup: LookupClientResult.nullable(),
    /**
     * Each agent's computed confidence with its parts (model, logprobs, checks), as its gate used it; absent
     * in runs from before `computed-confidence`, null for a stage not yet gated.
     */
    confidence: z
      .object({
        classify: ComputedConfidence.nullable(),
        reason: ComputedConfidence.nullable(),
        draft: ComputedConfidence.nullable(),
      })
      .optional(),
    /** The last gate result of each stage, with every reason and its evidence. */
    gates: z.object({
      classify: GateResult.nullable(),
      reason: GateResult.nullable(),
      draft: GateResult.nullable(),
      file: GateResult.nullable(),
    }),
  }),
);
export type LegalIntakeResults = z.infer<typeof LegalIntakeResults>;

export const LegalIntakeStatus = lazySchema(() =>
  workflowStatusSchema({
    stage: LegalIntakeStage,
    results: LegalIntakeResults,
    result: z.object({ caseId: z.string() }),
  }),
);
export type LegalIntakeStatus = z.infer<typeof LegalIntakeStatus>;

/** A legal intake's status before any stage has run. */
export function initialLegalIntakeStatus(
  workflowId: string,
  externalId: string,
  at: Pick<LegalIntakeStatus, 'status' | 'stage'> = { status: 'running', stage: 'received' },
): LegalIntakeStatus {
  return {
    ...initialStatusBase(workflowId, externalId, at, {
      classification: null,
      assessment: null,
      draft: null,
      checks: { conflicts: [], limitation: [] },
      clientLookup: null,
      gates: { classify: null, reason: null, draft: null, file: null },
    }),
    stage: at.stage,
  };
}

/** The `status` query as legal intake answers it (same name; typed with legal intake's status). */
export const legalIntakeStatusQuery = defineQuery<LegalIntakeStatus>(statusQuery.name);
