/** The API process (`npm run api`): config, logger, Temporal connection, HTTP server, graceful stop. */
import type { AddressInfo } from 'node:net';
import { connectClient } from '../client';
import { docketDataConverter, EncryptionKeyError } from '../codec';
import { ConfigError, createLogger, loadConfig } from '../config';
import { createDatabase, databaseUrl } from '../db';
import { workflowRegistry } from '../workflows/registry';
import { createApp } from './app';

/** In-flight requests get this long to finish after SIGINT/SIGTERM before their connections are cut. */
const SHUTDOWN_GRACE_MS = 10_000;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { process: 'api' });
  // Before connecting: without a key the API would start workflows with clear-text inputs.
  const dataConverter = docketDataConverter(config.encryption.keys);
  const client = await connectClient(config.temporal, dataConverter);
  const db = await createDatabase({ url: databaseUrl(config), logger });
  const app = createApp({ config, client, logger, db, workflows: workflowRegistry });

  const server = app.listen(config.api.port, config.api.host, (err?: Error) => {
    if (err) {
      logger.fatal({ err }, 'cannot listen');
      process.exit(1);
    }
    const { port } = server.address() as AddressInfo;
    logger.info(
      { url: `http://${config.api.host}:${port}`, namespace: config.temporal.namespace },
      'API listening',
    );
  });

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping: no new connections, finishing in-flight requests');
    const force = setTimeout(() => server.closeAllConnections(), SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(() => {
      clearTimeout(force);
      Promise.all([client.connection.close(), db.close()])
        .catch((err: unknown) =>
          logger.warn({ err }, 'closing the Temporal connection or the database failed'),
        )
        .finally(() => {
          logger.info('stopped');
          process.exitCode = 0;
        });
    });
    // Keep-alive connections with no request in flight would otherwise hold the server open.
    server.closeIdleConnections();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof EncryptionKeyError)
    process.stderr.write(`${err.message}\n`);
  else
    process.stderr.write(`docket api failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
