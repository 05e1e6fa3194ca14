/**
 * Request parameters and response shapes of the REST API, as zod schemas: the handlers' types and the
 * OpenAPI document come from the same definitions.
 */
import { z } from 'zod';
import { IntakeRequest, PendingReview, ReviewRecord, WorkflowStatus, legalIntakeWorkflowId } from '../domain';
import { LegalIntakeStage, LegalIntakeStatus } from '../workflows/legal-intake/status';

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

export const ReviewListItem = z.object({
  workflowId: z.string(),
  externalId: z.string(),
  stage: LegalIntakeStage,
  review: PendingReview,
  startedAt: z.string(),
});
export type ReviewListItem = z.infer<typeof ReviewListItem>;

export const ReviewList = z.object({ items: z.array(ReviewListItem) });

/** `GET /v1/reviews/:workflowId`: what the reviewer must decide (`review.id`), with the agents' outputs. */
export const ReviewDetail = LegalIntakeStatus.pick({
  workflowId: true,
  externalId: true,
  stage: true,
  reviewHistory: true,
  rejectedDecisions: true,
  results: true,
  usage: true,
}).extend({ review: PendingReview });
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
