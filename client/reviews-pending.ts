import type { Client } from '@temporalio/client';
import type { ReviewsPendingReader } from '../metrics';
import { queueQuery } from './review-queue';

/**
 * Reviews waiting for a person (DocketReviewStatus pending or overdue) per workflow type and stage on one
 * task queue: one visibility count per type's stage, the same query the review queue uses. The API's
 * `docket_reviews_pending` gauge reads it at scrape time.
 */
export function reviewsPendingFromVisibility(
  client: Client,
  options: {
    taskQueue: string;
    /** Each type: its Temporal type, its `workflow` label (REST name) and its review stages. */
    types: ReadonlyArray<{ workflowType: string; workflow: string; stages: readonly string[] }>;
  },
): ReviewsPendingReader {
  const series = options.types.flatMap(({ workflowType, workflow, stages }) =>
    stages.map((stage) => ({ workflowType, workflow, stage })),
  );
  return () =>
    Promise.all(
      series.map(async ({ workflowType, workflow, stage }) => {
        const scope = { taskQueue: options.taskQueue, workflowTypes: [workflowType] };
        const { count } = await client.workflow.count(queueQuery(scope, { status: 'open', stage }));
        return { workflow, stage, count };
      }),
    );
}
