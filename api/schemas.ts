/**
 * Request parameters and response shapes of the REST API, as zod schemas: the handlers' types and the
 * OpenAPI document come from the same definitions.
 */
import { z } from 'zod';
import { IntakeRequest, PendingReview, ReviewRecord, WorkflowStatus, legalIntakeWorkflowId } from '../domain';
import { MatterType, Urgency } from '../agents';
import { QueueStatus } from '../client';
import { LegalIntakeReviewStage, LegalIntakeStatus } from '../workflows/legal-intake/status';

const WORKFLOW_ID_PREFIX = legalIntakeWorkflowId('');
const EXTERNAL_ID = z.toJSONSchema(IntakeRequest.shape.externalId) as { pattern: string; maxLength: number };

/**
 * `:workflowId` path parameter: `legal-intake-` followed by a valid externalId. Written as a pattern made from
 * the externalId's own, not as a refinement, so the OpenAPI document states the rule the handlers apply.
 */
export const WorkflowIdParams = z
  .object({
    workflowId: z
      .string()
      .max(WORKFLOW_ID_PREFIX.length + EXTERNAL_ID.maxLength)
      .regex(
        new RegExp(`^${WORKFLOW_ID_PREFIX}${EXTERNAL_ID.pattern.replace(/^\^/, '')}`),
        `must be ${WORKFLOW_ID_PREFIX} followed by an externalId (letters, digits and . _ : -)`,
      ),
  })
  .strict();

/** Query of `GET /v1/reviews`: filters, page size and the cursor of the previous page. */
export const ReviewListQuery = z
  .object({
    status: QueueStatus.default('open').describe('open = pending or overdue'),
    stage: LegalIntakeReviewStage.optional(),
    urgency: Urgency.optional(),
    matterType: MatterType.optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z
      .string()
      .min(1)
      .max(500)
      // Opaque: only a nextCursor this API gave out is one (any other is a 400 invalid_cursor).
      .meta({ format: 'docket-cursor' })
      .optional()
      .describe('nextCursor of the previous page'),
  })
  .strict();

/** Query of `GET /v1/reviews/:workflowId`: the review id the queue listed, to tell a stale row. */
export const ReviewDetailQuery = z.object({ reviewId: z.string().min(1).max(100).optional() }).strict();

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

export const StartResponse = z.object({
  workflowId: z.string(),
  runId: z.string(),
  status: WorkflowStatus,
});

/** `GET /v1/workflows/:workflowId`: the workflow's own status plus what Temporal knows of the run. */
export const WorkflowStatusResponse = LegalIntakeStatus.extend({
  runId: z.string(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
});
export type WorkflowStatusResponse = z.infer<typeof WorkflowStatusResponse>;

/** `DELETE /v1/workflows/:workflowId/personal-data`: what the erasure removed. */
export const ErasureResponse = z.object({
  workflowId: z.string(),
  intake: z.boolean().describe('the raw intake was deleted'),
  mapping: z.boolean().describe('the pseudonym mapping was deleted'),
  caseFields: z.boolean().describe("the case's personal fields were cleared"),
  transcripts: z.boolean().describe("the agents' stored conversations with their models were deleted"),
  auditSeq: z.number().int().describe('the seq of the erasure row on the audit chain'),
});
export type ErasureResponse = z.infer<typeof ErasureResponse>;

/** A queue row, from visibility: what a row shows, without asking the workflow. */
export const ReviewListItem = z.object({
  workflowId: z.string(),
  reviewId: z.string().nullable(),
  stage: z.string().nullable(),
  urgency: z.string().nullable(),
  matterType: z.string().nullable(),
  dueAt: z.string(),
  overdue: z.boolean(),
  reasons: z.array(z.string()).describe('Reason codes, e.g. low_confidence, potential_conflict'),
});
export type ReviewListItem = z.infer<typeof ReviewListItem>;

/** `GET /v1/reviews`: oldest due first; `nextCursor` is null on the last page. */
export const ReviewList = z.object({ items: z.array(ReviewListItem), nextCursor: z.string().nullable() });
export type ReviewList = z.infer<typeof ReviewList>;

const OpenAndOverdue = z.object({ open: z.number(), overdue: z.number() });

/** `GET /v1/reviews/counts`: what waits, for a queue's header. */
export const ReviewCounts = z.object({
  open: z.number(),
  pending: z.number(),
  overdue: z.number(),
  byStage: z.record(z.string(), OpenAndOverdue),
  byUrgency: z.record(z.string(), OpenAndOverdue),
});
export type ReviewCounts = z.infer<typeof ReviewCounts>;

/** `GET /v1/reviews/:workflowId`: what the reviewer must decide (`review.id`), with the agents' outputs. */
export const ReviewDetail = LegalIntakeStatus.pick({
  workflowId: true,
  externalId: true,
  stage: true,
  reviewHistory: true,
  rejectedDecisions: true,
  results: true,
  usage: true,
}).extend({
  review: PendingReview,
  stale: z.boolean().describe('The queue listed another review id than the one pending now'),
  intake: IntakeRequest.nullable().describe("The message as received, beside the agents' outputs"),
  outputSchema: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe("JSON Schema of the stage's output, for a revise form; null when nothing can be revised"),
});
export type ReviewDetail = z.infer<typeof ReviewDetail>;

/** `POST /v1/reviews/:workflowId/decision`, accepted: the decision as the workflow recorded it. */
export const DecisionRecorded = z.object({ workflowId: z.string(), recorded: ReviewRecord });
export type DecisionRecorded = z.infer<typeof DecisionRecorded>;

/** `Idempotency-Key` of a decision: the Temporal update id, so a retried POST gets the same answer. */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export const Health = z.object({ ok: z.boolean() });
