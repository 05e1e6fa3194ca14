import type {
  Assessment,
  CheckConflictsResult,
  Classification,
  Draft,
  LimitationPeriodResult,
  LookupClientResult,
  ModelUsage,
} from '../agents';

import type { GateReason, ReviewDecision } from './review';

export type ReviewStage = 'classify' | 'reason' | 'draft';
export type Stage = 'received' | ReviewStage | 'file' | 'done' | 'rejected' | 'failed';
export type WorkflowStatus =
  'running' | 'awaiting_review' | 'completed' | 'rejected' | 'failed' | 'cancelled';

/** What a reviewer is asked, and by when. */
export interface PendingReview {
  stage: ReviewStage;
  reasons: GateReason[];
  confidence: number | null;
  requestedAt: string;
  dueAt: string;
  overdue: boolean;
  /** True when the agent produced no usable output: only `revise` (with a full output) or `reject` will do. */
  outputMissing: boolean;
}

export interface ReviewRecord extends PendingReview {
  decision: ReviewDecision['decision'];
  reviewer: string;
  comment: string | null;
  decidedAt: string;
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  costUsd: number;
}

/** The `status` query's answer, and the workflow's result when it ends. */
export interface LegalIntakeStatus {
  workflowId: string;
  externalId: string;
  status: WorkflowStatus;
  stage: Stage;
  review: PendingReview | null;
  reviewHistory: ReviewRecord[];
  results: {
    classification: Classification | null;
    assessment: Assessment | null;
    draft: Draft | null;
    tools: {
      lookupClient: LookupClientResult | null;
      checkConflicts: CheckConflictsResult | null;
      limitationPeriod: LimitationPeriodResult | null;
    };
  };
  result: { caseId: string } | null;
  usage: { total: UsageTotals; calls: ModelUsage[] };
  error: string | null;
}

/** A legal intake's status before any stage has run. */
export function initialLegalIntakeStatus(
  workflowId: string,
  externalId: string,
  at: { status: WorkflowStatus; stage: Stage } = { status: 'running', stage: 'received' },
): LegalIntakeStatus {
  return {
    workflowId,
    externalId,
    status: at.status,
    stage: at.stage,
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
