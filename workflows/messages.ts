/**
 * The messages Docket workflows answer, defined once: the workflow, the API, scripts and tests import
 * these, so a name is never typed twice (see DESIGN.md, Temporal contract).
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { IntakeRequest, ReviewDecision, ReviewRecord, WorkflowStatusBase } from '../domain';

/**
 * A reviewer's decision on the pending review named by `reviewId`. The validator refuses a review that
 * is not pending and a decision that does not fit it; accepted, the answer is the recorded decision.
 */
export const decideReviewUpdate = defineUpdate<ReviewRecord, [ReviewDecision]>('decideReview');

/**
 * The same decision as a signal, for Temporal CLI users. Same validation; a refused one changes nothing
 * and is listed in the status (`rejectedDecisions`).
 */
export const reviewDecisionSignal = defineSignal<[ReviewDecision]>('reviewDecision');

/**
 * Stage, review state, results so far, usage and cost: every workflow type answers it with its own status
 * (its definition's `status` schema); a type's module may type it as its own (`defineQuery<S>(statusQuery.name)`).
 */
export const statusQuery = defineQuery<WorkflowStatusBase>('status');

/** The intake as the workflow works on it (pseudonymized; null until the first activity returned it). */
export const intakeQuery = defineQuery<IntakeRequest | null>('intake');

export const LEGAL_INTAKE_WORKFLOW_TYPE = 'legalIntake';

/** Failure types of a refused decision, for callers that map them (the API: 409 and 400). */
export const REVIEW_NOT_PENDING = 'ReviewNotPending';
export const INVALID_DECISION = 'InvalidDecision';
