import { z } from 'zod';
import { lazySchema } from './lazy-schema';

export const DecisionKind = lazySchema(() => z.enum(['approve', 'reject', 'revise']));
export type DecisionKind = z.infer<typeof DecisionKind>;

/** Review ids are made by the workflow (`<stage>-<n>`); this bounds what a caller may send. */
const ReviewId = lazySchema(() =>
  z
    .string()
    .min(1, 'name the review you decide (its id is in the status)')
    .max(100)
    .regex(/^[a-z0-9_-]+$/, 'a review id looks like classify-1'),
);

/** The fields both decision schemas share (a function: built with the schema that uses them). */
function decisionFields() {
  return {
    reviewId: ReviewId,
    decision: DecisionKind,
    comment: z.string().max(5000).optional(),
    /** Fields of the stage's output to replace; required for `revise`, refused otherwise. */
    corrections: z.record(z.string(), z.unknown()).optional(),
  };
}

type DecisionShape = { decision: string; comment?: string; corrections?: Record<string, unknown> };

/**
 * Rules that need nothing but the decision itself. Rules that need the pending review (which id is
 * pending, what the stage's output must look like) live in the workflow's validator, once.
 */
function decisionRules(d: DecisionShape, ctx: z.RefinementCtx): void {
  if (d.decision === 'revise' && (d.corrections === undefined || Object.keys(d.corrections).length === 0)) {
    ctx.addIssue({ code: 'custom', message: 'revise needs corrections', path: ['corrections'] });
  }
  if (d.decision !== 'revise' && d.corrections !== undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'only a revise decision carries corrections',
      path: ['corrections'],
    });
  }
  if (d.decision === 'reject' && !d.comment?.trim()) {
    ctx.addIssue({ code: 'custom', message: 'a rejection needs a reason', path: ['comment'] });
  }
}

/** Payload of the `decideReview` update and the `reviewDecision` signal. */
export const ReviewDecision = lazySchema(() =>
  z
    .object({
      ...decisionFields(),
      reviewer: z.string().trim().min(1, 'name the reviewer').max(200),
    })
    .strict()
    .superRefine(decisionRules),
);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Body of `POST /v1/reviews/:workflowId/decision`: the reviewer is the authenticated key's name. */
export const ReviewDecisionBody = lazySchema(() =>
  z.object(decisionFields()).strict().superRefine(decisionRules),
);
export type ReviewDecisionBody = z.infer<typeof ReviewDecisionBody>;

/** What a review may end in once it is overdue and its escalation time has passed. */
export const SlaAction = lazySchema(() =>
  z.enum(['keep_waiting', 'reject', 'approve_if_only_low_confidence']),
);
export type SlaAction = z.infer<typeof SlaAction>;

/** The reviewer recorded for a decision the SLA took on its own. */
export const SLA_REVIEWER = 'system:sla';
