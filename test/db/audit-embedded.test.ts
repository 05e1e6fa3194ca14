/**
 * What the audit trail needs from the embedded database: its appends are transactions, running beside
 * every other query of the worker and the API. pglite-socket shares PGlite's one session between
 * connections message by message; db/embedded-exchanges.ts keeps each connection's exchange whole.
 */
import { Client } from 'pg';
import { appendAudit, verifyAuditChain } from '../../audit';
import {
  createDatabase,
  migrate,
  startEmbeddedDatabase,
  type Database,
  type EmbeddedDatabase,
} from '../../db';

let embedded: EmbeddedDatabase;
let pools: Database[];

beforeAll(async () => {
  embedded = await startEmbeddedDatabase({ port: 0 });
  pools = await Promise.all([1, 2, 3].map(() => createDatabase({ url: embedded.url, max: 4 })));
  await migrate(pools[0]);
});
afterAll(async () => {
  await Promise.all((pools ?? []).map((pool) => pool.close()));
  await embedded?.close();
});

function within<T>(ms: number, work: Promise<T>): Promise<T> {
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`not done in ${ms} ms: the embedded server hangs`)), ms).unref(),
  );
  return Promise.race([work, deadline]);
}

describe('the embedded database under transactions and queries at once', () => {
  it('answers every query of every connection with its own statement, transactions or not', async () => {
    const outcomes = await within(
      30_000,
      Promise.allSettled(
        Array.from({ length: 300 }, async (_, i) => {
          const pool = pools[i % 3];
          if (i % 3 === 0) {
            return pool.transaction(async (tx) => {
              const a = await tx.query<{ v: string }>(`SELECT 'tx:' || $1::text AS v`, [i]);
              const b = await tx.query<{ v: string }>('SELECT $1::text || $2::text AS v', [a.rows[0].v, '!']);
              return [b.rows[0].v, `tx:${i}!`];
            });
          }
          const { rows } = await pool.query<{ v: string }>(`SELECT 'q' || $1::text || ':' || $2::text AS v`, [
            i % 7,
            i,
          ]);
          return [rows[0].v, `q${i % 7}:${i}`];
        }),
      ),
    );
    const failed = outcomes.filter((o) => o.status === 'rejected');
    expect(failed).toEqual([]);
    for (const outcome of outcomes) {
      if (outcome.status === 'fulfilled') expect(outcome.value[0]).toBe(outcome.value[1]);
    }
  });

  it('keeps one chain while appends run beside the queries of other connections', async () => {
    const work = Array.from({ length: 60 }, (_, i) =>
      i % 2 === 0
        ? appendAudit(pools[i % 3], {
            workflowId: `wf-${i % 4}`,
            actionId: `mixed-${i}`,
            kind: 'tool_call',
            data: { i },
          }).then(({ appended }) => appended)
        : pools[i % 3]
            .query<{ n: string }>('SELECT count(*)::text AS n FROM audit_log WHERE workflow_id = $1', [
              `wf-${i % 4}`,
            ])
            .then(({ rows }) => Number(rows[0].n) >= 0),
    );
    expect(await within(30_000, Promise.all(work))).toEqual(work.map(() => true));
    expect(await verifyAuditChain(pools[0])).toMatchObject({ ok: true, rows: 30 });
  });

  it('gives the session back when a connection dies inside its transaction', async () => {
    const doomed = new Client({ connectionString: embedded.url });
    await doomed.connect();
    doomed.on('error', () => undefined);
    await doomed.query('BEGIN');
    await doomed.query('SELECT $1::int AS n', [1]);
    const waiting = pools[1].query<{ n: number }>('SELECT $1::int AS n', [2]);
    // The socket goes away without COMMIT, ROLLBACK or a goodbye.
    (doomed as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
    expect((await within(10_000, waiting)).rows[0].n).toBe(2);
    expect(
      (
        await within(
          10_000,
          pools[2].transaction((tx) => tx.query('SELECT 1 AS one')),
        )
      ).rows,
    ).toEqual([{ one: 1 }]);
  });
});
