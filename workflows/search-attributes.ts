import { defineSearchAttributeKey } from '@temporalio/common';

/** Stage of a Docket workflow; stored in clear by Temporal, so it never holds intake text. */
export const DocketStage = defineSearchAttributeKey('DocketStage', 'KEYWORD');

/** `none` | `pending` | `decided`: lets reviewers and the API list what waits for a person. */
export const DocketReviewStatus = defineSearchAttributeKey('DocketReviewStatus', 'KEYWORD');

export const DOCKET_SEARCH_ATTRIBUTES = [DocketStage, DocketReviewStatus];
