import type { ModelGateway } from '../agents/gateway';
import type { Logger } from '../config/logger';
import type { Webhook } from '../config/schema';
import type { Database } from '../db';
import { createModelActivities } from './model';
import { createNotificationActivities } from './notifications';
import { createToolActivities } from './tools';

export interface ActivityDeps {
  db: Database;
  gateway: ModelGateway;
  logger: Logger;
  /** Receivers of signed event notifications (`notifications.webhooks` in config). */
  webhooks: readonly Webhook[];
}

/** Every activity Docket registers, built over injected connections (tests inject their own). */
export function createActivities({ db, gateway, logger, webhooks }: ActivityDeps) {
  return {
    ...createModelActivities({ gateway, logger: logger.child({ activity: 'callModel' }) }),
    ...createToolActivities({ db, logger }),
    ...createNotificationActivities({ webhooks, logger }),
  };
}

export type DocketActivities = ReturnType<typeof createActivities>;
export type { CallModelInput } from './model';
export type { DeliverEventResult } from './notifications';
export { signDocketPayload, verifyDocketSignature } from './notifications';
