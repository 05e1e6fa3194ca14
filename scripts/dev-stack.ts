/**
 * The services a Docket stack runs on, started the same way for `npm start`, the tests, the evaluation and
 * the benchmarks: a Temporal server (one already running, or a dev server of the stack's own), a database
 * (one given, or the embedded PGlite server), migrated, and seeded with the demo directory when embedded,
 * and the offline model simulator (unless the stack talks to a provider). What runs on them (an in-process
 * worker and client, the API, child processes) is each caller's own.
 */
import type { Logger } from '../config';
import { createDatabase, migrate, seed, startEmbeddedDatabase, type EmbeddedDatabaseOptions } from '../db';
import { startSimulator, type RunningSimulator, type SimulatorOptions } from '../simulator';
import { startTemporalDevServer, type DevServerOptions } from './temporal-dev-server';

export interface DevStackOptions {
  /** A running Temporal server (with Docket's search attributes), or how to start a dev server; default: a dev server in memory on a free port. */
  temporal?: { address: string; namespace?: string } | DevServerOptions;
  /** A database to use as it is, or how to start the embedded one; default: embedded, in memory, on a free port. */
  database?: { url: string } | EmbeddedDatabaseOptions;
  /** Seed the demo client directory; default: only into the embedded database. */
  seed?: boolean;
  /** How to start the simulator, or false when the stack talks to a provider; default: one on a free port. */
  simulator?: SimulatorOptions | false;
  logger?: Logger;
}

export interface DevStack {
  /** Where the Temporal server is; `started` is true when this stack started it (and stops it on close). */
  temporal: { address: string; namespace: string; started: boolean };
  /** Connection string of the database, migrated (and seeded as asked). */
  databaseUrl: string;
  /** True when the database is the embedded server this stack started. */
  embeddedDatabase: boolean;
  /** Null with `simulator: false`. */
  simulator: RunningSimulator | null;
  /** Stops what this stack started, the last first. Close your own database connections before it. */
  close(): Promise<void>;
}

/** Starts the services; on a failure, stops whatever it had started and throws. */
export async function startDevStack(options: DevStackOptions = {}): Promise<DevStack> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const step of closers.splice(0).reverse()) await step().catch(() => undefined);
  };
  try {
    let temporal: DevStack['temporal'];
    if (options.temporal && 'address' in options.temporal) {
      temporal = {
        address: options.temporal.address,
        namespace: options.temporal.namespace ?? 'default',
        started: false,
      };
    } else {
      const server = await startTemporalDevServer(options.temporal);
      closers.push(server.close);
      temporal = { address: server.address, namespace: server.namespace, started: true };
    }

    let databaseUrl: string;
    const embeddedDatabase = !(options.database && 'url' in options.database);
    if (options.database && 'url' in options.database) {
      databaseUrl = options.database.url;
    } else {
      const embedded = await startEmbeddedDatabase({ port: 0, logger: options.logger, ...options.database });
      closers.push(embedded.close);
      databaseUrl = embedded.url;
    }
    const db = await createDatabase({ url: databaseUrl, logger: options.logger });
    try {
      await migrate(db, options.logger);
      if (options.seed ?? embeddedDatabase) await seed(db);
    } finally {
      await db.close();
    }

    let simulator: RunningSimulator | null = null;
    if (options.simulator !== false) {
      simulator = await startSimulator({ port: 0, logger: options.logger, ...options.simulator });
      closers.push(simulator.close);
    }
    return { temporal, databaseUrl, embeddedDatabase, simulator, close };
  } catch (err) {
    await close();
    throw err;
  }
}
