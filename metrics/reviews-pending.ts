import type { Client } from '@temporalio/client';
import { queueQuery } from '../client';
import type { ReviewsPendingReader } from './api';

/**
 * Reviews waiting for a person (DocketReviewStatus pending or overdue) per stage on one task queue: one
 * visibility count per stage, the same query the review queue uses.
 */
export function reviewsPendingFromVisibility(
  client: Client,
  options: { taskQueue: string; stages: readonly string[] },
): ReviewsPendingReader {
  return async () => {
    const counts = await Promise.all(
      options.stages.map(
        async (stage) =>
          (await client.workflow.count(queueQuery(options.taskQueue, { status: 'open', stage }))).count,
      ),
    );
    return Object.fromEntries(options.stages.map((stage, i) => [stage, counts[i]]));
  };
}
