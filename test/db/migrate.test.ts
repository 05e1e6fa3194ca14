import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  createDatabase,
  migrate,
  readMigrations,
  startEmbeddedDatabase,
  type Database,
  type EmbeddedDatabase,
} from '../../db';

describe('migrate', () => {
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'docket-migrations-'));
  const servers: EmbeddedDatabase[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.close()));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /**
   * An empty embedded database, one per test: PGlite is a single database in a single session, so
   * CREATE DATABASE or a schema per test would not isolate anything.
   */
  async function freshServer(): Promise<EmbeddedDatabase> {
    const server = await startEmbeddedDatabase({ port: 0 });
    servers.push(server);
    return server;
  }
  async function freshDatabase(): Promise<Database> {
    return createDatabase({ url: (await freshServer()).url });
  }

  it('applies every migration once, in order, and records it', async () => {
    const db = await freshDatabase();
    const applied = await migrate(db);
    expect(applied.map((m) => m.version)).toEqual(readMigrations().map((m) => m.version));
    const { rows } = await db.query<{ version: number; name: string }>(
      'SELECT version, name FROM schema_migrations ORDER BY applied_at, version',
    );
    expect(rows).toEqual(readMigrations().map(({ version, name }) => ({ version, name })));
    expect(rows.slice(0, 6)).toEqual([
      { version: 1, name: 'directory' },
      { version: 2, name: 'cases' },
      { version: 3, name: 'audit_log' },
      { version: 4, name: 'personal_data' },
      { version: 5, name: 'transcripts_and_token_windows' },
      { version: 6, name: 'demo_ehr' },
    ]);
    const tables = await db.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name",
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'adverse_parties',
      'audit_log',
      'cases',
      'clients',
      'ehr_allergies',
      'ehr_documents',
      'ehr_medications',
      'ehr_patients',
      'intakes',
      'limitation_rules',
      'matters',
      'model_token_windows',
      'pseudonym_mappings',
      'schema_migrations',
      'transcripts',
    ]);

    expect(await migrate(db)).toEqual([]);
    expect((await db.query('SELECT * FROM schema_migrations')).rowCount).toBe(readMigrations().length);
    await db.close();
  });

  it('applies each migration once when two processes migrate at the same time', async () => {
    const server = await freshServer();
    const [first, second] = await Promise.all([
      createDatabase({ url: server.url }),
      createDatabase({ url: server.url }),
    ]);
    const [a, b] = await Promise.all([migrate(first), migrate(second)]);
    const versions = readMigrations().map((m) => m.version);
    expect([...a, ...b].map((m) => m.version).sort((x, y) => x - y)).toEqual(versions);
    expect((await first.query('SELECT * FROM schema_migrations')).rowCount).toBe(versions.length);
    await Promise.all([first.close(), second.close()]);
  });

  it('rolls back a failing migration, records nothing for it, and applies it once fixed', async () => {
    const dir = path.join(tmp, 'failing');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir);
    writeFileSync(path.join(dir, '001_first.sql'), 'CREATE TABLE first_table (id integer);');
    writeFileSync(path.join(dir, '002_broken.sql'), 'CREATE TABLE second_table (id integer);\nSELECT 1 / 0;');
    const db = await freshDatabase();

    await expect(migrate(db, undefined, { dir })).rejects.toThrow(/division by zero/);
    const recorded = await db.query<{ version: number }>('SELECT version FROM schema_migrations');
    expect(recorded.rows).toEqual([{ version: 1 }]);
    const second = await db.query("SELECT to_regclass('second_table') AS t");
    expect(second.rows[0].t).toBeNull();

    writeFileSync(path.join(dir, '002_broken.sql'), 'CREATE TABLE second_table (id integer);');
    expect((await migrate(db, undefined, { dir })).map((m) => m.name)).toEqual(['broken']);
    await db.close();
  });

  it('refuses a migration file that is not named NNN_name.sql', () => {
    const dir = path.join(tmp, 'misnamed');
    mkdirSync(dir);
    writeFileSync(path.join(dir, '1-init.sql'), 'SELECT 1;');
    expect(() => readMigrations(dir)).toThrow(/NNN_name\.sql/);
  });
});
