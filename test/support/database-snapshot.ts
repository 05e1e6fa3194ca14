import path from 'node:path';
import { createDatabase, migrate, seed, startEmbeddedDatabase } from '../../db';

/**
 * A migrated and seeded embedded database, saved once by jest's global setup for the whole run
 * (DOCKET_TEST_DATABASE_SNAPSHOT): a fresh PGlite spends about 4 s in initdb, one started from the snapshot
 * about half a second, and the run starts some fifty. Tests still migrate and seed what they start (both are
 * no-ops on the copy), so a test runs the same with or without it.
 */
export async function saveDatabaseSnapshot(dir: string): Promise<string> {
  const file = path.join(dir, 'database.tar');
  const embedded = await startEmbeddedDatabase({ port: 0 });
  try {
    const db = await createDatabase({ url: embedded.url });
    try {
      await migrate(db);
      await seed(db);
    } finally {
      await db.close();
    }
    await embedded.saveSnapshot(file);
  } finally {
    await embedded.close();
  }
  return file;
}

/** The run's snapshot, when the global setup saved one (a test file run outside jest's setup gets none). */
export function databaseSnapshot(): string | undefined {
  return process.env.DOCKET_TEST_DATABASE_SNAPSHOT || undefined;
}
