/**
 * The embedded database's own process, started by startEmbeddedDatabase (db/embedded.ts): PGlite served
 * on the Postgres wire protocol by pglite-socket. It runs apart from its parent because PGlite loads its
 * WebAssembly with dynamic import(), which jest's module sandbox rejects; a process of its own also behaves
 * like the PostgreSQL server it stands in for. It reports 'listening' over IPC, and closes (flushing PGlite
 * to its data directory) when the parent asks, when the parent goes away, or on SIGTERM.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import {
  EmbeddedServerOptions,
  MAX_CONNECTIONS,
  type EmbeddedServerCommand,
  type EmbeddedServerEvent,
} from './embedded-protocol';
import { serializeExchanges } from './embedded-exchanges';

async function main(): Promise<void> {
  const { dataDir, snapshot, host, port } = EmbeddedServerOptions.parse(
    JSON.parse(process.argv[2] ?? 'null'),
  );
  // PGlite has no lock on its data directory: a second server on the same directory would corrupt it.
  // A busy fixed port is the usual sign of one, so check it before opening the files.
  if (port !== 0) await assertPortFree(host, port);
  if (dataDir) mkdirSync(dataDir, { recursive: true });

  // A fresh database runs initdb (about 4 s); one loaded from a snapshot is up in about half a second.
  const db = dataDir
    ? await PGlite.create(dataDir)
    : await PGlite.create(snapshot ? { loadDataDir: new Blob([readFileSync(snapshot)]) } : {});
  const server = new PGLiteSocketServer({ db, host, port, maxConnections: MAX_CONNECTIONS });
  serializeExchanges(server, db);
  await server.start();

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      await server.stop();
      await db.close();
      process.exit(0);
    })();
  };
  process.on('message', (command: EmbeddedServerCommand) => {
    if (command.type === 'close') close();
    else if (command.type === 'save-snapshot') {
      db.dumpDataDir('none')
        .then(async (files) => writeFileSync(command.path, Buffer.from(await files.arrayBuffer())))
        .then(
          () => send({ type: 'snapshot-saved', path: command.path }),
          (err: unknown) => send({ type: 'snapshot-failed', path: command.path, message: String(err) }),
        );
    }
  });
  // The parent going away (even by SIGKILL) closes the IPC channel: never outlive it holding the files.
  process.on('disconnect', close);
  process.on('SIGTERM', close);
  // Ctrl-C reaches the whole process group; the parent decides when the database stops, after the
  // worker and the API have drained.
  process.on('SIGINT', () => undefined);
  send({ type: 'listening', port: Number(server.getServerConn().split(':').pop()) });
}

function send(event: EmbeddedServerEvent): void {
  if (process.send) process.send(event);
}

function assertPortFree(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is in use: is another embedded database already running there?`,
            )
          : err,
      ),
    );
    probe.listen(port, host, () => probe.close(() => resolve()));
  });
}

main().catch((err: unknown) => {
  send({ type: 'failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(1);
});
