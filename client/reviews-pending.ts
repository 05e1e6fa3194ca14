import type { Client } from '@temporalio/client';
import type { ReviewsPendingReader } from '../metrics';
import { queueQuery, type QueueScope } from './review-queue';

/**
 * Reviews waiting for a person (DocketReviewStatus pending or overdue) per stage, for the workflow types on one task queue: one
 * visibility count per stage, the same query the review queue uses. The API's `docket_reviews_pending`
 * gauge reads it at scrape time.
 */
export function reviewsPendingFromVisibility(
  client: Client,
  options: QueueScope & { stages: readonly string[] },
): ReviewsPendingReader {
  return async () => {
    const counts = await Promise.all(
      options.stages.map(
        async (stage) => (await client.workflow.count(queueQuery(options, { status: 'open', stage }))).count,
      ),
    );
    return Object.fromEntries(options.stages.map((stage, i) => [stage, counts[i]]));
  };
}
