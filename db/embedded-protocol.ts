import { z } from 'zod';

/** What startEmbeddedDatabase tells the embedded server process (as its one argument, JSON). */
export const EmbeddedServerOptions = z.object({
  /** Absolute path; null keeps the database in memory. */
  dataDir: z.string().min(1).nullable(),
  /** Absolute path of a snapshot (`saveSnapshot`) to start the in-memory database from; null starts empty. */
  snapshot: z.string().min(1).nullable(),
  host: z.string().min(1),
  port: z.number().int().min(0).max(65535),
});
export type EmbeddedServerOptions = z.infer<typeof EmbeddedServerOptions>;

/** Server process → parent, over the IPC channel. */
export type EmbeddedServerEvent =
  | { type: 'listening'; port: number }
  | { type: 'failed'; message: string }
  | { type: 'snapshot-saved'; path: string }
  | { type: 'snapshot-failed'; path: string; message: string };

/**
 * Parent → server process: close PGlite (flushing it to the data directory) and exit; or write the database's
 * files, as they are, to a snapshot at `path` (PGlite's data directory as a tar).
 */
export type EmbeddedServerCommand = { type: 'close' } | { type: 'save-snapshot'; path: string };

/**
 * Connections the socket server accepts (its own default is 1). Each process keeps a small pool
 * (createDatabase's default is 4): the worker, the API and `npm start` fit with room to spare.
 */
export const MAX_CONNECTIONS = 32;
