import { randomUUID } from 'node:crypto';
import { type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { Router } from 'express';
import { DecisionRefusedError, decideReview } from '../../client';
import type { DocketConfig } from '../../config';
import { ReviewDecisionBody, type PendingReview, type ReviewDecision } from '../../domain';
import type { LegalIntakeStatus } from '../../workflows/legal-intake/status';
import { LEGAL_INTAKE_WORKFLOW_TYPE } from '../../workflows/messages';
import { requireRole } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import {
  IdempotencyKey,
  ReviewListQuery,
  WorkflowIdParams,
  type DecisionRecorded,
  type ReviewDetail,
  type ReviewListItem,
} from '../schemas';
import { describeLegalIntake, queryStatus } from '../status-reader';

/** Visibility rows scanned per listing: pending items are sorted by review time, which only the query knows. */
const MAX_SCANNED = 500;
/** Status queries in flight at once while listing. */
const QUERY_CONCURRENCY = 8;

/** The review queue, the item a reviewer must decide, and the decision itself (reviewers only). */
export function reviewRoutes({ config, client }: { config: DocketConfig; client: Client }): Router {
  const router = Router();
  const reviewer = requireRole(config.api.keys, 'reviewer');
  const taskQueue = config.temporal.taskQueue;
  if (/['"\\]/.test(taskQueue)) throw new Error('temporal.taskQueue must not contain quotes or backslashes');
  // Scoped to this deployment's task queue: the API answers for the workers it starts work on.
  const pendingQuery =
    `WorkflowType = '${LEGAL_INTAKE_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running' ` +
    `AND DocketReviewStatus = 'pending' AND TaskQueue = '${taskQueue}'`;

  router.get('/v1/reviews', reviewer, async (req, res) => {
    const { limit } = parseOr400(ReviewListQuery, req.query, 'the query is invalid');
    const runs: WorkflowExecutionInfo[] = [];
    for await (const run of client.workflow.list({ query: pendingQuery, pageSize: 100 })) {
      runs.push(run);
      if (runs.length >= MAX_SCANNED) break;
    }
    const items = await mapLimit(
      runs,
      QUERY_CONCURRENCY,
      async (run): Promise<ReviewListItem | undefined> => {
        // Visibility lags the workflow: an item already decided (or not queryable right now) is skipped.
        const status = await queryStatus(client, run).catch((err: unknown) => {
          res.locals.log.warn({ err, workflowId: run.workflowId }, 'pending review not queryable; skipped');
          return undefined;
        });
        if (!status?.review) return undefined;
        const { workflowId, externalId, stage, review } = status;
        return { workflowId, externalId, stage, review, startedAt: run.startTime.toISOString() };
      },
    );
    const pending = items.filter((item): item is ReviewListItem => item !== undefined);
    pending.sort((a, b) => a.review.requestedAt.localeCompare(b.review.requestedAt));
    res.json({ items: pending.slice(0, limit) });
  });

  router.get('/v1/reviews/:workflowId', reviewer, async (req, res) => {
    const { workflowId } = parseOr400(WorkflowIdParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    const { status, review } = await pendingReview(client, workflowId);
    const answer: ReviewDetail = {
      workflowId,
      externalId: status.externalId,
      stage: status.stage,
      review,
      reviewHistory: status.reviewHistory,
      rejectedDecisions: status.rejectedDecisions,
      results: status.results,
      usage: status.usage,
    };
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
      // The reviewer is whoever holds the key, never what the body says.
      const decision: ReviewDecision = { ...body, reviewer: res.locals.caller?.name ?? 'unknown' };
      const recorded = await decideReview(client, description, decision, updateId).catch((err: unknown) => {
        throw err instanceof DecisionRefusedError ? refusal(err) : err;
      });
      res.locals.log.info(
        { workflowId, reviewId: recorded.id, decision: recorded.decision, reviewer: recorded.reviewer },
        'review decided',
      );
      const answer: DecisionRecorded = { workflowId, recorded };
      res.status(200).json(answer);
    },
  );

  return router;
}

/** The running workflow's status and its pending review; 404 unknown workflow, 409 nothing pending. */
async function pendingReview(
  client: Client,
  workflowId: string,
): Promise<{ runId: string; status: LegalIntakeStatus; review: PendingReview }> {
  const description = await describeLegalIntake(client, workflowId);
  if (description.status.name !== 'RUNNING' && description.status.name !== 'PAUSED') throw ended();
  const status = await queryStatus(client, description);
  if (!status?.review) throw new ApiError(409, 'no_pending_review', `no review is pending for ${workflowId}`);
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
  }
}

function ended(): ApiError {
  return new ApiError(409, 'no_pending_review', 'the workflow has ended: nothing waits for a decision');
}

/** Maps with at most `limit` calls in flight, keeping the order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return out;
}
