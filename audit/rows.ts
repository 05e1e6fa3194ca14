import type { JsonObject } from './canonical-json';
import type { AuditKind, AuditRow } from './chain';

/** A timestamptz expression as the audit log writes it: UTC, microseconds, `2026-05-04T09:15:02.123456Z`. */
export function utcText(expression: string): string {
  return `to_char((${expression}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/**
 * This process's clock as `utcText` writes `at`: UTC, microseconds (its milliseconds and three zeros), the
 * text the database gives back for the stored value. For a row appended without reading the database's clock.
 */
export function utcNowText(): string {
  return new Date().toISOString().replace('Z', '000Z');
}

/**
 * The columns of a row as audit/ reads them, from `audit_log` or from an alias of it. `at` is formatted by
 * the database itself, the same way when a row is written and when it is read back, so the hashed text
 * depends neither on the session's time zone nor on JavaScript's millisecond dates. `seq` as text: `pg`
 * reads bigint as a string.
 */
export function auditColumns(table = 'audit_log'): string {
  const t = table;
  return `${t}.seq::text AS seq, ${t}.workflow_id, ${t}.action_id, ${t}.kind, ${utcText(`${t}.at`)} AS at,
    ${t}.data, ${t}.prev_hash, ${t}.hash`;
}

export interface AuditDbRow {
  seq: string;
  workflow_id: string;
  action_id: string;
  kind: string;
  at: string;
  data: JsonObject;
  prev_hash: string;
  hash: string;
}

export function toAuditRow(row: AuditDbRow): AuditRow {
  return {
    seq: Number(row.seq),
    workflowId: row.workflow_id,
    actionId: row.action_id,
    // The table's CHECK keeps it one of the kinds; a row that got past it fails its hash anyway.
    kind: row.kind as AuditKind,
    at: row.at,
    data: row.data,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}
