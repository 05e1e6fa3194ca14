import path from 'node:path';
import { startTestDatabase } from '../db/support';

/**
 * A migrated and seeded embedded database, saved once by jest's global setup for the whole run
 * (DOCKET_TEST_DATABASE_SNAPSHOT): a fresh PGlite spends about 4 s in initdb, one started from the snapshot
 * about half a second, and the run starts some fifty. Tests still migrate and seed what they start (both are
 * no-ops on the copy), so a test runs the same with or without it.
 */
export async function saveDatabaseSnapshot(dir: string): Promise<string> {
  const file = path.join(dir, 'database.tar');
  // Started before any snapshot exists, so from initdb, then migrated and seeded.
  const database = await startTestDatabase();
  try {
    await database.saveSnapshot(file);
  } finally {
    await database.close();
  }
  return file;
}
