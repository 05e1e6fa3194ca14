/** Test workflows: a parent that announces events the way the intake does, plus the workflow it starts. */
import type { DocketEvent } from '../../domain';
import { startNotification, type DeliverNotificationOptions } from '../../workflows/notifications';

export { deliverNotification } from '../../workflows/notifications';

/** Announces the same event `times` times, then ends at once, without waiting for any delivery. */
export async function announce(
  event: DocketEvent,
  times: number,
  options?: DeliverNotificationOptions,
): Promise<void> {
  for (let i = 0; i < times; i++) await startNotification(event, options);
}
