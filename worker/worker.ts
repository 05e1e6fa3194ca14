import { NativeConnection, Worker, type State, type WorkerOptions } from '@temporalio/worker';
import { createActivities, withModelCallMetrics, type ActivityDeps } from '../activities';
import { checkTiersServeAgents } from '../agents/gateway';
import { Sealer, docketDataConverter } from '../codec';
import { modelTaskQueues, type DocketConfig, type TierName } from '../config';
import { metricsSinks, type WorkerMetrics } from '../metrics';
import { PersonalDataStore, TranscriptStore } from '../personal-data';
import { startPseudonymizerThread } from './pseudonymizer-thread';
import { bundleWorkflows } from './workflow-bundle';

export interface DocketWorkerOptions extends Omit<
  ActivityDeps,
  | 'webhooks'
  | 'personal'
  | 'pseudonymization'
  | 'maxPayloadBytes'
  | 'transcripts'
  | 'rateLimits'
  | 'pseudonymize'
> {
  config: Pick<
    DocketConfig,
    'temporal' | 'notifications' | 'worker' | 'encryption' | 'pseudonymization' | 'models' | 'rateLimits'
  >;
  connection: NativeConnection;
  /** Docket's worker metrics (model calls, gate results, workflow ends); without it nothing is counted. */
  metrics?: WorkerMetrics;
  /**
   * A prebuilt bundle (tests build one per run, with `bundleWorkflows`); default: the registry's, bundled
   * at start.
   */
  workflowBundle?: WorkerOptions['workflowBundle'];
  taskQueue?: string;
}

/**
 * One Docket worker process's Temporal workers, run and stopped together: the workflows and every activity
 * on the main task queue, and one model-call worker per tier on that tier's own task queue, where the
 * server enforces the tier's call rate across all workers and each worker caps how many calls it runs.
 */
export interface DocketWorker {
  /** Resolves once every one of them has shut down and drained. */
  run(): Promise<void>;
  shutdown(): void;
  /** The main worker's state. */
  getState(): State;
}

/** The Docket worker: the legal-intake workflow and every activity, and model calls per tier. */
export async function createDocketWorker(options: DocketWorkerOptions): Promise<DocketWorker> {
  const { config, connection, workflowBundle, db, gateway, logger } = options;
  // Before anything starts: every agent's tier, and every model on it, can serve the agent.
  checkTiersServeAgents(
    config.models,
    options.workflows.definitions.flatMap((d) => d.agents.map((agent) => ({ workflow: d.restName, agent }))),
  );
  // And each type's settings read from config as a run would (its cascades checked), as the API does at start.
  for (const definition of options.workflows.definitions) definition.settings(config);
  const taskQueue = options.taskQueue ?? config.temporal.taskQueue;
  const sealer = new Sealer(config.encryption.keys);
  const pseudonymizer = startPseudonymizerThread(logger);
  const activities = createActivities({
    workflows: options.workflows,
    db,
    gateway: options.metrics ? withModelCallMetrics(gateway, options.metrics, config.models) : gateway,
    logger,
    webhooks: config.notifications.webhooks,
    personal: new PersonalDataStore(db, sealer),
    pseudonymization: config.pseudonymization,
    maxPayloadBytes: config.worker.maxPayloadBytes,
    transcripts: new TranscriptStore(db, sealer),
    rateLimits: config.rateLimits,
    pseudonymize: pseudonymizer.pseudonymizeTexts,
  });
  // Payloads and failure messages are encrypted before they reach Temporal (see codec/).
  const dataConverter = docketDataConverter(config.encryption.keys);
  async function createWorkers(): Promise<Worker[]> {
    const main = await Worker.create({
      connection,
      namespace: config.temporal.namespace,
      taskQueue,
      // The registry's types and the engine's own workflows (worker/workflow-bundle.ts).
      workflowBundle: workflowBundle ?? (await bundleWorkflows(options.workflows)),
      dataConverter,
      // Gate results and workflow ends, counted from workflow code (workflows/metrics.ts).
      sinks: metricsSinks(options.metrics),
      // callModel stays here too, for runs started before model calls had task queues of their own.
      activities,
      // Workflows waiting for a person sit idle for hours: at most this many stay in memory, the rest are
      // evicted and replayed from history when their decision (or SLA timer) arrives. Memory stays bounded
      // however many reviews wait.
      maxCachedWorkflows: config.worker.maxCachedWorkflows,
      // In-flight activities get this long to finish on SIGTERM before the worker gives them up.
      shutdownGraceTime: '10 seconds',
    });
    const queues = modelTaskQueues(taskQueue, Object.keys(config.models) as TierName[]);
    const modelWorkers = await Promise.all(
      Object.entries(queues).map(([tier, queue]) => {
        const limits = config.rateLimits[tier as TierName];
        return Worker.create({
          connection,
          namespace: config.temporal.namespace,
          taskQueue: queue,
          dataConverter,
          activities: { callModel: activities.callModel },
          // Enforced by the server for the task queue as a whole: every worker together stays under it.
          ...(limits?.callsPerSecond ? { maxTaskQueueActivitiesPerSecond: limits.callsPerSecond } : {}),
          maxConcurrentActivityTaskExecutions: limits?.concurrentCallsPerWorker ?? DEFAULT_CONCURRENT_CALLS,
          shutdownGraceTime: '10 seconds',
        });
      }),
    );
    return [main, ...modelWorkers];
  }
  let all: Worker[];
  try {
    all = await createWorkers();
  } catch (err) {
    await pseudonymizer.close();
    throw err;
  }
  const main = all[0];
  return {
    async run() {
      // One stopping (a fatal error, a signal) stops them all, so the process never runs half a worker.
      try {
        await Promise.all(
          all.map((worker) =>
            worker.run().finally(() => {
              for (const other of all) if (other.getState() === 'RUNNING') other.shutdown();
            }),
          ),
        );
      } finally {
        await pseudonymizer.close();
      }
    },
    shutdown() {
      for (const worker of all) if (worker.getState() === 'RUNNING') worker.shutdown();
    },
    getState: () => main.getState(),
  };
}

/** Model calls one worker runs at once per tier when config does not say (`rateLimits.<tier>`). */
const DEFAULT_CONCURRENT_CALLS = 100;
