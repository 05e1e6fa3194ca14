import { createHash } from 'node:crypto';
import { z } from 'zod';
import { canonicalJson, type JsonObject } from './canonical-json';

/** What a row records. The names are a contract: auditors filter on them. */
export const AuditKind = z.enum([
  'model_call',
  'tool_call',
  'gate_result',
  'review_decision',
  'case_filed',
  'notification_sent',
  'erasure',
]);
export type AuditKind = z.infer<typeof AuditKind>;

/** The prev_hash of the first row. */
export const GENESIS_HASH = '0'.repeat(64);

/** One row of `audit_log`, as stored, exported and served. */
export interface AuditRow {
  /** 1, 2, 3…: the order of the chain, without gaps. */
  seq: number;
  workflowId: string;
  /** Unique within the workflow: the action's idempotency key. */
  actionId: string;
  kind: AuditKind;
  /** When the row was appended (database clock, UTC, microseconds): `2026-05-04T09:15:02.123456Z`. */
  at: string;
  data: JsonObject;
  prevHash: string;
  hash: string;
}

/**
 * The row's hash: hex SHA-256 over the UTF-8 bytes of `prev_hash` followed by the canonical JSON
 * (canonicalJson) of every column but `hash`, under the column names:
 * `{"action_id":…,"at":…,"data":{…},"kind":…,"prev_hash":…,"seq":<number>,"workflow_id":…}`.
 * Anyone with a copy of the table can recompute it without Docket.
 */
export function auditHash(row: Omit<AuditRow, 'hash'>): string {
  const content = canonicalJson({
    seq: row.seq,
    workflow_id: row.workflowId,
    action_id: row.actionId,
    kind: row.kind,
    at: row.at,
    data: row.data,
    prev_hash: row.prevHash,
  });
  return createHash('sha256')
    .update(row.prevHash + content, 'utf8')
    .digest('hex');
}

/**
 * What is wrong with a row read in seq order, given the row before it (null for the first): a gap in
 * seq, a prev_hash that does not link to the row before, contents that no longer match the hash.
 * Empty when the row is sound.
 */
export function rowProblems(row: AuditRow, previous: Pick<AuditRow, 'seq' | 'hash'> | null): string[] {
  const problems: string[] = [];
  const expectedSeq = previous ? previous.seq + 1 : 1;
  if (row.seq !== expectedSeq) {
    problems.push(`gap in seq: expected ${expectedSeq}, found ${row.seq} (a row is missing or renumbered)`);
  }
  problems.push(...linkProblems(row, previous));
  if (!hashMatches(row)) problems.push(HASH_MISMATCH);
  return problems;
}

export const HASH_MISMATCH = 'hash mismatch: the row was changed after it was written';

/** Recomputes the hash; false also for contents that cannot be hashed at all (not JSON). */
export function hashMatches(row: AuditRow): boolean {
  try {
    return auditHash(row) === row.hash;
  } catch {
    return false;
  }
}

/** Whether `row.prevHash` is the hash of the row before it (of nothing, for seq 1). */
export function linkProblems(row: AuditRow, previous: Pick<AuditRow, 'seq' | 'hash'> | null): string[] {
  if (!previous) {
    return row.prevHash === GENESIS_HASH
      ? []
      : ["broken link: the first row's prev_hash must be 64 zeros (rows before it are missing)"];
  }
  return row.prevHash === previous.hash
    ? []
    : [`broken link: prev_hash is not the hash of seq ${previous.seq}`];
}
