import type { ModelGateway } from '../agents/gateway';
import type { Logger } from '../config/logger';
import type { Database } from '../db';
import { createModelActivities } from './model';
import { createToolActivities } from './tools';

export interface ActivityDeps {
  db: Database;
  gateway: ModelGateway;
  logger: Logger;
}

/** Every activity Docket registers, built over injected connections (tests inject their own). */
export function createActivities({ db, gateway, logger }: ActivityDeps) {
  return {
    ...createModelActivities({ gateway, logger: logger.child({ activity: 'callModel' }) }),
    ...createToolActivities({ db, logger }),
  };
}

export type DocketActivities = ReturnType<typeof createActivities>;
export type { CallModelInput } from './model';
