/**
 * Counts what Docket asks of its database, for the benchmark: statements, transactions and the time
 * callers spent waiting on them (a transaction's time includes waiting for a pool connection and for
 * the embedded server, which runs one transaction at a time).
 */
import type { Database } from '../db';

export interface DbCounts {
  queries: number;
  transactions: number;
  /** Summed over callers: ms from asking to the answer (statements outside transactions). */
  queryMs: number;
  /** Summed over callers: ms from asking for a connection to COMMIT. */
  transactionMs: number;
  /** Statements by their first words (e.g. `SELECT sealed FROM pseudonym_mappings`), across transactions too. */
  bySql: Record<string, number>;
}

const empty = (): DbCounts => ({ queries: 0, transactions: 0, queryMs: 0, transactionMs: 0, bySql: {} });

/** A statement's first words, its parameters left out: enough to tell who asked. */
function label(sql: string): string {
  return sql.replace(/\s+/g, ' ').trim().slice(0, 60);
}

export function meteredDatabase(db: Database): { db: Database; take(): DbCounts } {
  let counts = empty();
  const count = (sql: string) => {
    counts.queries += 1;
    counts.bySql[label(sql)] = (counts.bySql[label(sql)] ?? 0) + 1;
  };
  const metered: Database = {
    async query(sql, params) {
      const t0 = performance.now();
      count(sql);
      try {
        return await db.query(sql, params);
      } finally {
        counts.queryMs += performance.now() - t0;
      }
    },
    async transaction(fn, options) {
      const t0 = performance.now();
      counts.transactions += 1;
      try {
        return await db.transaction(
          (tx) =>
            fn({
              query(sql, params) {
                count(sql);
                return tx.query(sql, params);
              },
            }),
          options,
        );
      } finally {
        counts.transactionMs += performance.now() - t0;
      }
    },
    close: () => db.close(),
  };
  return {
    db: metered,
    /** The counts since the last take. */
    take() {
      const taken = counts;
      counts = empty();
      return taken;
    },
  };
}
