/**
 * `npm start`: the whole of Docket on one machine. The dev stack (scripts/dev-stack.ts): Temporal dev server
 * (SQLite under .data/, UI on 8233, decoding payloads through the API's codec endpoint), embedded PostgreSQL
 * (PGlite over a loopback socket), the offline simulator when no OPENAI_API_KEY is set; then the worker and
 * the API as child processes.
 * Without DOCKET_ENCRYPTION_KEYS it creates a development encryption key next to the dev server's database.
 * Ctrl-C stops everything, children first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createLogger, devServerUiUrl, loadConfig, type DocketConfig } from '../config';
import { workflowRegistry } from '../workflows/registry';
import {
  DEV_KEY_NAMES,
  DEV_KEYS,
  devEncryptionKeyFile,
  devKeysEnv,
  devKeyUsable,
  loadOrCreateDevEncryptionKey,
  loadOrCreateDevKeys,
  type DevKeys,
} from './dev-keys';
import { startDevStack } from './dev-stack';

type Closer = () => Promise<void>;

/** How the worker and API encrypt what Temporal stores, for the banner. */
interface EncryptionSetup {
  keyIds: string[];
  /** Set for the development key `npm start` keeps; null when DOCKET_ENCRYPTION_KEYS is set. */
  devKey: { file: string; created: boolean } | null;
}

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

    // Before anything reaches Temporal: the worker and the API refuse to run without a key.
    let encryption: EncryptionSetup;
    if (config.encryption.keys.length > 0) {
      encryption = { keyIds: config.encryption.keys.map((k) => k.id), devKey: null };
    } else {
      const file = devEncryptionKeyFile(config.temporal.devServerDbFile);
      const devKey = loadOrCreateDevEncryptionKey(file);
      childEnv.DOCKET_ENCRYPTION_KEYS = devKey.value;
      encryption = { keyIds: devKey.keyIds, devKey: { file, created: devKey.created } };
    }

    const [host, port] = splitAddress(config.temporal.address);
    const running = await isListening(host, port);
    if (running) {
      logger.info({ address: config.temporal.address }, 'using the Temporal server already listening there');
    } else {
      process.stdout.write('Starting the Temporal dev server…\n');
    }
    const stack = await startDevStack({
      temporal: running
        ? { address: config.temporal.address, namespace: config.temporal.namespace }
        : {
            ip: host,
            port,
            uiPort: config.temporal.uiPort,
            uiCodecEndpoint: `${apiUrl(config)}/codec`,
            dbFilename: path.resolve(config.temporal.devServerDbFile),
            namespace: config.temporal.namespace,
          },
      // DATABASE_URL as it is (migrated, not seeded); else the embedded database with the demo directory.
      database: config.database.url
        ? { url: config.database.url }
        : { dataDir: path.resolve(config.database.embeddedDataDir), port: config.database.embeddedPort },
      simulator:
        !config.provider.apiKey && !config.provider.baseURL
          ? {
              host: config.simulator.host,
              port: config.simulator.port,
              latencyMs: config.simulator.latencyMs,
              faults: config.simulator.faults,
              retiredModels: config.simulator.retiredModels,
            }
          : false,
      logger,
    });
    closers.push(stack.close);
    const uiStarted = stack.temporal.started;
    // Its UI decodes with no sign-in while the key it decodes with is the development one on this disk.
    if (uiStarted && encryption.devKey) childEnv.DOCKET_CODEC_TRUSTS_LOCAL_UI ??= 'true';
    if (stack.embeddedDatabase) childEnv.DATABASE_URL = stack.databaseUrl;
    if (stack.simulator) childEnv.OPENAI_BASE_URL = stack.simulator.url;

    let devKeys: ReturnType<typeof loadOrCreateDevKeys> | null = null;
    if (!process.env.DOCKET_API_KEYS && config.api.keys.length === 0) {
      devKeys = loadOrCreateDevKeys();
      childEnv.DOCKET_API_KEYS = devKeysEnv(devKeys.keys, workflowRegistry.restNames);
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

    printBanner(config, childEnv, devKeys, encryption, uiStarted);
  } catch (err) {
    logger.error({ err }, 'Docket failed to start');
    await stop(1);
  }
}

/** The API's base URL as a local browser or CLI reaches it. */
function apiUrl(config: DocketConfig): string {
  const host = ['0.0.0.0', '::'].includes(config.api.host) ? '127.0.0.1' : config.api.host;
  return `http://${host}:${config.api.port}`;
}

function printBanner(
  config: DocketConfig,
  env: NodeJS.ProcessEnv,
  devKeys: ReturnType<typeof loadOrCreateDevKeys> | null,
  encryption: EncryptionSetup,
  uiStarted: boolean,
): void {
  const api = apiUrl(config);
  const localUi = env.DOCKET_CODEC_TRUSTS_LOCAL_UI === 'true';
  const lines = [
    '',
    'Docket is starting:',
    `  API          ${api}  (OpenAPI: ${api}/openapi.json)`,
    uiStarted
      ? `  Temporal UI  ${devServerUiUrl(config.temporal)}  (decodes payloads through ${api}/codec${localUi ? ', no sign-in on this machine' : ''})`
      : `  Temporal UI  the running server's; point its codec endpoint at ${api}/codec`,
    `  Models       ${env.OPENAI_BASE_URL ? `offline simulator at ${env.OPENAI_BASE_URL}` : (config.provider.baseURL ?? 'OpenAI')}`,
    `  Database     ${config.database.url ? 'PostgreSQL (DATABASE_URL)' : `embedded PGlite in ${config.database.embeddedDataDir}`}`,
    encryption.devKey
      ? `  Encryption   development key ${encryption.keyIds[0]}, ${encryption.devKey.created ? 'created' : 'kept'} in ${encryption.devKey.file} (set DOCKET_ENCRYPTION_KEYS for real keys)`
      : `  Encryption   DOCKET_ENCRYPTION_KEYS: ${encryption.keyIds[0]} encrypts; ${encryption.keyIds.join(', ')} decrypt`,
  ];
  if (devKeys) {
    const state = devKeys.created
      ? 'created'
      : devKeys.added.length > 0
        ? `kept, ${devKeys.added.join(', ')} added,`
        : 'kept';
    lines.push(
      `  Dev API keys (${state} in .data/dev-api-keys.json):`,
      ...DEV_KEY_NAMES.map((name) => devKeyLine(name, devKeys.keys[name])),
      '',
      'Submit an example:  npm run submit -- examples/clear-personal-injury.json',
      localUi
        ? `Decoded payloads:   the Temporal UI above decodes them as it opens; with the Temporal CLI add`
        : `Decoded payloads:   sign in at ${api}/codec with the engineer key; with the Temporal CLI add`,
      `                    --codec-endpoint ${api}/codec --codec-auth 'Bearer <engineer key>'`,
    );
  }
  lines.push('Stop with Ctrl-C.', '');
  process.stdout.write(`${lines.join('\n')}\n`);
}

/** A dev key in the banner; a key limited to some workflow types says so, and whether the API takes it. */
function devKeyLine(name: keyof DevKeys, key: string): string {
  const { role, types } = DEV_KEYS[name];
  const line = `    ${name.padEnd(10)}${key}`;
  if (!types) return line;
  const unused = devKeyUsable(name, workflowRegistry.restNames)
    ? ''
    : '; not given to the API: a type it names is not registered';
  return `${line}  (${role}, ${types.join(', ')} only${unused})`;
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
