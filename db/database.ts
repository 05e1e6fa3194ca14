import { Pool, type QueryResult, type QueryResultRow } from 'pg';
import type { Logger } from '../config';

/** Anything that runs SQL: the database itself, or the one connection of a transaction. */
export interface Queryable {
  query<T extends QueryResultRow = QueryResultRow>(sql: string, params?: unknown[]): Promise<QueryResult<T>>;
}

/** A thin wrapper over a `pg.Pool`; the same code talks to PostgreSQL and to the embedded PGlite server. */
export interface Database extends Queryable {
  /**
   * Runs `fn` inside BEGIN … COMMIT on one connection (ROLLBACK when it throws). Inside `fn`, query
   * through `tx` only: the embedded server serialises every connection behind an open transaction, so a
   * query on another connection would wait for a COMMIT that never comes.
   */
  transaction<T>(fn: (tx: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

export interface TransactionOptions {
  /**
   * Set in the BEGIN itself rather than by a statement of its own: one round trip less, which counts on
   * the hot paths (the audit trail appends under READ COMMITTED for every action).
   */
  isolation?: 'read committed';
}

export interface CreateDatabaseOptions {
  url: string;
  logger?: Logger;
  /**
   * Pool size. Small by default: the embedded server runs one query at a time whatever the number of
   * connections, and it is shared by the worker and the API. Raise it for PostgreSQL under load.
   */
  max?: number;
}

const DEFAULT_POOL_SIZE = 4;

/** Connects (and checks the connection once, so a wrong URL fails at start rather than at first use). */
export async function createDatabase({
  url,
  logger,
  max = DEFAULT_POOL_SIZE,
}: CreateDatabaseOptions): Promise<Database> {
  const pool = new Pool({ connectionString: url, max, connectionTimeoutMillis: 10_000 });
  // An idle connection that dies (server restart) emits 'error' on the pool; unhandled, it ends the process.
  pool.on('error', (err) => logger?.warn({ err: err.message }, 'idle database connection failed'));
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    throw err;
  }

  return {
    query: (sql, params) => pool.query(sql, params),
    async transaction(fn, options) {
      const client = await pool.connect();
      try {
        await client.query(options?.isolation ? 'BEGIN ISOLATION LEVEL READ COMMITTED' : 'BEGIN');
        const result = await fn({ query: (sql, params) => client.query(sql, params) });
        await client.query('COMMIT');
        client.release();
        return result;
      } catch (err) {
        // A connection whose ROLLBACK failed is in an unknown state: destroy it rather than reuse it.
        const rollbackError = await client.query('ROLLBACK').then(
          () => undefined,
          (e: unknown) => (e instanceof Error ? e : new Error(String(e))),
        );
        client.release(rollbackError);
        throw err;
      }
    },
    close: () => pool.end(),
  };
}
