/**
 * Request parameters and response shapes of the REST API, as zod schemas: the handlers' types and the
 * OpenAPI document come from the same definitions.
 */
import { z } from 'zod';
import {
  Assessment,
  CheckConflictsResult,
  Classification,
  Draft,
  LimitationPeriodResult,
  LookupClientResult,
} from '../agents';
import { DecisionKind, IntakeRequest, legalIntakeWorkflowId } from '../domain';

const WORKFLOW_ID_PREFIX = legalIntakeWorkflowId('');

/** `:workflowId` path parameter: `legal-intake-` followed by a valid externalId. */
export const WorkflowIdParams = z
  .object({
    workflowId: z
      .string()
      .max(WORKFLOW_ID_PREFIX.length + 128)
      .refine(
        (id) =>
          id.startsWith(WORKFLOW_ID_PREFIX) &&
          IntakeRequest.shape.externalId.safeParse(id.slice(WORKFLOW_ID_PREFIX.length)).success,
        `must be ${WORKFLOW_ID_PREFIX} followed by an externalId (letters, digits and . _ : -)`,
      ),
  })
  .strict();

/** Query of `GET /v1/reviews`: only pending reviews can be listed for now. */
export const ReviewListQuery = z
  .object({
    status: z.literal('pending').default('pending'),
    limit: z.coerce.number().int().min(1).max(100).default(50),
  })
  .strict();

export const ErrorBody = z.object({
  error: z.object({
    code: z
      .string()
      .describe('Stable machine-readable code, e.g. invalid_request, not_found, no_pending_review.'),
    message: z.string(),
    details: z
      .unknown()
      .optional()
      .describe('For invalid_request: [{ path, message, code }], one entry per offending field.'),
  }),
});

export const WorkflowStatusName = z.enum([
  'running',
  'awaiting_review',
  'completed',
  'rejected',
  'failed',
  'cancelled',
]);
const StageName = z.enum(['received', 'classify', 'reason', 'draft', 'file', 'done', 'rejected', 'failed']);
const ReviewStageName = z.enum(['classify', 'reason', 'draft']);

export const StartResponse = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: WorkflowStatusName,
});

const GateReason = z.object({ code: z.string(), message: z.string() });

export const PendingReview = z.object({
  stage: ReviewStageName,
  reasons: z.array(GateReason),
  confidence: z.number().nullable(),
  requestedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  outputMissing: z
    .boolean()
    .describe('No usable output: only revise (with a full output) or reject will do.'),
});

const ReviewRecord = PendingReview.extend({
  decision: DecisionKind,
  reviewer: z.string(),
  comment: z.string().nullable(),
  decidedAt: z.string(),
});

const UsageTotals = z.object({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
});

const ModelUsage = z.object({
  agent: z.string(),
  tier: z.string(),
  model: z.string(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  reasoningTokens: z.number(),
  costUsd: z.number(),
});

const Results = z.object({
  classification: Classification.nullable(),
  assessment: Assessment.nullable(),
  draft: Draft.nullable(),
  tools: z.object({
    lookupClient: LookupClientResult.nullable(),
    checkConflicts: CheckConflictsResult.nullable(),
    limitationPeriod: LimitationPeriodResult.nullable(),
  }),
});

const Usage = z.object({ total: UsageTotals, calls: z.array(ModelUsage) });

/** `GET /v1/workflows/:workflowId`: the workflow's own status plus what Temporal knows of the run. */
export const WorkflowStatusResponse = z.object({
  workflowId: z.string(),
  runId: z.string(),
  externalId: z.string(),
  status: WorkflowStatusName,
  stage: StageName,
  review: PendingReview.nullable(),
  reviewHistory: z.array(ReviewRecord),
  results: Results,
  result: z.object({ caseId: z.string() }).nullable(),
  usage: Usage,
  error: z.string().nullable(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type WorkflowStatusResponse = z.infer<typeof WorkflowStatusResponse>;

export const ReviewListItem = z.object({
  workflowId: z.string(),
  externalId: z.string(),
  stage: StageName,
  review: PendingReview,
  startedAt: z.string(),
});
export type ReviewListItem = z.infer<typeof ReviewListItem>;

export const ReviewList = z.object({ items: z.array(ReviewListItem) });

/** `GET /v1/reviews/:workflowId`: what the reviewer must decide, with the agents' outputs. */
export const ReviewDetail = z.object({
  workflowId: z.string(),
  externalId: z.string(),
  stage: StageName,
  review: PendingReview,
  reviewHistory: z.array(ReviewRecord),
  results: Results,
  usage: Usage,
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

export const DecisionAccepted = z.object({
  workflowId: z.string(),
  accepted: z.literal(true),
  decision: DecisionKind,
});

export const Health = z.object({ ok: z.boolean() });
