import type { Database, Queryable } from '../db';
import { toAuditJson, type JsonObject } from './canonical-json';
import { AuditKind, GENESIS_HASH, auditHash, type AuditRow } from './chain';
import { auditColumns, toAuditRow, utcText, type AuditDbRow } from './rows';

/** One completed action, to be appended. */
export interface AuditEntry {
  workflowId: string;
  /** Stable across retries and replays of the same action: a second append with it appends nothing. */
  actionId: string;
  kind: AuditKind;
  /** Any JSON-able object; stored as toAuditJson makes it. */
  data: Record<string, unknown>;
}

export interface AppendResult {
  /** The row as stored: the new one, or the one an earlier append of the same action wrote. */
  row: AuditRow;
  /** False when the action was already recorded (a retry, a replay, a second worker). */
  appended: boolean;
}

/**
 * Serialises appenders across every process that shares the database, so the chain stays one chain.
 * A transaction-level lock: COMMIT or ROLLBACK releases it, a crashed appender cannot keep it.
 * (The migrations use 7_302_611.) On the embedded server the open transaction alone already holds the
 * other connections back; the lock is what does it on PostgreSQL.
 */
const AUDIT_LOCK_KEY = 7_302_612;

const MAX_ID_LENGTH = 500;

/** The row already recorded for ($1 workflow id, $2 action id), if there is one. */
const ACTION_ROW = `SELECT ${auditColumns()} FROM audit_log WHERE workflow_id = $1 AND action_id = $2`;

/**
 * Appends one row to the audit chain, exactly once per (workflowId, actionId): under the audit lock it
 * returns the existing row when the action is already recorded, otherwise it reads the head of the
 * chain and inserts the next row (seq + 1, prev_hash = the head's hash) in the same transaction.
 */
export function appendAudit(db: Database, entry: AuditEntry): Promise<AppendResult> {
  const prepared = prepare(entry);
  return db.transaction(async (tx) => {
    // Each statement must see what the previous lock holder committed: READ COMMITTED (PostgreSQL's
    // default, set here in case a server's default is stricter).
    await tx.query('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    return appendLocked(tx, prepared);
  });
}

/**
 * appendAudit inside a transaction the caller already holds, for a change that must commit together
 * with its record (an erasure and its `erasure` row). The transaction must be READ COMMITTED; append
 * last, just before COMMIT, since every other appender waits for it from here on.
 */
export function appendAuditWithin(tx: Queryable, entry: AuditEntry): Promise<AppendResult> {
  return appendLocked(tx, prepare(entry));
}

interface PreparedEntry extends Omit<AuditEntry, 'data'> {
  data: JsonObject;
}

/** Validates and normalises outside the lock; a bad entry is a bug in the caller, reported as such. */
function prepare(entry: AuditEntry): PreparedEntry {
  for (const field of ['workflowId', 'actionId'] as const) {
    const value = entry[field];
    if (typeof value !== 'string' || value.length === 0 || value.length > MAX_ID_LENGTH) {
      throw new TypeError(`appendAudit: ${field} must be a string of 1 to ${MAX_ID_LENGTH} characters`);
    }
  }
  const kind = AuditKind.safeParse(entry.kind);
  if (!kind.success) throw new TypeError(`appendAudit: kind must be one of ${AuditKind.options.join(', ')}`);
  const data = toAuditJson(entry.data);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new TypeError('appendAudit: data must be an object');
  }
  return { workflowId: entry.workflowId, actionId: entry.actionId, kind: kind.data, data };
}

async function appendLocked(tx: Queryable, entry: PreparedEntry): Promise<AppendResult> {
  // The lock is a statement of its own: under READ COMMITTED a statement reads from the snapshot taken when it
  // began, so reads in the statement that waited for the lock would miss what the last holder committed.
  await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_LOCK_KEY]);
  // One round trip: this action's row if it is already recorded, else the head of the chain and the time.
  const { rows } = await tx.query<{
    existing: AuditDbRow | null;
    seq: string | null;
    hash: string | null;
    now: string;
  }>(
    `SELECT (SELECT to_jsonb(mine) FROM (${ACTION_ROW}) AS mine) AS existing,
            head.seq::text AS seq, head.hash, ${utcText('clock_timestamp()')} AS now
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1) AS head ON true`,
    [entry.workflowId, entry.actionId],
  );
  if (rows[0].existing) return { row: toAuditRow(rows[0].existing), appended: false };

  const head = rows[0];
  const unhashed: Omit<AuditRow, 'hash'> = {
    seq: head.seq === null ? 1 : Number(head.seq) + 1,
    workflowId: entry.workflowId,
    actionId: entry.actionId,
    kind: entry.kind,
    at: head.now,
    data: entry.data,
    prevHash: head.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...unhashed, hash: auditHash(unhashed) };
  // ON CONFLICT guards against a writer that skipped the lock; under it the check above already decided.
  const inserted = await tx.query(
    `INSERT INTO audit_log (seq, workflow_id, action_id, kind, at, data, prev_hash, hash)
     VALUES ($1, $2, $3, $4, $5::timestamptz, $6::jsonb, $7, $8)
     ON CONFLICT (workflow_id, action_id) DO NOTHING`,
    [
      row.seq,
      row.workflowId,
      row.actionId,
      row.kind,
      row.at,
      JSON.stringify(row.data),
      row.prevHash,
      row.hash,
    ],
  );
  if (inserted.rowCount === 1) return { row, appended: true };
  const raced = await tx.query<AuditDbRow>(ACTION_ROW, [entry.workflowId, entry.actionId]);
  return { row: toAuditRow(raced.rows[0]), appended: false };
}
