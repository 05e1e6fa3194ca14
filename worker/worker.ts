import { NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import { createActivities, type ActivityDeps } from '../activities';
import { withModelCallMetrics } from '../activities/model';
import { Sealer, docketDataConverter } from '../codec';
import type { DocketConfig } from '../config/schema';
import { metricsSinks, type WorkerMetrics } from '../metrics';
import { PersonalDataStore } from '../personal-data';

export interface DocketWorkerOptions extends Omit<
  ActivityDeps,
  'webhooks' | 'personal' | 'pseudonymization' | 'maxPayloadBytes'
> {
  config: Pick<
    DocketConfig,
    'temporal' | 'notifications' | 'worker' | 'encryption' | 'pseudonymization' | 'models'
  >;
  connection: NativeConnection;
  /** Docket's worker metrics (model calls, gate results, workflow ends); without it nothing is counted. */
  metrics?: WorkerMetrics;
  /**
   * A prebuilt bundle (tests build one per run), built with `failureConverterPath: FAILURE_CONVERTER_PATH`;
   * default: bundle `workflows/` at start.
   */
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
    // Payloads and failure messages are encrypted before they reach Temporal (see codec/).
    dataConverter: docketDataConverter(config.encryption.keys),
    // Gate results and workflow ends, counted from workflow code (workflows/metrics.ts).
    sinks: metricsSinks(options.metrics),
    activities: createActivities({
      db,
      gateway: options.metrics ? withModelCallMetrics(gateway, options.metrics, config.models) : gateway,
      logger,
      webhooks: config.notifications.webhooks,
      personal: new PersonalDataStore(db, new Sealer(config.encryption.keys)),
      pseudonymization: config.pseudonymization,
      maxPayloadBytes: config.worker.maxPayloadBytes,
    }),
    // Workflows waiting for a person sit idle for hours: at most this many stay in memory, the rest are
    // evicted and replayed from history when their decision (or SLA timer) arrives. Memory stays bounded
    // however many reviews wait.
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    // In-flight activities get this long to finish on SIGTERM before the worker gives them up.
    shutdownGraceTime: '10 seconds',
  });
}
