import type { ModelGateway } from '../agents/gateway';
import type { Logger } from '../config/logger';
import type { Webhook } from '../config/schema';
import type { Database } from '../db';
import { createAuditTrail } from './audit';
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

/**
 * Every activity Docket registers, built over injected connections (tests inject their own). Each one
 * that acts is wrapped by the audit trail, which appends its row from inside the activity.
 */
export function createActivities({ db, gateway, logger, webhooks }: ActivityDeps) {
  const audit = createAuditTrail({ db, logger });
  const { callModel } = createModelActivities({ gateway, logger: logger.child({ activity: 'callModel' }) });
  const tools = createToolActivities({ db, logger });
  const { deliverEvent } = createNotificationActivities({ webhooks, logger });
  return {
    callModel: audit.modelCalls(callModel),
    lookupClient: audit.toolCalls('lookupClient', tools.lookupClient),
    checkConflicts: audit.toolCalls('checkConflicts', tools.checkConflicts),
    limitationPeriod: audit.toolCalls('limitationPeriod', tools.limitationPeriod),
    createCase: audit.caseFilings(tools.createCase),
    deliverEvent: audit.notifications(deliverEvent),
    recordAudit: audit.recordAudit,
  };
}

export type DocketActivities = ReturnType<typeof createActivities>;
export type { CallModelInput } from './model';
export type { DeliverEventResult } from './notifications';
export type { RecordAuditInput, RecordAuditResult } from './audit';
export { signDocketPayload, verifyDocketSignature } from './notifications';
