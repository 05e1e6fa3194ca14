/**
 * `npm start`: the whole of Docket on one machine. Temporal dev server (SQLite under .data/, UI on 8233),
 * embedded PostgreSQL (PGlite over a loopback socket), the offline simulator when no OPENAI_API_KEY is set,
 * then the worker and the API as child processes. Ctrl-C stops everything, children first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLogger, loadConfig, type DocketConfig } from '../config';
import { createDatabase, migrate, seed, startEmbeddedDatabase } from '../db';
import { startSimulator } from '../simulator';
import { devKeysEnv, loadOrCreateDevKeys } from './dev-keys';
import { startTemporalDevServer } from './temporal-dev-server';

type Closer = () => Promise<void>;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { process: 'start' });
  const closers: Closer[] = [];
  const children: ChildProcess[] = [];
  let stopping = false;

  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write('\nStopping Docket…\n');
    await Promise.all(children.map(stopChild));
    for (const close of closers.reverse()) await close().catch(() => undefined);
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    mkdirSync('.data', { recursive: true });
    const childEnv: NodeJS.ProcessEnv = { ...process.env };

    const [host, port] = splitAddress(config.temporal.address);
    if (await isListening(host, port)) {
      logger.info({ address: config.temporal.address }, 'using the Temporal server already listening there');
    } else {
      process.stdout.write('Starting the Temporal dev server…\n');
      const temporal = await startTemporalDevServer({
        ip: host,
        port,
        uiPort: config.temporal.uiPort,
        dbFilename: path.resolve(config.temporal.devServerDbFile),
        namespace: config.temporal.namespace,
      });
      closers.push(temporal.close);
    }

    if (!config.database.url) {
      const embedded = await startEmbeddedDatabase({
        dataDir: path.resolve(config.database.embeddedDataDir),
        port: config.database.embeddedPort,
        logger,
      });
      closers.push(embedded.close);
      childEnv.DATABASE_URL = embedded.url;
    }
    const db = await createDatabase({
      url: childEnv.DATABASE_URL ?? (config.database.url as string),
      logger,
    });
    await migrate(db, logger);
    if (!config.database.url) await seed(db); // demo directory for the embedded database only
    await db.close();

    if (!config.provider.apiKey && !config.provider.baseURL) {
      const simulator = await startSimulator({
        host: config.simulator.host,
        port: config.simulator.port,
        latencyMs: config.simulator.latencyMs,
        faults: config.simulator.faults,
        logger,
      });
      closers.push(simulator.close);
      childEnv.OPENAI_BASE_URL = simulator.url;
    }

    let devKeys: ReturnType<typeof loadOrCreateDevKeys> | null = null;
    if (!process.env.DOCKET_API_KEYS && config.api.keys.length === 0) {
      devKeys = loadOrCreateDevKeys();
      childEnv.DOCKET_API_KEYS = devKeysEnv(devKeys.keys);
    }

    for (const entry of ['worker/main.ts', 'api/main.ts']) {
      const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: childEnv, stdio: 'inherit' });
      child.on('exit', (code, signal) => {
        if (stopping) return;
        logger.error({ process: entry, code, signal }, 'a Docket process exited; stopping everything');
        void stop(1);
      });
      children.push(child);
    }

    printBanner(config, childEnv, devKeys);
  } catch (err) {
    logger.error({ err }, 'Docket failed to start');
    await stop(1);
  }
}

function printBanner(
  config: DocketConfig,
  env: NodeJS.ProcessEnv,
  devKeys: ReturnType<typeof loadOrCreateDevKeys> | null,
): void {
  const api = `http://${config.api.host === '0.0.0.0' ? '127.0.0.1' : config.api.host}:${config.api.port}`;
  const lines = [
    '',
    'Docket is starting:',
    `  API          ${api}  (OpenAPI: ${api}/openapi.json)`,
    `  Temporal UI  http://localhost:${config.temporal.uiPort}`,
    `  Models       ${env.OPENAI_BASE_URL ? `offline simulator at ${env.OPENAI_BASE_URL}` : (config.provider.baseURL ?? 'OpenAI')}`,
    `  Database     ${config.database.url ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.database.embeddedDataDir}`}`,
  ];
  if (devKeys) {
    lines.push(
      `  Dev API keys (${devKeys.created ? 'created' : 'kept'} in .data/dev-api-keys.json):`,
      `    operator  ${devKeys.keys.operator}`,
      `    reviewer  ${devKeys.keys.reviewer}`,
      '',
      'Submit an example:  npm run submit -- examples/clear-personal-injury.json',
    );
  }
  lines.push('Stop with Ctrl-C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function splitAddress(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return [address.slice(0, i), Number(address.slice(i + 1))];
}

function isListening(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(500);
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => (socket.destroy(), resolve(false)));
  });
}

void main();
