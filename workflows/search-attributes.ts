import { defineSearchAttributeKey } from '@temporalio/common';

/*
 * Docket's search attributes. Temporal stores and indexes them in clear, outside the payload codec:
 * they hold stages, codes and times, never a name, an address or any text from an intake.
 */

/** Stage of a Docket workflow. */
export const DocketStage = defineSearchAttributeKey('DocketStage', 'KEYWORD');

/** `none` | `pending` | `overdue` | `decided`: lets reviewers and the API list what waits for a person. */
export const DocketReviewStatus = defineSearchAttributeKey('DocketReviewStatus', 'KEYWORD');

/** The stage of the latest review (`classify`, `reason`, `draft`, `file`). */
export const DocketReviewStage = defineSearchAttributeKey('DocketReviewStage', 'KEYWORD');

/** When the latest review is due. */
export const DocketReviewDueAt = defineSearchAttributeKey('DocketReviewDueAt', 'DATETIME');

/** The classifier's urgency (`low` … `critical`), once classified. */
export const DocketUrgency = defineSearchAttributeKey('DocketUrgency', 'KEYWORD');

/** The classifier's matter type, once classified. */
export const DocketMatterType = defineSearchAttributeKey('DocketMatterType', 'KEYWORD');

export const DOCKET_SEARCH_ATTRIBUTES = [
  DocketStage,
  DocketReviewStatus,
  DocketReviewStage,
  DocketReviewDueAt,
  DocketUrgency,
  DocketMatterType,
];

/**
 * Memo key of the open review's display data (`{ reviewId, reasons }`: an id and reason codes, nothing
 * from the intake). A queue listing reads it from visibility with the search attributes, so no row costs a
 * query to a worker.
 */
export const REVIEW_MEMO = 'docketReview';

export interface ReviewMemo {
  reviewId: string;
  reasons: string[];
}
