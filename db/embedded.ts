import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Logger } from '../config';
import type { EmbeddedServerCommand, EmbeddedServerEvent, EmbeddedServerOptions } from './embedded-protocol';
import { embeddedDatabaseUrl } from './url';

export interface EmbeddedDatabaseOptions {
  /** Directory of the database files, created when missing; undefined keeps everything in memory. */
  dataDir?: string;
  /** A snapshot file (`saveSnapshot`) to start the in-memory database from, instead of an empty one; not with `dataDir`. */
  snapshot?: string;
  host?: string;
  /** 0 picks a free port (tests); read the bound one from the result. */
  port?: number;
  logger?: Logger;
}

export interface EmbeddedDatabase {
  /** Connection string for `pg` (createDatabase), also handed to child processes as DATABASE_URL. */
  url: string;
  port: number;
  /**
   * Writes the database's files as they are now to `file` (a tar of PGlite's data directory), for another
   * embedded database to start from (`snapshot`): the tests migrate and seed once, then start each of theirs
   * from the copy. Take it while no transaction is open.
   */
  saveSnapshot(file: string): Promise<void>;
  /** Stops the server and closes PGlite, flushing it to the data directory. */
  close(): Promise<void>;
}

/** A fresh in-memory database is up in about two seconds; a large data directory may take longer. */
const START_TIMEOUT_MS = 60_000;
const CLOSE_TIMEOUT_MS = 15_000;

/**
 * PGlite (PostgreSQL compiled to WebAssembly) served over the Postgres wire protocol on loopback, in a
 * process of its own (db/embedded-server.ts), so the worker, the API and the tests all reach it through
 * `pg`, exactly as they would PostgreSQL. PGlite runs one query at a time; the socket server queues the
 * rest and holds other connections back while one has a transaction open.
 */
export async function startEmbeddedDatabase(
  options: EmbeddedDatabaseOptions = {},
): Promise<EmbeddedDatabase> {
  const { dataDir, snapshot, host = '127.0.0.1', port = 0, logger } = options;
  if (dataDir && snapshot) {
    throw new Error('an embedded database starts from a data directory or from a snapshot, not both');
  }
  const serverOptions: EmbeddedServerOptions = {
    dataDir: dataDir ? path.resolve(dataDir) : null,
    snapshot: snapshot ? path.resolve(snapshot) : null,
    host,
    port,
  };
  const child = spawn(process.execPath, [...serverEntry(), JSON.stringify(serverOptions)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let boundPort: number;
  try {
    boundPort = await listening(child);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  logger?.info(
    { port: boundPort, storage: dataDir ? 'disk' : 'memory', pid: child.pid },
    'embedded database listening',
  );

  let closed: Promise<void> | undefined;
  return {
    url: embeddedDatabaseUrl(host, boundPort),
    port: boundPort,
    saveSnapshot(file) {
      const target = path.resolve(file);
      return new Promise((resolve, reject) => {
        const onMessage = (event: EmbeddedServerEvent) => {
          if (event.type !== 'snapshot-saved' && event.type !== 'snapshot-failed') return;
          if (event.path !== target) return;
          settle();
          if (event.type === 'snapshot-saved') resolve();
          else
            reject(new Error(`embedded database could not save a snapshot to ${target}: ${event.message}`));
        };
        const onExit = () => {
          settle();
          reject(new Error(`embedded database exited before saving a snapshot to ${target}`));
        };
        const settle = () => {
          child.off('message', onMessage);
          child.off('exit', onExit);
        };
        child.on('message', onMessage);
        child.once('exit', onExit);
        child.send({ type: 'save-snapshot', path: target } satisfies EmbeddedServerCommand);
      });
    },
    close() {
      closed ??= (async () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (child.connected) child.send({ type: 'close' } satisfies EmbeddedServerCommand);
        else child.kill('SIGTERM');
        const force = setTimeout(() => child.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
        await exited;
        clearTimeout(force);
      })();
      return closed;
    },
  };
}

/** Node arguments that run the server entry: through tsx from sources, directly once compiled. */
function serverEntry(): string[] {
  const entry = path.join(__dirname, `embedded-server${path.extname(__filename)}`);
  return entry.endsWith('.ts') ? ['--import', pathToFileURL(require.resolve('tsx')).href, entry] : [entry];
}

function listening(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => finish(new Error('embedded database did not start in time')),
      START_TIMEOUT_MS,
    );
    const onMessage = (event: EmbeddedServerEvent) => {
      if (event.type === 'listening') finish(null, event.port);
      else if (event.type === 'failed')
        finish(new Error(`embedded database failed to start: ${event.message}`));
    };
    const onExit = (code: number | null, signal: NodeJS.Signals | null) =>
      finish(new Error(`embedded database exited before listening (${signal ?? `code ${code}`})`));
    const onError = (err: Error) => finish(err);
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.once('error', onError);
    function finish(err: Error | null, port?: number): void {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      child.off('error', onError);
      if (err) reject(err);
      else resolve(port as number);
    }
  });
}
