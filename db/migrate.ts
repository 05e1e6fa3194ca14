import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../config';
import type { Database } from './database';

/** One `NNN_name.sql` file from the migrations folder. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Read at run time, next to this file (tsx and jest run the sources in place). */
export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

const FILE_PATTERN = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/**
 * Serialises migrate() across processes (worker and API start together). A transaction-level advisory
 * lock is released by COMMIT or ROLLBACK, so a crashed migrator cannot leave it held. On the embedded
 * server the open transaction alone already holds the other connections back; the lock is for PostgreSQL.
 */
const MIGRATION_LOCK_KEY = 7_302_611;

const CREATE_MIGRATIONS_TABLE = `
  CREATE TABLE IF NOT EXISTS schema_migrations (
    version    integer PRIMARY KEY,
    name       text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  )`;

/** The migrations in `dir`, in version order; a misnamed .sql file or a repeated version is an error. */
export function readMigrations(dir: string = MIGRATIONS_DIR): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = FILE_PATTERN.exec(file);
      if (!match) throw new Error(`migration file ${file} must be named NNN_name.sql (lowercase, digits, _)`);
      return { version: Number(match[1]), name: match[2], sql: readFileSync(path.join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1].version === m.version)
      throw new Error(`two migrations have version ${m.version}`);
  });
  return migrations;
}

/**
 * Applies the migrations not yet recorded in `schema_migrations`, in order, each in its own transaction
 * with its record, so a failing migration leaves nothing half-applied. Returns those applied by this
 * call: empty when the schema was already current (or another process got there first).
 */
export async function migrate(
  db: Database,
  logger?: Logger,
  options: { dir?: string } = {},
): Promise<Migration[]> {
  const migrations = readMigrations(options.dir);
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await tx.query(CREATE_MIGRATIONS_TABLE);
  });

  const applied: Migration[] = [];
  for (const migration of migrations) {
    const ran = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      // Checked under the lock: another process may have applied it while this one waited.
      const done = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [migration.version]);
      if (done.rowCount) return false;
      await tx.query(migration.sql);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (ran) {
      applied.push(migration);
      logger?.info({ version: migration.version, migration: migration.name }, 'migration applied');
    }
  }
  if (applied.length === 0) logger?.debug({ migrations: migrations.length }, 'database schema is current');
  return applied;
}
