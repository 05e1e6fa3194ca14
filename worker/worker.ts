import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import type { DocketConfig } from '../config/schema';

export interface DocketWorkerOptions extends Omit<ActivityDeps, 'webhooks'> {
  config: Pick<DocketConfig, 'temporal' | 'notifications'>;
  connection: NativeConnection;
  /** A prebuilt bundle (tests build one per run); default: bundle `workflows/` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
}

/** The Docket worker: the legal-intake workflow and every activity, on the configured task queue. */
export function createDocketWorker(options: DocketWorkerOptions): Promise<Worker> {
  const { config, connection, workflowBundle, db, gateway, logger } = options;
  return Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: options.taskQueue ?? config.temporal.taskQueue,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: require.resolve('../workflows') }),
    activities: createActivities({ db, gateway, logger, webhooks: config.notifications.webhooks }),
    // In-flight activities get this long to finish on SIGTERM before the worker gives them up.
    shutdownGraceTime: '10 seconds',
  });
}
