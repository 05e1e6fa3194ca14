import type { Queryable } from '../db';
import { toAuditJson, type JsonObject } from './canonical-json';
import { AuditKind, GENESIS_HASH, auditHash, type AuditRow } from './chain';
import { auditColumns, toAuditRow, utcNowText, utcText, type AuditDbRow } from './rows';

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

const MAX_ID_LENGTH = 500;

/**
 * Times an append reads the head again after another appender took the seq it meant to write. Each loss
 * means someone else's rows landed, so the chain moves on however many write at once; past this many the
 * append fails and the caller (an activity) retries.
 */
const MAX_ATTEMPTS = 100;

/** PostgreSQL's unique_violation: the seq (or this action's row) was written meanwhile. */
const UNIQUE_VIOLATION = '23505';

/**
 * Appends one row to the audit chain, exactly once per (workflowId, actionId): the existing row when the
 * action is already recorded, otherwise the next row of the chain (seq + 1, prev_hash = the head's hash).
 */
export async function appendAudit(db: Queryable, entry: AuditEntry): Promise<AppendResult> {
  return (await appendAuditBatch(db, [entry]))[0];
}

/**
 * Appends rows to the audit chain in order, each exactly once per (workflowId, actionId), in two
 * statements and no transaction: one reads the rows already recorded for these actions and the head of
 * the chain, one inserts the new rows after the head. Appenders in any number of processes take no lock:
 * the seq is the primary key, so of two that read the same head one insert fails whole (a statement is
 * atomic), and that one reads the new head and tries again. The chain stays one chain, gap-free, and no
 * connection is held between the two statements (the embedded server serialises every connection behind
 * an open transaction).
 *
 * With a `memo` of the row this appender wrote last, the insert goes first, after that row: one statement
 * while no one else appends. It fails whole like a lost race when anyone did (the seq is taken) or when an
 * action is already recorded (the action is unique), and the append goes the two-statement way.
 */
export async function appendAuditBatch(
  db: Queryable,
  entries: readonly AuditEntry[],
  memo?: ChainHeadMemo,
): Promise<AppendResult[]> {
  const prepared = entries.map(prepare);
  const afterKnownHead = memo ? await appendAfterKnownHead(db, prepared, memo) : null;
  if (afterKnownHead) return afterKnownHead;
  return untilWon(
    async () => {
      const results = await appendOnce(db, prepared);
      memo?.wrote(results.filter((r) => r.appended).map((r) => r.row));
      return results;
    },
    // Spread the losers out, so that the next round has fewer of them.
    (attempt) => new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(50, 2 ** attempt))),
  );
}

/**
 * The rows inserted straight after the head `memo` remembers, in one statement; null when it remembers
 * none, or when the insert lost (the head moved, or an action is recorded already) and the append must
 * read the head.
 */
async function appendAfterKnownHead(
  db: Queryable,
  entries: readonly PreparedEntry[],
  memo: ChainHeadMemo,
): Promise<AppendResult[] | null> {
  const known = memo.take();
  if (!known) return null;
  const { results, fresh } = chain(entries, known, new Map(), laterOf(utcNowText(), known.at));
  try {
    await insertRows(db, fresh);
  } catch (err) {
    if (!isUniqueViolation(err)) throw err;
    memo.lost();
    return null;
  }
  memo.wrote(fresh);
  return results;
}

/** The head of the chain as an appender left it: the last row it wrote. */
type ChainHead = Pick<AuditRow, 'seq' | 'hash' | 'at'>;

/**
 * What one appender knows of the chain's head: the last row it wrote, for its next append to insert after
 * without reading the head first. After the head turned out to have moved (another appender wrote), the
 * next appends read it first, as appenders without a memo do, so that appenders taking turns do not each
 * pay a failed insert every time.
 */
export class ChainHeadMemo {
  private head: ChainHead | null = null;
  private readFirst = 0;

  /** The head to insert after, or null when this append should read it. */
  take(): ChainHead | null {
    if (this.readFirst > 0) {
      this.readFirst -= 1;
      return null;
    }
    return this.head;
  }

  wrote(rows: readonly AuditRow[]): void {
    const last = rows[rows.length - 1];
    if (last) this.head = { seq: last.seq, hash: last.hash, at: last.at };
  }

  lost(): void {
    this.head = null;
    this.readFirst = APPENDS_READING_AFTER_A_LOSS;
  }
}

/** Appends that read the head first after an insert after a remembered head failed. */
const APPENDS_READING_AFTER_A_LOSS = 20;

/**
 * appendAudit inside a transaction the caller already holds, for a change that must commit together
 * with its record (an erasure and its `erasure` row). Each attempt runs under a savepoint, so a lost
 * race undoes the attempt alone; the transaction must be READ COMMITTED (each attempt reads the head
 * other appenders committed). Append last, just before COMMIT: from the insert on, the next appender
 * waits for this transaction.
 */
export async function appendAuditWithin(tx: Queryable, entry: AuditEntry): Promise<AppendResult> {
  const prepared = [prepare(entry)];
  return untilWon(async () => {
    await tx.query('SAVEPOINT audit_append');
    try {
      const [result] = await appendOnce(tx, prepared);
      await tx.query('RELEASE SAVEPOINT audit_append');
      return result;
    } catch (err) {
      await tx.query('ROLLBACK TO SAVEPOINT audit_append');
      throw err;
    }
  });
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

/** Runs `attempt` again while it loses races (a unique violation), up to MAX_ATTEMPTS times. */
async function untilWon<T>(
  attempt: () => Promise<T>,
  beforeRetry?: (attempts: number) => Promise<unknown>,
): Promise<T> {
  for (let attempts = 1; ; attempts += 1) {
    try {
      return await attempt();
    } catch (err) {
      if (!isUniqueViolation(err) || attempts >= MAX_ATTEMPTS) throw err;
      await beforeRetry?.(attempts);
    }
  }
}

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === UNIQUE_VIOLATION;
}

const key = (workflowId: string, actionId: string) => JSON.stringify([workflowId, actionId]);

/**
 * One attempt: the rows already recorded for these actions, the head and the time in one statement, then
 * the new rows in one INSERT. Throws the insert's unique violation when another appender got there first.
 */
async function appendOnce(q: Queryable, entries: readonly PreparedEntry[]): Promise<AppendResult[]> {
  const { rows } = await q.query<{
    existing: AuditDbRow[];
    seq: string | null;
    hash: string | null;
    at: string | null;
    now: string;
  }>(
    `SELECT (SELECT coalesce(jsonb_agg(to_jsonb(mine)), '[]'::jsonb) FROM (
               SELECT ${auditColumns()} FROM audit_log
                WHERE (workflow_id, action_id) IN (SELECT * FROM unnest($1::text[], $2::text[]))) AS mine
            ) AS existing,
            head.seq::text AS seq, head.hash, ${utcText('head.at')} AS at,
            ${utcText('clock_timestamp()')} AS now
       FROM (SELECT 1) AS one
       LEFT JOIN (SELECT seq, hash, at FROM audit_log ORDER BY seq DESC LIMIT 1) AS head ON true`,
    [entries.map((e) => e.workflowId), entries.map((e) => e.actionId)],
  );
  const { seq, hash, at, now } = rows[0];
  const recorded = new Map<string, AuditRow>(
    rows[0].existing.map((row) => [key(row.workflow_id, row.action_id), toAuditRow(row)]),
  );
  const head = seq === null ? { seq: 0, hash: GENESIS_HASH } : { seq: Number(seq), hash: hash! };
  const { results, fresh } = chain(entries, head, recorded, at === null ? now : laterOf(now, at));
  if (fresh.length > 0) await insertRows(q, fresh);
  return results;
}

/**
 * The rows that `entries` add after `head`, all dated `at`; an action in `recorded` (or earlier in the
 * batch) is recorded already and gets its row back instead.
 */
function chain(
  entries: readonly PreparedEntry[],
  head: Pick<AuditRow, 'seq' | 'hash'>,
  recorded: Map<string, AuditRow>,
  at: string,
): { results: AppendResult[]; fresh: AuditRow[] } {
  const results: AppendResult[] = [];
  const fresh: AuditRow[] = [];
  let previous = head;
  for (const entry of entries) {
    const earlier = recorded.get(key(entry.workflowId, entry.actionId));
    if (earlier) {
      results.push({ row: earlier, appended: false });
      continue;
    }
    const unhashed: Omit<AuditRow, 'hash'> = {
      seq: previous.seq + 1,
      workflowId: entry.workflowId,
      actionId: entry.actionId,
      kind: entry.kind,
      at,
      data: entry.data,
      prevHash: previous.hash,
    };
    const row: AuditRow = { ...unhashed, hash: auditHash(unhashed) };
    previous = row;
    // The same action twice in one batch: recorded once, the second finds the first.
    recorded.set(key(row.workflowId, row.actionId), row);
    fresh.push(row);
    results.push({ row, appended: true });
  }
  return { results, fresh };
}

async function insertRows(q: Queryable, rows: readonly AuditRow[]): Promise<void> {
  if (rows.length === 0) return;
  await q.query(
    `INSERT INTO audit_log (seq, workflow_id, action_id, kind, at, data, prev_hash, hash)
     SELECT * FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[],
                          $7::text[], $8::text[])`,
    [
      rows.map((r) => r.seq),
      rows.map((r) => r.workflowId),
      rows.map((r) => r.actionId),
      rows.map((r) => r.kind),
      rows.map((r) => r.at),
      rows.map((r) => JSON.stringify(r.data)),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ],
  );
}

/** The later of two `at` texts (same format, so the text order is the time order). */
function laterOf(a: string, b: string): string {
  return a > b ? a : b;
}
