import {
  appendAudit,
  appendAuditBatch,
  appendAuditWithin,
  auditHash,
  ChainHeadMemo,
  GENESIS_HASH,
  readWorkflowAudit,
  verifyAuditChain,
  type AuditRow,
} from '../../audit';
import { createDatabase } from '../../db';
import { auditTestDatabases, tamper, type AuditTestDatabase } from './audit-databases';
import { recordingDatabase } from './support';

describe.each(auditTestDatabases())('audit chain on %s', (_name, start) => {
  let database: AuditTestDatabase;

  beforeEach(async () => {
    database = await start();
  });
  afterEach(async () => {
    await database?.close();
  });

  it('records an action once however often it is appended, and links each row to the one before', async () => {
    const { db } = database;
    const first = await appendAudit(db, {
      workflowId: 'wf-1',
      actionId: 'run-1:lookupClient:3',
      kind: 'tool_call',
      data: { tool: 'lookupClient', attempt: 1 },
    });
    const again = await appendAudit(db, {
      workflowId: 'wf-1',
      actionId: 'run-1:lookupClient:3',
      kind: 'tool_call',
      data: { tool: 'lookupClient', attempt: 2 },
    });
    const sameActionElsewhere = await appendAudit(db, {
      workflowId: 'wf-2',
      actionId: 'run-1:lookupClient:3',
      kind: 'tool_call',
      data: { tool: 'lookupClient', attempt: 1 },
    });

    expect(first.appended).toBe(true);
    expect(first.row).toMatchObject({ seq: 1, prevHash: GENESIS_HASH, data: { attempt: 1 } });
    expect(again).toEqual({ appended: false, row: first.row });
    expect(sameActionElsewhere.appended).toBe(true);
    expect(sameActionElsewhere.row).toMatchObject({ seq: 2, prevHash: first.row.hash });
    expect(await verifyAuditChain(db)).toEqual({
      ok: true,
      rows: 2,
      head: { seq: 2, hash: sameActionElsewhere.row.hash },
    });
  });

  it('keeps one valid chain when 20 appenders write at once through 4 separate pools', async () => {
    const pools = await Promise.all(
      Array.from({ length: 4 }, () => createDatabase({ url: database.url, max: 4 })),
    );
    try {
      const appends = Array.from({ length: 20 }, (_, i) =>
        appendAudit(pools[i % 4], {
          workflowId: `wf-${i % 3}`,
          actionId: `action-${i}`,
          kind: 'model_call',
          data: { i, pool: i % 4 },
        }),
      );
      const deadline = new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('appenders did not finish in 20 s: deadlocked?')), 20_000).unref(),
      );
      const results = await Promise.race([Promise.all(appends), deadline]);

      expect(results.every((r) => r.appended)).toBe(true);
      expect(results.map((r) => r.row.seq).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 20 }, (_, i) => i + 1),
      );
      expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 20 });
      // Retries of the same 20 actions, again all at once: nothing new.
      const retries = await Promise.all(
        Array.from({ length: 20 }, (_, i) =>
          appendAudit(pools[(i + 1) % 4], {
            workflowId: `wf-${i % 3}`,
            actionId: `action-${i}`,
            kind: 'model_call',
            data: { i, retry: true },
          }),
        ),
      );
      expect(retries.some((r) => r.appended)).toBe(false);
      expect(await verifyAuditChain(database.db, { batchSize: 7 })).toMatchObject({ ok: true, rows: 20 });
    } finally {
      await Promise.all(pools.map((pool) => pool.close()));
    }
  });

  it('appends a batch in order: an action already recorded, or twice in the batch, is recorded once', async () => {
    const { db } = database;
    const earlier = await appendAudit(db, { workflowId: 'wf', actionId: 'a', kind: 'tool_call', data: {} });
    const results = await appendAuditBatch(db, [
      { workflowId: 'wf', actionId: 'b', kind: 'model_call', data: { n: 1 } },
      { workflowId: 'wf', actionId: 'a', kind: 'tool_call', data: { again: true } },
      { workflowId: 'wf', actionId: 'c', kind: 'model_call', data: { n: 2 } },
      { workflowId: 'wf', actionId: 'b', kind: 'model_call', data: { n: 3 } },
    ]);
    expect(results.map((r) => [r.row.actionId, r.row.seq, r.appended])).toEqual([
      ['b', 2, true],
      ['a', 1, false],
      ['c', 3, true],
      ['b', 2, false],
    ]);
    expect(results[1].row).toEqual(earlier.row);
    expect(results[2].row.prevHash).toBe(results[0].row.hash);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 3 });
  });

  it('writes after a transaction that took the next seq first, once that transaction commits', async () => {
    const { db } = database;
    await appendAudit(db, { workflowId: 'wf', actionId: 'first', kind: 'tool_call', data: {} });
    const other = await createDatabase({ url: database.url, max: 2 });
    try {
      let commit!: () => void;
      const committed = new Promise<void>((resolve) => (commit = resolve));
      let inTransaction!: () => void;
      const holding = new Promise<void>((resolve) => (inTransaction = resolve));
      // An erasure's transaction appends seq 2 and stays open...
      const erasure = other.transaction(
        async (tx) => {
          const result = await appendAuditWithin(tx, {
            workflowId: 'wf',
            actionId: 'erasure-1',
            kind: 'erasure',
            data: {},
          });
          inTransaction();
          await committed;
          return result;
        },
        { isolation: 'read committed' },
      );
      await holding;
      // ...while another appender reads the head (seq 1: the erasure's row is not committed) and writes
      // seq 2 too, which waits for the erasure (PostgreSQL), or waits to run at all (the embedded server).
      const late = appendAudit(db, { workflowId: 'wf', actionId: 'late', kind: 'tool_call', data: {} });
      await new Promise((resolve) => setTimeout(resolve, 300));
      commit();
      expect((await erasure).row.seq).toBe(2);
      // It lost seq 2, read the head again and appended after the erasure.
      expect(await late).toMatchObject({ appended: true, row: { seq: 3, actionId: 'late' } });
      expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 3 });
    } finally {
      await other.close();
    }
  });

  it('appends after the row it wrote last in one statement, and reads the head again once another wrote', async () => {
    const { db, statements } = recordingDatabase(database.db);
    const memo = new ChainHeadMemo();
    const entry = (actionId: string) => ({
      workflowId: 'wf',
      actionId,
      kind: 'tool_call' as const,
      data: {},
    });

    await appendAuditBatch(db, [entry('a')], memo);
    expect(statements).toHaveLength(2); // the head and the insert
    statements.length = 0;
    const [b] = await appendAuditBatch(db, [entry('b'), entry('c')], memo);
    expect(statements).toEqual([expect.stringMatching(/^INSERT INTO audit_log/)]);
    expect(b.row.seq).toBe(2);

    // Another appender (another worker) writes seq 4: this one's insert after seq 3 fails whole, it reads the
    // head and appends after the other's row.
    const other = await appendAudit(database.db, entry('other'));
    const [d] = await appendAuditBatch(db, [entry('d')], memo);
    expect(d).toMatchObject({ appended: true, row: { seq: 5, prevHash: other.row.hash } });
    // An action recorded before is found whichever way the append goes.
    const [again] = await appendAuditBatch(db, [entry('b')], memo);
    expect(again).toEqual({ appended: false, row: b.row });
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 5 });
  });

  it('never dates a row before the row it follows, whoever wrote that one', async () => {
    const { db } = database;
    const memo = new ChainHeadMemo();
    const first = await appendAudit(db, { workflowId: 'wf', actionId: 'a', kind: 'tool_call', data: {} });
    // A row from a host whose clock runs an hour ahead.
    const ahead = new Date(Date.parse(first.row.at) + 3_600_000).toISOString().replace('Z', '000Z');
    const unhashed = { ...first.row, seq: 2, actionId: 'ahead', at: ahead, prevHash: first.row.hash };
    await db.query(
      `INSERT INTO audit_log (seq, workflow_id, action_id, kind, at, data, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [2, 'wf', 'ahead', 'tool_call', ahead, '{}', first.row.hash, auditHash(unhashed)],
    );
    const [read] = await appendAuditBatch(
      db,
      [{ workflowId: 'wf', actionId: 'b', kind: 'tool_call', data: {} }],
      memo,
    );
    const [known] = await appendAuditBatch(
      db,
      [{ workflowId: 'wf', actionId: 'c', kind: 'tool_call', data: {} }],
      memo,
    );
    expect(read.row.at).toBe(ahead);
    expect(known.row.at).toBe(ahead);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, rows: 4 });
  });

  it('stores awkward values so that their hashes still recompute from the table', async () => {
    const data = {
      numbers: [0, -0, 1.0, 0.1 + 0.2, 1e21, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2],
      text: 'naïve café ☃ 😀 "quoted" \\ back\nslash \u0000 nul \ud800 lone',
      nested: { z: [{ b: null, a: true }], a: { '': 'empty key', '1': 'numeric key' } },
      dropped: undefined,
    };
    await appendAudit(database.db, { workflowId: 'wf', actionId: 'a', kind: 'gate_result', data });
    const { rows, verified } = await readWorkflowAudit(database.db, 'wf');
    expect(verified).toBe(true);
    expect(rows[0].data).toEqual({
      ...data,
      numbers: [0, 0, 1, 0.30000000000000004, 1e21, 5e-324, -1.7976931348623157e308, 2 ** 53 + 2],
      text: 'naïve café ☃ 😀 "quoted" \\ back\nslash \uFFFD nul \uFFFD lone',
      dropped: undefined,
    });
    expect(rows[0].at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 1 });
  });

  it('refuses to update, delete or truncate rows', async () => {
    await appendAudit(database.db, { workflowId: 'wf', actionId: 'a', kind: 'case_filed', data: {} });
    for (const sql of [
      "UPDATE audit_log SET data = '{}'::jsonb",
      'DELETE FROM audit_log',
      'TRUNCATE audit_log',
    ]) {
      await expect(database.db.query(sql)).rejects.toThrow(/audit_log is append-only/);
    }
    expect(await verifyAuditChain(database.db)).toMatchObject({ ok: true, rows: 1 });
  });

  describe("a workflow's trail", () => {
    async function chainOf(count: number): Promise<AuditRow[]> {
      const rows: AuditRow[] = [];
      for (let i = 0; i < count; i++) {
        const workflowId = i % 2 === 0 ? 'wf-even' : 'wf-odd';
        const { row } = await appendAudit(database.db, {
          workflowId,
          actionId: `action-${i}`,
          kind: 'tool_call',
          data: { i },
        });
        rows.push(row);
      }
      return rows;
    }

    it("is the workflow's rows in order, verified with the links to their neighbours", async () => {
      const rows = await chainOf(6);
      const trail = await readWorkflowAudit(database.db, 'wf-odd');
      expect(trail).toEqual({
        workflowId: 'wf-odd',
        rows: [rows[1], rows[3], rows[5]],
        verified: true,
        problems: [],
      });
      expect(await readWorkflowAudit(database.db, 'nobody')).toEqual({
        workflowId: 'nobody',
        rows: [],
        verified: true,
        problems: [],
      });
    });

    it('is not verified when one of its rows was edited, or when a row was deleted anywhere', async () => {
      await chainOf(6);
      await tamper(database.db, `UPDATE audit_log SET data = '{"i": 99}' WHERE seq = 4`);
      expect(await readWorkflowAudit(database.db, 'wf-odd')).toMatchObject({
        verified: false,
        problems: [{ seq: 4, problem: expect.stringMatching(/^hash mismatch/) }],
      });
      expect((await readWorkflowAudit(database.db, 'wf-even')).verified).toBe(true);

      // A row of wf-odd sandwiched between two of wf-even's: wf-even's links show the hole, and the
      // chain-wide count shows it to wf-odd, whose remaining rows are intact.
      await tamper(database.db, 'DELETE FROM audit_log WHERE seq = 2');
      const even = await readWorkflowAudit(database.db, 'wf-even');
      expect(even.verified).toBe(false);
      expect(even.problems).toEqual(
        expect.arrayContaining([
          { seq: 1, problem: 'gap in seq: there is no row 2 after this one' },
          { seq: 3, problem: 'gap in seq: there is no row 2 before this one' },
        ]),
      );
      const odd = await readWorkflowAudit(database.db, 'wf-odd');
      expect(odd.verified).toBe(false);
      expect(odd.problems).toContainEqual({ seq: null, problem: expect.stringMatching(/rows are missing/) });
    });
  });
});
