/**
 * The databases the audit tests run on: the embedded PGlite always, and a real PostgreSQL too when
 * DOCKET_TEST_POSTGRES_URL names one (a server the tests may create and drop databases on; .ci/run sets
 * it when PostgreSQL is installed). Each call gets a fresh, migrated, empty database. PGlite serves one
 * database, so a test file shares one embedded server and each call empties it (its schema dropped and
 * migrated again): a server start costs seconds, a fresh schema a fraction of one.
 */
import { randomBytes } from 'node:crypto';
import {
  createDatabase,
  migrate,
  startEmbeddedDatabase,
  type Database,
  type EmbeddedDatabase,
} from '../../db';

export interface AuditTestDatabase {
  db: Database;
  url: string;
  close(): Promise<void>;
}

export type DatabaseFlavour = [name: string, start: () => Promise<AuditTestDatabase>];

export function auditTestDatabases(): DatabaseFlavour[] {
  const flavours: DatabaseFlavour[] = [['PGlite', freshEmbeddedDatabase]];
  const postgres = process.env.DOCKET_TEST_POSTGRES_URL;
  if (postgres) flavours.push(['PostgreSQL', () => startPostgresDatabase(postgres)]);
  return flavours;
}

/** The test file's embedded server, started on first use and stopped after the file's last test. */
let embedded: Promise<EmbeddedDatabase> | null = null;
afterAll(async () => {
  await (await embedded)?.close();
});

async function freshEmbeddedDatabase(): Promise<AuditTestDatabase> {
  embedded ??= startEmbeddedDatabase({ port: 0 });
  const { url } = await embedded;
  const db = await createDatabase({ url });
  await db.query('DROP SCHEMA public CASCADE');
  await db.query('CREATE SCHEMA public');
  await migrate(db);
  return { db, url, close: () => db.close() };
}

async function startPostgresDatabase(serverUrl: string): Promise<AuditTestDatabase> {
  const name = `docket_audit_${randomBytes(6).toString('hex')}`;
  const admin = await createDatabase({ url: serverUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = await createDatabase({ url: url.toString(), max: 4 });
  await migrate(db);
  return {
    db,
    url: url.toString(),
    async close() {
      await db.close();
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** Runs `statements` with the append-only triggers off: what someone with the table owner's rights can do. */
export async function tamper(db: Database, ...statements: string[]): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.query('ALTER TABLE audit_log DISABLE TRIGGER USER');
    for (const sql of statements) await tx.query(sql);
    await tx.query('ALTER TABLE audit_log ENABLE TRIGGER USER');
  });
}
