import { existsSync } from 'node:fs';
import path from 'node:path';
import type { DocketConfig } from '../config';
import { createDatabase, type Database } from './database';
import { startEmbeddedDatabase } from './embedded';
import { databaseUrl } from './url';

/**
 * The configured database, for a command-line tool (`npm run audit`, `npm run data`): PostgreSQL when configured; else the embedded server `npm start` runs, and when nothing listens there,
 * the embedded database started here on its data directory and port (the port is the guard against two
 * servers on one directory: `npm start` refuses to start while this holds it, and the other way round).
 */
export async function openConfiguredDatabase(
  config: DocketConfig,
): Promise<{ db: Database; close(): Promise<void> }> {
  const url = databaseUrl(config);
  if (config.database.url) return asOpened(await createDatabase({ url, max: 1 }));
  try {
    return asOpened(await createDatabase({ url, max: 1 }));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ECONNREFUSED') throw err;
  }
  const dataDir = path.resolve(config.database.embeddedDataDir);
  if (!existsSync(dataDir)) {
    throw new Error(
      `no embedded database in ${dataDir} and none listening at ${url}: nothing was recorded yet`,
    );
  }
  const embedded = await startEmbeddedDatabase({ dataDir, port: config.database.embeddedPort });
  const db = await createDatabase({ url: embedded.url, max: 1 });
  return {
    db,
    async close() {
      await db.close();
      await embedded.close();
    },
  };
}

function asOpened(db: Database): { db: Database; close(): Promise<void> } {
  return { db, close: () => db.close() };
}
