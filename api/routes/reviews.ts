import { WorkflowNotFoundError, type Client, type WorkflowExecutionInfo } from '@temporalio/client';
import { Router } from 'express';
import type { z } from 'zod';
import { Assessment, Classification, Draft } from '../../agents';
import type { DocketConfig } from '../../config';
import {
  ReviewDecisionBody,
  type LegalIntakeStatus,
  type PendingReview,
  type ReviewDecision,
} from '../../domain';
import { LEGAL_INTAKE_WORKFLOW_TYPE, reviewDecisionSignal } from '../../workflows/messages';
import { requireRole } from '../auth';
import { ApiError, invalidRequest, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import { ReviewListQuery, WorkflowIdParams, type ReviewDetail, type ReviewListItem } from '../schemas';
import { describeLegalIntake, queryStatus } from '../status-reader';

/** Visibility rows scanned per listing: pending items are sorted by review time, which only the query knows. */
const MAX_SCANNED = 500;
/** Status queries in flight at once while listing. */
const QUERY_CONCURRENCY = 8;

/** What a reviewer corrects at each stage, and where the stage's output lives in the status. */
const STAGE_OUTPUTS = {
  classify: { schema: Classification.strict(), result: 'classification' },
  reason: { schema: Assessment.strict(), result: 'assessment' },
  draft: { schema: Draft.strict(), result: 'draft' },
} as const;

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
      const { runId, status, review } = await pendingReview(client, workflowId);
      checkDecision(body, status, review);

      const signal: ReviewDecision = {
        decision: body.decision,
        reviewer: res.locals.caller?.name ?? 'unknown',
        ...(body.comment !== undefined ? { comment: body.comment } : {}),
        ...(body.corrections !== undefined ? { corrections: body.corrections } : {}),
      };
      try {
        await client.workflow.getHandle(workflowId, runId).signal(reviewDecisionSignal, signal);
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) throw ended();
        throw err;
      }
      res.locals.log.info(
        { workflowId, decision: body.decision, reviewer: signal.reviewer, stage: review.stage },
        'review decision sent',
      );
      res.status(202).json({ workflowId, accepted: true, decision: body.decision });
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

/**
 * Refuses a decision the workflow could not apply (it would ignore it and keep waiting):
 * approving a missing output, corrections outside `revise`, corrections that break the stage's schema.
 */
function checkDecision(
  body: z.infer<typeof ReviewDecisionBody>,
  status: LegalIntakeStatus,
  review: PendingReview,
): void {
  if (body.decision !== 'revise' && body.corrections !== undefined) {
    throw new ApiError(400, 'invalid_request', 'the decision is invalid', [
      { path: ['corrections'], message: 'only a revise decision carries corrections', code: 'custom' },
    ]);
  }
  if (body.decision === 'approve' && review.outputMissing) {
    throw new ApiError(
      409,
      'output_missing',
      `the ${review.stage} stage produced no usable output: revise it with a full output, or reject`,
    );
  }
  if (body.decision !== 'revise') return;
  const { schema, result } = STAGE_OUTPUTS[review.stage];
  // The merge must make a whole valid output, exactly as the workflow checks it.
  const current = review.outputMissing ? {} : (status.results[result] ?? {});
  const parsed = schema.safeParse({ ...current, ...body.corrections });
  if (!parsed.success) {
    throw invalidRequest(parsed.error, `the corrections do not make a valid ${review.stage} output`, [
      'corrections',
    ]);
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
