import { z } from 'zod';

export const DecisionKind = z.enum(['approve', 'reject', 'revise']);

const decisionFields = {
  decision: DecisionKind,
  comment: z.string().max(5000).optional(),
  /** Fields of the stage's output to replace; required for `revise`. */
  corrections: z.record(z.string(), z.unknown()).optional(),
};

function revisionHasCorrections(d: { decision: string; corrections?: Record<string, unknown> }): boolean {
  return d.decision !== 'revise' || (d.corrections !== undefined && Object.keys(d.corrections).length > 0);
}
const REVISE_NEEDS_CORRECTIONS = { message: 'revise needs corrections', path: ['corrections'] };

/** The `reviewDecision` signal's payload. */
export const ReviewDecision = z
  .object({ ...decisionFields, reviewer: z.string().min(1).max(200) })
  .strict()
  .refine(revisionHasCorrections, REVISE_NEEDS_CORRECTIONS);
export type ReviewDecision = z.infer<typeof ReviewDecision>;

/** Body of `POST /v1/reviews/:workflowId/decision`: the reviewer is the authenticated key's name. */
export const ReviewDecisionBody = z
  .object(decisionFields)
  .strict()
  .refine(revisionHasCorrections, REVISE_NEEDS_CORRECTIONS);
export type ReviewDecisionBody = z.infer<typeof ReviewDecisionBody>;

/** Why a gate sent an item to a person. */
export type GateReasonCode =
  | 'low_confidence'
  | 'schema_invalid'
  | 'refusal'
  | 'potential_conflict'
  | 'limitation_imminent'
  | 'required_tool_missing'
  | 'tool_rounds_exhausted'
  | 'output_check_failed';

export interface GateReason {
  code: GateReasonCode;
  message: string;
}
