import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { LegalIntakeStatus, ReviewDecision } from '../domain';

/** A reviewer's decision on the pending review (see DESIGN.md, Temporal contract). */
export const reviewDecisionSignal = defineSignal<[ReviewDecision]>('reviewDecision');

/** Stage, review state, results so far, usage and cost. */
export const statusQuery = defineQuery<LegalIntakeStatus>('status');

export const LEGAL_INTAKE_WORKFLOW_TYPE = 'legalIntake';
