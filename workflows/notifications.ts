import {
  ChildWorkflowCancellationType,
  log,
  ParentClosePolicy,
  proxyActivities,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
// @temporalio/workflow does not re-export this failure class; @temporalio/common is the same pure code it bundles.
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DeliverEventResult, DocketActivities } from '../activities';
import type { DocketEvent, DocketEventType, PendingReview, ReviewRecord } from '../domain';

export interface DeliverNotificationOptions {
  /** How long to keep trying to reach every receiver before giving up; default 3 days. */
  deliverForMs?: number;
  /** Delay before the first retry; default 5 s. Tests shorten it. */
  initialRetryMs?: number;
}

/**
 * Delivers one event to every webhook subscribed to its type, retrying a receiver that is down for up to
 * 3 days. Run as its own workflow (id = event id) so delivery outlives the workflow it reports on.
 */
export async function deliverNotification(
  event: DocketEvent,
  options: DeliverNotificationOptions = {},
): Promise<DeliverEventResult> {
  const { deliverEvent } = proxyActivities<DocketActivities>({
    // Every request has a 10 s timeout and they run side by side: a minute is ample for one attempt.
    startToCloseTimeout: '1 minute',
    scheduleToCloseTimeout: options.deliverForMs ?? '3 days',
    // No attempt limit: scheduleToCloseTimeout bounds the retries. A receiver that answered 2xx is not sent
    // the event again (deliverEvent keeps them in its heartbeat details).
    retry: {
      initialInterval: options.initialRetryMs ?? '5 seconds',
      backoffCoefficient: 2,
      maximumInterval: '10 minutes',
    },
  });
  return deliverEvent(event);
}

export interface NotificationEventInput {
  type: DocketEventType;
  workflowId: string;
  /** What tells this event apart from others of its type in the same workflow (e.g. the review id). */
  key?: string;
  /** Codes, stage names, review ids, due times, decision kinds, case ids: never personal data or intake text. */
  data?: DocketEvent['data'];
  /** Default: now (inside a workflow, the workflow's deterministic time). */
  occurredAt?: Date;
}

/**
 * An event with a deterministic id (`<workflowId>:<type>[:<key>]`), so a replayed or repeated
 * announcement carries the same id and is delivered once.
 */
export function notificationEvent({
  type,
  workflowId,
  key,
  data = {},
  occurredAt = new Date(),
}: NotificationEventInput): DocketEvent {
  const id = key === undefined ? `${workflowId}:${type}` : `${workflowId}:${type}:${key}`;
  return { id, type, workflowId, occurredAt: occurredAt.toISOString(), data };
}

/**
 * From a workflow: starts `deliverNotification` for an event as a child that outlives its parent (closed
 * or cancelled) and resolves once it has started. The child's workflow id is the event id and a closed
 * one is never reused, so announcing the same event again does nothing.
 */
export async function startNotification(
  event: DocketEvent,
  options?: DeliverNotificationOptions,
): Promise<void> {
  try {
    await startChild(deliverNotification, {
      args: options ? [event, options] : [event],
      workflowId: event.id,
      parentClosePolicy: ParentClosePolicy.ABANDON,
      cancellationType: ChildWorkflowCancellationType.ABANDON,
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return; // announced before: Temporal has it
    throw err;
  }
}

export interface EventSender {
  /** Starts the event's delivery when some receiver subscribed to its type; never fails the run. */
  send(type: DocketEventType, key: string | undefined, data: DocketEvent['data']): void;
  /** Waits until every delivery sent so far has started: before the run ends. */
  flush(): Promise<void>;
}

/** From a workflow: one delivery workflow per event some receiver subscribed to. */
export function eventSender(workflowId: string, subscribed: readonly DocketEventType[]): EventSender {
  const started: Promise<void>[] = [];
  return {
    send(type, key, data) {
      if (!subscribed.includes(type)) return;
      const event = notificationEvent({ type, workflowId, key, data });
      started.push(
        startNotification(event).catch((err: unknown) => {
          log.warn('notification not started', { type, error: String(err) });
        }),
      );
    },
    async flush() {
      await Promise.all(started);
    },
  };
}

/** What a review event tells a receiver: ids, codes and times, no intake text. */
export function reviewEventData(review: PendingReview | ReviewRecord): DocketEvent['data'] {
  return {
    reviewId: review.id,
    stage: review.stage,
    reasons: review.reasons.map((r) => r.code),
    dueAt: review.dueAt,
    overdue: review.overdue,
    ...('decision' in review ? { decision: review.decision, via: review.via } : {}),
  };
}
