import pino, { type Logger } from 'pino';
import { createDatabase, migrate, seed, startEmbeddedDatabase, type Database } from '../../db';

export interface TestDatabase {
  db: Database;
  url: string;
  /** Writes the database as it is now to a snapshot file (`EmbeddedDatabase.saveSnapshot`). */
  saveSnapshot(file: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The run's migrated, seeded database snapshot (test/support/database-snapshot.ts), when jest's global setup
 * saved one; a test file run outside that setup gets none.
 */
export function databaseSnapshot(): string | undefined {
  return process.env.DOCKET_TEST_DATABASE_SNAPSHOT || undefined;
}

/**
 * A fresh in-memory PGlite on a free port, reached through `pg`; migrated, and seeded unless told not to (a
 * seeded one starts from the run's snapshot when there is one).
 */
export async function startTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const seeded = options.seeded ?? true;
  const embedded = await startEmbeddedDatabase({
    port: 0,
    snapshot: seeded ? databaseSnapshot() : undefined,
  });
  const db = await createDatabase({ url: embedded.url });
  await migrate(db);
  if (seeded) await seed(db);
  return {
    db,
    url: embedded.url,
    saveSnapshot: (file) => embedded.saveSnapshot(file),
    async close() {
      await db.close();
      await embedded.close();
    },
  };
}

/**
 * The database as it is, with every statement asked of it written down (a transaction as `BEGIN`, then its
 * statements), for tests that count round trips.
 */
export function recordingDatabase(db: Database): { db: Database; statements: string[] } {
  const statements: string[] = [];
  const record = (sql: string) => statements.push(sql.trim());
  return {
    statements,
    db: {
      query: (sql, params) => (record(sql), db.query(sql, params)),
      transaction: (fn, options) => {
        record('BEGIN');
        return db.transaction(
          (tx) => fn({ query: (sql, params) => (record(sql), tx.query(sql, params)) }),
          options,
        );
      },
      close: () => db.close(),
    },
  };
}

/** A logger that keeps its JSON lines, so tests can check what activities log (and what they never do). */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void raw.push(line) });
  return { logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
