import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { Router } from 'express';
import {
  DecisionRefusedError,
  InvalidCursorError,
  decideReview,
  describeRun,
  intakeQuery,
  listReviewQueue,
  queryRun,
  queryStatus,
  reviewQueueCounts,
  type Client,
  type RunStatus,
} from '../../client';
import type { DocketConfig } from '../../config';
import type { ApiMetrics } from '../../metrics';
import {
  ReviewDecisionBody,
  Urgency,
  type AnyWorkflowDefinition,
  type PendingReview,
  type ReviewDecision,
  type WorkflowRegistry,
} from '../../domain';
import { pseudonymizeValue, reidentifyValue, type PersonalDataStore } from '../../personal-data';
import { accessibleTypes, requireRole, requireRunAccess } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import {
  IdempotencyKey,
  ReviewDetailQuery,
  reviewListQuery,
  workflowIdParams,
  type DecisionRecorded,
  type ReviewCounts,
  type ReviewDetail,
  type ReviewList,
} from '../schemas';

/**
 * The review queue, the item a reviewer must decide, and the decision itself (reviewers only), each only for
 * the types the reviewer's key may see.
 */
export function reviewRoutes({
  config,
  client,
  personal,
  metrics,
  workflows,
}: {
  config: DocketConfig;
  client: Client;
  personal: PersonalDataStore;
  workflows: WorkflowRegistry;
  /** Observes request-to-decision time of the decisions recorded here (not those sent by signal or CLI). */
  metrics?: ApiMetrics;
}): Router {
  const router = Router();
  const idParams = workflowIdParams(workflows);
  const listQuery = reviewListQuery(workflows);
  const reviewer = requireRole(config.api.keys, 'reviewer');
  // Scoped to this deployment's task queue: the API answers for the workers it starts work on.
  const taskQueue = config.temporal.taskQueue;

  router.get('/v1/reviews', reviewer, async (req, res) => {
    const { limit, cursor, type, ...filter } = parseOr400(listQuery, req.query, 'the query is invalid');
    // The key's types go into the visibility query itself, so its pages are full and its cursors hold.
    const workflowTypes = accessibleTypes(res.locals.caller!, workflows)
      .filter((definition) => !type || definition.restName === type)
      .map((definition) => definition.workflowType);
    // A type the key may not see holds nothing it may review.
    if (workflowTypes.length === 0) {
      const empty: ReviewList = { items: [], nextCursor: null };
      res.json(empty);
      return;
    }
    const scope = { taskQueue, workflowTypes };
    const page = await listReviewQueue(client, { ...scope, filter, limit, cursor }).catch((err: unknown) => {
      if (err instanceof InvalidCursorError) {
        throw new ApiError(400, 'invalid_request', 'the query is invalid', [
          { path: ['cursor'], message: err.message, code: 'invalid_cursor' },
        ]);
      }
      throw err;
    });
    const answer: ReviewList = {
      items: page.items.map(({ workflowType, ...item }) => ({
        ...item,
        type: workflows.byWorkflowType(workflowType)?.restName ?? workflowType,
      })),
      nextCursor: page.nextCursor,
    };
    res.json(answer);
  });

  router.get('/v1/reviews/counts', reviewer, async (_req, res) => {
    const types = accessibleTypes(res.locals.caller!, workflows);
    const counts = await reviewQueueCounts(client, {
      taskQueue,
      workflowTypes: types.map((definition) => definition.workflowType),
      stages: [...new Set(types.flatMap((definition) => Object.keys(definition.reviewStages)))],
      urgencies: Urgency.options,
    });
    const answer: ReviewCounts = { ...counts, types: types.map((definition) => definition.restName) };
    res.json(answer);
  });

  router.get('/v1/reviews/:workflowId', reviewer, async (req, res) => {
    const { workflowId } = parseOr400(idParams, req.params, 'the workflow id is invalid');
    const { reviewId: listed } = parseOr400(ReviewDetailQuery, req.query, 'the query is invalid');
    res.locals.workflowId = workflowId;
    requireRunAccess(res.locals.caller!, workflows, workflowId);
    const { runId, status, review, definition } = await pendingReview(client, workflows, workflowId, listed);
    // The intake as it came in, from Docket's database; runs started before intakes were stored there
    // carried it in clear and answer the intake query (older ones cannot: the page then shows no message).
    const intake =
      (await personal.loadBody(workflowId, definition.body)) ??
      (await queryRun(client, { workflowId, runId }, intakeQuery).catch(() => undefined));
    // A reviewer decides on the real text: every token back to its value.
    const answer: ReviewDetail = reidentifyValue<ReviewDetail>(
      {
        workflowId,
        externalId: status.externalId,
        stage: status.stage,
        review,
        reviewHistory: status.reviewHistory,
        rejectedDecisions: status.rejectedDecisions,
        // The queue lags the workflow by moments: say so when the review listed is no longer the one pending.
        stale: listed !== undefined && listed !== review.id,
        intake: intake ?? null,
        outputSchema: stageOutputJsonSchema(definition, review.stage),
        results: status.results,
        usage: status.usage,
      },
      await personal.loadMapping(workflowId),
    );
    res.json(answer);
  });

  router.post(
    '/v1/reviews/:workflowId/decision',
    reviewer,
    ...jsonBody(config.api.bodyLimit),
    async (req, res) => {
      const { workflowId } = parseOr400(idParams, req.params, 'the workflow id is invalid');
      res.locals.workflowId = workflowId;
      // Before anything is read or written: a run of a type the key may not see does not exist for it.
      requireRunAccess(res.locals.caller!, workflows, workflowId);
      const body = parseOr400(ReviewDecisionBody, req.body, 'the decision is invalid');
      const key = req.get('idempotency-key');
      // Without a key a decision is sent once: nothing could retry it under the same id.
      const idempotencyKey =
        key === undefined
          ? randomUUID()
          : parseOr400(IdempotencyKey, key, 'the Idempotency-Key header is invalid');
      const { description, definition } = await describeRun(client, workflows, workflowId);
      // What the reviewer wrote (corrections, a comment) enters the workflow as tokens, like the intake did.
      const typed = await personal.updateMapping(workflowId, (mapping) => {
        const { value, mapping: next } = pseudonymizeValue(
          { comment: body.comment, corrections: body.corrections },
          { mapping, defaultCountry: config.pseudonymization.defaultCountry as never },
          {
            properties: {
              corrections: stageOutputJsonSchema(definition, body.reviewId.replace(/-\d+$/, '')) ?? {},
            },
          },
        );
        return { mapping: next, result: value };
      });
      // The reviewer is whoever holds the key, never what the body says.
      const decision: ReviewDecision = { ...body, ...typed, reviewer: res.locals.caller?.name ?? 'unknown' };
      const tokens = await decideReview(client, description, decision, idempotencyKey).catch(
        (err: unknown) => {
          throw err instanceof DecisionRefusedError ? refusal(err) : err;
        },
      );
      const recorded = reidentifyValue(tokens, await personal.loadMapping(workflowId));
      res.locals.log.info(
        { workflowId, reviewId: recorded.id, decision: recorded.decision, reviewer: recorded.reviewer },
        'review decided',
      );
      metrics?.reviewDecided({ workflowId, workflow: definition.restName }, recorded);
      const answer: DecisionRecorded = { workflowId, recorded };
      res.status(200).json(answer);
    },
  );

  return router;
}

/**
 * The running workflow's live status and its pending review; 404 unknown workflow, 409 nothing pending
 * (saying so when the queue listed a review that has been decided since).
 */
async function pendingReview(
  client: Client,
  workflows: WorkflowRegistry,
  workflowId: string,
  listed?: string,
): Promise<{ runId: string; status: RunStatus; review: PendingReview; definition: AnyWorkflowDefinition }> {
  const { description, definition } = await describeRun(client, workflows, workflowId);
  if (description.status.name !== 'RUNNING' && description.status.name !== 'PAUSED') throw ended();
  const status = await queryStatus(client, description);
  if (!status?.review) {
    const since = listed ? `: review ${listed} was decided after the queue was read` : '';
    throw new ApiError(409, 'no_pending_review', `no review is pending for ${workflowId}${since}`);
  }
  return { runId: description.runId, status: status as RunStatus, review: status.review, definition };
}

/** A decision the workflow refused, as the API answers it. */
function refusal(err: DecisionRefusedError): ApiError {
  switch (err.kind) {
    case 'invalid':
      return new ApiError(
        400,
        'invalid_request',
        err.message,
        ((err.details?.issues ?? []) as Array<{ path: unknown[]; message: string }>).map((issue) => ({
          ...issue,
          code: 'invalid_decision',
        })),
      );
    case 'not_pending':
      return new ApiError(409, 'review_not_pending', err.message, {
        pendingReviewId: err.details?.pendingReviewId ?? null,
      });
    case 'ended':
      return ended();
    case 'no_worker':
      return new ApiError(503, 'unavailable', err.message);
  }
}

function ended(): ApiError {
  return new ApiError(409, 'no_pending_review', 'the workflow has ended: nothing waits for a decision');
}

/** The JSON Schema of what a reviewer may revise at a stage of a type (the page builds its form from it). */
function stageOutputJsonSchema(
  definition: AnyWorkflowDefinition,
  stage: string,
): Record<string, unknown> | null {
  const schema = Object.hasOwn(definition.reviewStages, stage) ? definition.reviewStages[stage] : null;
  return schema ? (z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>) : null;
}
