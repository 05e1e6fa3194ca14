/**
 * Whether a decision may close the pending review, and what it leaves to continue with. Pure, and the
 * one place these rules live: the update's validator, the signal handler and the tests all call it.
 */
import { ZodObject, type z } from 'zod';
import { ReviewDecision, type DecisionKind, type PendingReview, type ReviewRecord } from '../../domain';

/** The open review as the gate holds it: what is asked, the output under review and its schema. */
export interface OpenReview<T = unknown> {
  pending: PendingReview;
  output: T | null;
  /** The stage's output schema; null when the stage has no output a reviewer can revise. */
  schema: z.ZodType<T> | null;
}

export interface DecisionIssue {
  path: Array<string | number>;
  message: string;
}

export type DecisionCheck<T> =
  | { ok: true; decision: ReviewDecision; output: T | null }
  | { ok: false; kind: 'not_pending'; message: string; pendingReviewId: string | null }
  | { ok: false; kind: 'invalid'; message: string; issues: DecisionIssue[] };

/** The decisions a review accepts: no approving a missing output, no revising what has no schema. */
export function allowedDecisions(hasOutput: boolean, revisable: boolean): DecisionKind[] {
  const allowed: DecisionKind[] = [];
  if (hasOutput) allowed.push('approve');
  allowed.push('reject');
  if (revisable) allowed.push('revise');
  return allowed;
}

export function checkDecision<T>(
  open: OpenReview<T> | null,
  history: readonly ReviewRecord[],
  raw: unknown,
): DecisionCheck<T> {
  const parsed = ReviewDecision.safeParse(raw);
  if (!parsed.success) {
    return {
      ok: false,
      kind: 'invalid',
      message: 'the decision is invalid',
      issues: parsed.error.issues.map((issue) => ({
        path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
        message: issue.message,
      })),
    };
  }
  const decision = parsed.data;
  const pendingId = open?.pending.id ?? null;
  if (decision.reviewId !== pendingId) {
    const decided = history.find((r) => r.id === decision.reviewId);
    const what = decided
      ? `review ${decision.reviewId} was already decided (${decided.decision} by ${decided.reviewer})`
      : `review ${decision.reviewId} is not pending`;
    return {
      ok: false,
      kind: 'not_pending',
      message: pendingId ? `${what}; the pending review is ${pendingId}` : `${what}; no review is pending`,
      pendingReviewId: pendingId,
    };
  }
  const { pending, output, schema } = open as OpenReview<T>;
  if (!pending.allowed.includes(decision.decision)) {
    const why =
      decision.decision === 'approve'
        ? `the ${pending.stage} stage produced no usable output: revise it with a full output, or reject`
        : `the ${pending.stage} review cannot be revised: approve or reject`;
    return { ok: false, kind: 'invalid', message: why, issues: [{ path: ['decision'], message: why }] };
  }
  if (decision.decision === 'reject') return { ok: true, decision, output: null };
  if (decision.decision === 'approve') return { ok: true, decision, output };
  return revised(decision, output, schema as z.ZodType<T>, pending.stage);
}

/** Corrections replace top-level fields; the result must be a whole valid output, with no unknown field. */
function revised<T>(
  decision: ReviewDecision,
  output: T | null,
  schema: z.ZodType<T>,
  stage: string,
): DecisionCheck<T> {
  const merged = { ...(output ?? {}), ...decision.corrections };
  const parsed = schema.safeParse(merged);
  // Unknown top-level fields are named even when other fields fail; nested ones once the rest parses.
  const known = schema instanceof ZodObject ? Object.keys(schema.shape) : null;
  const unknownTop: DecisionIssue[] = known
    ? Object.keys(decision.corrections ?? {})
        .filter((key) => !known.includes(key))
        .map((key) => ({ path: [key], message: 'unknown field' }))
    : [];
  const issues: DecisionIssue[] = parsed.success
    ? unknownFields(merged, parsed.data, [])
    : [
        ...parsed.error.issues.map((issue) => ({
          path: issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p)),
          message: issue.message,
        })),
        ...unknownTop,
      ];
  if (issues.length > 0) {
    return {
      ok: false,
      kind: 'invalid',
      message: `the corrections do not make a valid ${stage} output`,
      issues: issues.map((issue) => ({ ...issue, path: ['corrections', ...issue.path] })),
    };
  }
  return { ok: true, decision, output: parsed.data as T };
}

/** Keys the input had and the parse dropped: zod strips unknown keys, a reviewer's typo must not vanish. */
function unknownFields(input: unknown, kept: unknown, path: Array<string | number>): DecisionIssue[] {
  if (Array.isArray(input) && Array.isArray(kept)) {
    return input.flatMap((item, i) => unknownFields(item, kept[i], [...path, i]));
  }
  if (!isObject(input) || !isObject(kept)) return [];
  return Object.keys(input).flatMap((key) =>
    key in kept
      ? unknownFields(input[key], kept[key], [...path, key])
      : [{ path: [...path, key], message: 'unknown field' }],
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
