/**
 * Request parameters and response shapes of the REST API, as zod schemas: the handlers' types and the
 * OpenAPI document come from the same definitions.
 */
import { z } from 'zod';
import {
  MatterType,
  PendingReview,
  ReviewRecord,
  Urgency,
  WorkflowStatus,
  EXTERNAL_ID_MAX_LENGTH,
  type AnyWorkflowDefinition,
  type WorkflowRegistry,
  type WorkflowStatusBase,
} from '../domain';
import { QueueCursor, QueueStatus } from '../client';

/**
 * `:workflowId` path parameter: a registered type's name, a dash and a valid externalId. Written as one
 * pattern, not as a refinement, so the OpenAPI document states the rule the handlers apply.
 */
export function workflowIdParams(workflows: WorkflowRegistry) {
  return z
    .object({
      workflowId: z
        .string()
        .regex(
          workflows.workflowIdPattern,
          `must be a workflow type (${workflows.restNames.join(', ')}), a dash and an externalId ` +
            `(1 to ${EXTERNAL_ID_MAX_LENGTH} letters, digits and . _ : -)`,
        ),
    })
    .strict();
}

/** Query of `GET /v1/reviews`: filters (the registered types and their stages), page size and the cursor. */
export function reviewListQuery(workflows: WorkflowRegistry) {
  return z
    .object({
      type: z
        .enum(workflows.restNames as [string, ...string[]])
        .optional()
        .describe('Only this workflow type (its REST name); every registered type when absent'),
      status: QueueStatus.default('open').describe('open = pending or overdue'),
      stage: z.enum(workflows.reviewStages as [string, ...string[]]).optional(),
      urgency: Urgency.optional(),
      matterType: MatterType.optional(),
      limit: z.coerce.number().int().min(1).max(100).default(50),
      cursor: QueueCursor.optional().describe(
        'nextCursor of the previous page, passed back as it came. Its form: `<due time, ms since 1970>.<workflow ' +
          'id, UTF-8 in base64url without padding>`, a place in the queue (due time, then workflow id); the ' +
          'page starts after it. Any string of this form is a cursor: a due time before 2000-01-01 starts at ' +
          'the first item, one at or after 2200-01-01 answers an empty page (the queue lists due times between).',
      ),
    })
    .strict();
}

/** Query of `GET /v1/reviews/:workflowId`: the review id the queue listed, to tell a stale row. */
export const ReviewDetailQuery = z.object({ reviewId: z.string().min(1).max(100).optional() }).strict();

/** How a run is started: `lane=batch` sends every model call of it through the provider's Batch API first. */
export const StartQuery = z
  .object({
    lane: z
      .enum(['batch'])
      .optional()
      .describe(
        "batch: every model call of the run goes through the provider's Batch API at its discount, and the run waits (hours at most) for the answers; for bulk imports. Absent: config's rule (modelCalls.batch).",
      ),
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
/** What the status answer adds to a run's own status: which run, and when it started and closed. */
const RUN_FIELDS = {
  runId: z.string(),
  startedAt: z.string(),
  closedAt: z.string().nullable(),
};

/** A type's status schema as the object it is (every definition's status is a `workflowStatusSchema`). */
function statusObject(definition: AnyWorkflowDefinition): z.ZodObject<z.ZodRawShape> {
  return definition.status as unknown as z.ZodObject<z.ZodRawShape>;
}

/** One schema per registered type, as one: a union when there are several. */
function eachType(workflows: WorkflowRegistry, schemaOf: (definition: AnyWorkflowDefinition) => z.ZodType) {
  const [first, ...rest] = workflows.definitions.map(schemaOf);
  return rest.length === 0 ? first : z.union([first, ...rest]);
}

/** `GET /v1/workflows/:workflowId`: the run's status as its type reports it, with the run's fields. */
export function workflowStatusResponse(workflows: WorkflowRegistry) {
  return eachType(workflows, (definition) => statusObject(definition).extend(RUN_FIELDS));
}

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
  type: z.string().describe('The workflow type (its REST name, as in POST /v1/workflows/<type>)'),
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
  types: z
    .array(z.string())
    .describe(
      'The workflow types (REST names) counted: those the key may review, the choices of `type` for it',
    ),
});
export type ReviewCounts = z.infer<typeof ReviewCounts>;

/** `GET /v1/reviews/:workflowId`: what the reviewer must decide (`review.id`), with the agents' outputs. */
export function reviewDetail(workflows: WorkflowRegistry) {
  return eachType(workflows, (definition) =>
    statusObject(definition)
      .pick({
        workflowId: true,
        externalId: true,
        stage: true,
        reviewHistory: true,
        rejectedDecisions: true,
        results: true,
        usage: true,
      })
      .extend({
        review: PendingReview,
        stale: z.boolean().describe('The queue listed another review id than the one pending now'),
        intake: definition.body
          .nullable()
          .describe("What the run was started with, beside the agents' outputs"),
        outputSchema: z
          .record(z.string(), z.unknown())
          .nullable()
          .describe("JSON Schema of the stage's output, for a revise form; null when nothing can be revised"),
      }),
  );
}

/** The fields of a review detail every type's has; `results` is the type's own. */
export type ReviewDetail = Pick<
  WorkflowStatusBase,
  'workflowId' | 'externalId' | 'stage' | 'reviewHistory' | 'rejectedDecisions' | 'results' | 'usage'
> & {
  review: PendingReview;
  stale: boolean;
  intake: unknown;
  outputSchema: Record<string, unknown> | null;
};

/** `POST /v1/reviews/:workflowId/decision`, accepted: the decision as the workflow recorded it. */
export const DecisionRecorded = z.object({ workflowId: z.string(), recorded: ReviewRecord });
export type DecisionRecorded = z.infer<typeof DecisionRecorded>;

/** `Idempotency-Key` of a decision: with a digest of the decision, the Temporal update id (client/review-decision.ts). */
export const IdempotencyKey = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only');

export const Health = z.object({ ok: z.boolean() });
