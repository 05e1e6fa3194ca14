import { z } from 'zod';
import { lazySchema } from './lazy-schema';

/** What a webhook subscriber can be told about; the names are part of the REST contract. */
export const DocketEventType = lazySchema(() =>
  z.enum([
    'review.requested',
    'review.overdue',
    'review.decided',
    'workflow.completed',
    'workflow.rejected',
    'workflow.failed',
  ]),
);
export type DocketEventType = z.infer<typeof DocketEventType>;

/**
 * A value an event may carry. Events leave Docket unencrypted, so `data` holds codes, stage names, review
 * ids, due times, decision kinds and case ids only: never a name, an address or intake text.
 */
const DocketEventValue = lazySchema(() =>
  z.union([z.string().max(1000), z.number(), z.boolean(), z.null(), z.array(z.string().max(1000)).max(100)]),
);

/** The JSON body of a webhook delivery. `id` is stable across retries, so receivers can deduplicate on it. */
export const DocketEvent = lazySchema(() =>
  z
    .object({
      id: z.string().min(1).max(400),
      type: DocketEventType,
      workflowId: z.string().min(1).max(400),
      occurredAt: z.iso.datetime(),
      data: z.record(z.string(), DocketEventValue),
    })
    .strict(),
);
export type DocketEvent = z.infer<typeof DocketEvent>;
