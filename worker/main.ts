/**
 * Worker process (`npm run worker`): connects to Temporal, the database and the model provider, runs until
 * SIGINT/SIGTERM, then drains (in-flight activities get the grace time) and closes its connections.
 */
import { NativeConnection } from '@temporalio/worker';
import { createModelGateway, providerBaseURL } from '../agents/gateway';
import { unreachableTemporal } from '../client';
import { createLogger, loadConfig } from '../config';
import { createDatabase, databaseUrl, migrate } from '../db';
import { activityLogContext } from './activity-log-context';
import { installTemporalLogging } from './temporal-logging';
import { createDocketWorker } from './worker';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { process: 'worker' }, activityLogContext);
  installTemporalLogging(logger);
  const connection = await NativeConnection.connect({ address: config.temporal.address }).catch(
    (err: unknown) => {
      throw unreachableTemporal(config.temporal.address, err);
    },
  );
  const db = await createDatabase({ url: databaseUrl(config), logger });
  await migrate(db, logger);
  const gateway = createModelGateway({ config, logger: logger.child({ component: 'gateway' }) });
  const worker = await createDocketWorker({ config, connection, db, gateway, logger });
  logger.info(
    {
      temporal: config.temporal.address,
      namespace: config.temporal.namespace,
      taskQueue: config.temporal.taskQueue,
      modelProvider: providerBaseURL(config) ?? 'https://api.openai.com/v1',
    },
    'worker started',
  );
  // The SDK's runtime shuts the worker down on SIGINT/SIGTERM; run() resolves once it has drained.
  await worker.run();
  await db.close();
  await connection.close();
  logger.info('worker stopped');
}

main().catch((err) => {
  process.stderr.write(`worker failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
