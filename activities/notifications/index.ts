import { createDeliverEvent, type NotificationDeps } from './deliver-event';

/** The webhook activities: `deliverEvent`, over the configured webhooks and an HTTP transport. */
export function createNotificationActivities(deps: NotificationDeps) {
  return { deliverEvent: createDeliverEvent(deps) };
}

export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
export type { DeliverEventResult, NotificationDeps } from './deliver-event';
export { SIGNATURE_HEADER, signDocketPayload, verifyDocketSignature } from './signature';
