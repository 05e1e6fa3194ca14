import pino, { type Logger } from 'pino';
import { createDatabase, migrate, seed, startEmbeddedDatabase, type Database } from '../../db';

export interface TestDatabase {
  db: Database;
  url: string;
  close(): Promise<void>;
}

/** A fresh in-memory PGlite on a free port, reached through `pg`; migrated, and seeded unless told not to. */
export async function startTestDatabase(options: { seeded?: boolean } = {}): Promise<TestDatabase> {
  const embedded = await startEmbeddedDatabase({ port: 0 });
  const db = await createDatabase({ url: embedded.url });
  await migrate(db);
  if (options.seeded ?? true) await seed(db);
  return {
    db,
    url: embedded.url,
    async close() {
      await db.close();
      await embedded.close();
    },
  };
}

/** A logger that keeps its JSON lines, so tests can check what activities log (and what they never do). */
export function capturingLogger(): { logger: Logger; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void raw.push(line) });
  return { logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}
