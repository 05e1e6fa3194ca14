import { upsertMemo, upsertSearchAttributes } from '@temporalio/workflow';
import type { PendingReview } from '../../domain';
import {
  DocketReviewDueAt,
  DocketReviewStage,
  DocketReviewStatus,
  REVIEW_MEMO,
  type ReviewMemo,
} from '../search-attributes';

/**
 * From a workflow: keeps visibility in step with its review, so the queue lists what waits (status, stage,
 * due time, and the memo's id and reason codes) and drops what was decided.
 */
export function showReviewInVisibility(
  status: 'pending' | 'overdue' | 'decided',
  review: PendingReview,
): void {
  if (status !== 'pending') {
    upsertSearchAttributes([{ key: DocketReviewStatus, value: status }]);
    return;
  }
  const memo: ReviewMemo = { reviewId: review.id, reasons: [...new Set(review.reasons.map((r) => r.code))] };
  upsertMemo({ [REVIEW_MEMO]: memo });
  upsertSearchAttributes([
    { key: DocketReviewStatus, value: status },
    { key: DocketReviewStage, value: review.stage },
    { key: DocketReviewDueAt, value: new Date(review.dueAt) },
  ]);
}
