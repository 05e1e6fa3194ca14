import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatabase, migrate, seed, startEmbeddedDatabase, type EmbeddedDatabase } from '../../db';

describe('embedded database over pglite-socket', () => {
  let embedded: EmbeddedDatabase;

  beforeAll(async () => {
    embedded = await startEmbeddedDatabase({ port: 0 });
  });
  afterAll(async () => {
    await embedded.close();
  });

  it('serves an in-memory PGlite to pg on a free loopback port', async () => {
    expect(embedded.port).toBeGreaterThan(0);
    expect(embedded.url).toBe(`postgres://postgres:postgres@127.0.0.1:${embedded.port}/postgres`);
    const db = await createDatabase({ url: embedded.url });
    const { rows } = await db.query<{ version: string }>('SELECT version()');
    expect(rows[0].version).toMatch(/PostgreSQL 18.*PGlite/);
    await db.close();
  });

  it('commits a transaction and rolls back one that throws', async () => {
    const db = await createDatabase({ url: embedded.url });
    await db.query('CREATE TABLE tx_probe (n integer)');
    const committed = await db.transaction(async (tx) => {
      await tx.query('INSERT INTO tx_probe VALUES (1)');
      return 'done';
    });
    expect(committed).toBe('done');
    await expect(
      db.transaction(async (tx) => {
        await tx.query('INSERT INTO tx_probe VALUES (2)');
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    const { rows } = await db.query<{ n: number }>('SELECT n FROM tx_probe ORDER BY n');
    expect(rows).toEqual([{ n: 1 }]);
    await db.close();
  });

  it('keeps other connections out of an open transaction until it commits', async () => {
    const db = await createDatabase({ url: embedded.url, max: 2 });
    const other = await createDatabase({ url: embedded.url, max: 1 });
    await db.query('CREATE TABLE isolation_probe (n integer)');
    const events: string[] = [];
    let outside: Promise<number> | undefined;
    await db.transaction(async (tx) => {
      await tx.query('INSERT INTO isolation_probe VALUES (1)');
      outside = other.query<{ n: string }>('SELECT count(*) AS n FROM isolation_probe').then(({ rows }) => {
        events.push('outside read');
        return Number(rows[0].n);
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      await tx.query('INSERT INTO isolation_probe VALUES (2)');
      events.push('commit');
    });
    expect(await outside).toBe(2);
    expect(events).toEqual(['commit', 'outside read']);
    await other.close();
    await db.close();
  });

  it('refuses to start a second server on a busy port', async () => {
    await expect(startEmbeddedDatabase({ port: embedded.port })).rejects.toThrow(/in use/);
  });
});

describe('embedded database with a data directory', () => {
  const parent = mkdtempSync(path.join(os.tmpdir(), 'docket-pglite-'));
  const dataDir = path.join(parent, 'nested', 'pglite');
  afterAll(() => rmSync(parent, { recursive: true, force: true }));

  it('creates the directory and keeps the data across a restart', async () => {
    const first = await startEmbeddedDatabase({ dataDir, port: 0 });
    const db1 = await createDatabase({ url: first.url });
    expect((await migrate(db1)).length).toBeGreaterThan(0);
    await seed(db1);
    await db1.query(
      `INSERT INTO cases (case_id, workflow_id, external_id, matter_type, queue, priority, summary)
       VALUES ('CASE-PERSIST', 'wf-persist', 'ext-1', 'other', 'general-intake', 'p3', 'kept')`,
    );
    await db1.close();
    await first.close();

    const second = await startEmbeddedDatabase({ dataDir, port: 0 });
    const db2 = await createDatabase({ url: second.url });
    expect(await migrate(db2)).toEqual([]);
    expect(await seed(db2)).toEqual({
      clients: 0,
      matters: 0,
      adverseParties: 0,
      limitationRules: 0,
      patients: 0,
    });
    const { rows } = await db2.query<{ summary: string }>(
      "SELECT summary FROM cases WHERE case_id = 'CASE-PERSIST'",
    );
    expect(rows).toEqual([{ summary: 'kept' }]);
    await db2.close();
    await second.close();
  });
});

describe('embedded database from a snapshot', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-pglite-snapshot-'));
  const snapshot = path.join(dir, 'database.tar');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts in memory from a saved copy, and the copy is not changed by the database started from it', async () => {
    const source = await startEmbeddedDatabase({ port: 0 });
    const db1 = await createDatabase({ url: source.url });
    await migrate(db1);
    await db1.query(
      `INSERT INTO cases (case_id, workflow_id, external_id, matter_type, queue, priority, summary)
       VALUES ('CASE-SNAP', 'wf-snap', 'ext-1', 'other', 'general-intake', 'p3', 'in the copy')`,
    );
    await db1.close();
    await source.saveSnapshot(snapshot);
    await source.close();

    for (const round of [1, 2]) {
      const copy = await startEmbeddedDatabase({ port: 0, snapshot });
      const db = await createDatabase({ url: copy.url });
      expect(await migrate(db)).toEqual([]);
      const { rows } = await db.query<{ summary: string }>('SELECT summary FROM cases ORDER BY case_id');
      // The first round's write lives in its memory only: the second starts from the copy as it was saved.
      expect(rows).toEqual([{ summary: 'in the copy' }]);
      await db.query(
        `INSERT INTO cases (case_id, workflow_id, external_id, matter_type, queue, priority, summary)
         VALUES ('CASE-ROUND-${round}', 'wf-round', 'ext-2', 'other', 'general-intake', 'p3', 'only here')`,
      );
      await db.close();
      await copy.close();
    }
  });

  it('refuses a data directory and a snapshot together, and names a snapshot it cannot read', async () => {
    await expect(startEmbeddedDatabase({ port: 0, dataDir: dir, snapshot })).rejects.toThrow(/not both/);
    await expect(startEmbeddedDatabase({ port: 0, snapshot: path.join(dir, 'missing.tar') })).rejects.toThrow(
      /missing\.tar/,
    );
  });
});
