/**
 * Worker process (`npm run worker`): connects to Temporal, the database and the model provider, runs until
 * SIGINT/SIGTERM, then drains (in-flight activities get the grace time) and closes its connections.
 */
import { NativeConnection } from '@temporalio/worker';
import { createModelGateway, providerBaseURL, warnOfDeprecatedModels } from '../agents/gateway';
import { unreachableTemporal } from '../client';
import { createLogger, loadConfig, temporalConnectionOptions, type Logger } from '../config';
import { createDatabase, databaseUrl, migrate } from '../db';
import { createWorkerMetrics, serveMetrics, type MetricsServer, type WorkerMetrics } from '../metrics';
import { activityLogContext } from './activity-log-context';
import { installTemporalLogging } from './temporal-logging';
import { createDocketWorker } from './worker';
import { workflowRegistry } from '../workflows/registry';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { process: 'worker' }, activityLogContext);
  // First thing, so that an operator sees it even when the worker cannot connect.
  warnOfDeprecatedModels(config.models, logger);
  installTemporalLogging(logger, { metricsBindAddress: config.metrics.worker.temporalBindAddress });
  const metrics = createWorkerMetrics({ workflows: workflowRegistry });
  const metricsServer = await serveDocketMetrics(
    metrics.registry,
    config.metrics.worker.docketBindAddress,
    logger,
  );
  const connection = await NativeConnection.connect(temporalConnectionOptions(config.temporal)).catch(
    (err: unknown) => {
      throw unreachableTemporal(config.temporal.address, err);
    },
  );
  const db = await createDatabase({ url: databaseUrl(config), logger });
  await migrate(db, logger);
  const gateway = createModelGateway({ config, logger: logger.child({ component: 'gateway' }) });
  const worker = await createDocketWorker({
    workflows: workflowRegistry,
    config,
    connection,
    db,
    gateway,
    logger,
    metrics,
  });
  logger.info(
    {
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      modelProvider: providerBaseURL(config) ?? 'https://api.openai.com/v1',
      metrics: {
        temporal: config.metrics.worker.temporalBindAddress,
        docket: metricsServer?.url ?? null,
      },
    },
    'worker started',
  );
  // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
  await worker.run();
  await metricsServer?.close();
  await db.close();
  await connection.close();
  logger.info('worker stopped');
}

/** Docket's metrics endpoint; like the SDK's, a busy address is logged and the worker runs without it. */
async function serveDocketMetrics(
  registry: WorkerMetrics['registry'],
  bindAddress: string | null,
  logger: Logger,
): Promise<MetricsServer | null> {
  if (!bindAddress) return null;
  return serveMetrics(registry, bindAddress).catch((err: unknown) => {
    logger.error(
      { err, key: 'metrics.worker.docketBindAddress', bindAddress },
      "cannot serve Docket's worker metrics; running without them",
    );
    return null;
  });
}

main().catch((err) => {
  process.stderr.write(`worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
