import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { z } from 'zod';
import { Urgency } from '../../agents';
import { Router } from 'express';
import {
  DecisionRefusedError,
  InvalidCursorError,
  decideReview,
  listReviewQueue,
  reviewQueueCounts,
} from '../../client';
import type { DocketConfig } from '../../config';
import type { ApiMetrics } from '../../metrics';
import { ReviewDecisionBody, type PendingReview, type ReviewDecision } from '../../domain';
import {
  LegalIntakeReviewStage,
  REVIEW_STAGE_OUTPUTS,
  type LegalIntakeStatus,
} from '../../workflows/legal-intake/status';
import { intakeQuery } from '../../workflows/messages';
import { pseudonymizeValue, reidentifyValue, type PersonalDataStore } from '../../personal-data';
import { requireRole } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import {
  IdempotencyKey,
  ReviewDetailQuery,
  ReviewListQuery,
  WorkflowIdParams,
  type DecisionRecorded,
  type ReviewCounts,
  type ReviewDetail,
  type ReviewList,
} from '../schemas';
import { describeLegalIntake, queryRun, queryStatus } from '../status-reader';

/** The review queue, the item a reviewer must decide, and the decision itself (reviewers only). */
export function reviewRoutes({
  config,
  client,
  personal,
  metrics,
}: {
  config: DocketConfig;
  client: Client;
  personal: PersonalDataStore;
  /** Observes request-to-decision time of the decisions recorded here (not those sent by signal or CLI). */
  metrics?: ApiMetrics;
}): Router {
  const router = Router();
  const reviewer = requireRole(config.api.keys, 'reviewer');
  // Scoped to this deployment's task queue: the API answers for the workers it starts work on.
  const taskQueue = config.temporal.taskQueue;

  router.get('/v1/reviews', reviewer, async (req, res) => {
    const { limit, cursor, ...filter } = parseOr400(ReviewListQuery, req.query, 'the query is invalid');
    const page = await listReviewQueue(client, { taskQueue, filter, limit, cursor }).catch((err: unknown) => {
      if (err instanceof InvalidCursorError) {
        throw new ApiError(400, 'invalid_request', 'the query is invalid', [
          { path: ['cursor'], message: err.message, code: 'invalid_cursor' },
        ]);
      }
      throw err;
    });
    const answer: ReviewList = page;
    res.json(answer);
  });

  router.get('/v1/reviews/counts', reviewer, async (_req, res) => {
    const answer: ReviewCounts = await reviewQueueCounts(client, {
      taskQueue,
      stages: LegalIntakeReviewStage.options,
      urgencies: Urgency.options,
    });
    res.json(answer);
  });

  router.get('/v1/reviews/:workflowId', reviewer, async (req, res) => {
    const { workflowId } = parseOr400(WorkflowIdParams, req.params, 'the workflow id is invalid');
    const { reviewId: listed } = parseOr400(ReviewDetailQuery, req.query, 'the query is invalid');
    res.locals.workflowId = workflowId;
    const { runId, status, review } = await pendingReview(client, workflowId, listed);
    // The intake as it came in, from Docket's database; runs started before intakes were stored there
    // carried it in clear and answer the intake query (older ones cannot: the page then shows no message).
    const intake =
      (await personal.loadIntake(workflowId)) ??
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
        outputSchema: stageOutputJsonSchema(review.stage),
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
      const { workflowId } = parseOr400(WorkflowIdParams, req.params, 'the workflow id is invalid');
      res.locals.workflowId = workflowId;
      const body = parseOr400(ReviewDecisionBody, req.body, 'the decision is invalid');
      const key = req.get('idempotency-key');
      const updateId =
        key === undefined
          ? randomUUID()
          : parseOr400(IdempotencyKey, key, 'the Idempotency-Key header is invalid');
      const description = await describeLegalIntake(client, workflowId);
      // What the reviewer wrote (corrections, a comment) enters the workflow as tokens, like the intake did.
      const typed = await personal.updateMapping(workflowId, (mapping) => {
        const { value, mapping: next } = pseudonymizeValue(
          { comment: body.comment, corrections: body.corrections },
          { mapping, defaultCountry: config.pseudonymization.defaultCountry as never },
          { properties: { corrections: stageOutputJsonSchema(body.reviewId.replace(/-\d+$/, '')) ?? {} } },
        );
        return { mapping: next, result: value };
      });
      // The reviewer is whoever holds the key, never what the body says.
      const decision: ReviewDecision = { ...body, ...typed, reviewer: res.locals.caller?.name ?? 'unknown' };
      const tokens = await decideReview(client, description, decision, updateId).catch((err: unknown) => {
        throw err instanceof DecisionRefusedError ? refusal(err) : err;
      });
      const recorded = reidentifyValue(tokens, await personal.loadMapping(workflowId));
      res.locals.log.info(
        { workflowId, reviewId: recorded.id, decision: recorded.decision, reviewer: recorded.reviewer },
        'review decided',
      );
      metrics?.reviewDecided(workflowId, recorded);
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
  workflowId: string,
  listed?: string,
): Promise<{ runId: string; status: LegalIntakeStatus; review: PendingReview }> {
  const description = await describeLegalIntake(client, workflowId);
  if (description.status.name !== 'RUNNING' && description.status.name !== 'PAUSED') throw ended();
  const status = await queryStatus(client, description);
  if (!status?.review) {
    const since = listed ? `: review ${listed} was decided after the queue was read` : '';
    throw new ApiError(409, 'no_pending_review', `no review is pending for ${workflowId}${since}`);
  }
  return { runId: description.runId, status, review: status.review };
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
    case 'key_reused':
      // 422 as in the IETF Idempotency-Key draft: same key, different request.
      return new ApiError(
        422,
        'idempotency_key_reused',
        `the Idempotency-Key was used for another decision: ${err.message}`,
      );
  }
}

function ended(): ApiError {
  return new ApiError(409, 'no_pending_review', 'the workflow has ended: nothing waits for a decision');
}

/** The JSON Schema of what a reviewer may revise at a stage (the page builds its form from it). */
function stageOutputJsonSchema(stage: string): Record<string, unknown> | null {
  const schema = REVIEW_STAGE_OUTPUTS[stage as LegalIntakeReviewStage];
  return schema ? (z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>) : null;
}
