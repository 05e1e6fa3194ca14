import type { Queryable } from '../db';
import { GENESIS_HASH, HASH_MISMATCH, hashMatches, rowProblems, type AuditRow } from './chain';
import { auditColumns, toAuditRow, type AuditDbRow } from './rows';

/** The first row that does not verify, and everything wrong with it. */
export interface BadAuditRow {
  seq: number;
  workflowId: string;
  actionId: string;
  problems: string[];
}

export type ChainVerification =
  | { ok: true; rows: number; head: { seq: number; hash: string } | null }
  | { ok: false; rowsBefore: number; firstBad: BadAuditRow };

const DEFAULT_BATCH_SIZE = 1_000;

/**
 * Walks the whole chain in seq order, a batch at a time (memory stays flat however long the log is),
 * recomputing every hash and checking every link and every seq; stops at the first bad row. A row
 * appended while it walks is checked too. The head (last seq and hash) is what to keep elsewhere: the
 * chain alone cannot show that rows were cut off its end.
 */
export async function verifyAuditChain(
  db: Queryable,
  options: { batchSize?: number } = {},
): Promise<ChainVerification> {
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  let previous: { seq: number; hash: string } | null = null;
  let rows = 0;
  for (;;) {
    const batch = await db.query<AuditDbRow>(
      // audit_log.seq: a bare `seq` would sort by the output column, which is text.
      `SELECT ${auditColumns()} FROM audit_log WHERE audit_log.seq > $1 ORDER BY audit_log.seq LIMIT $2`,
      [previous?.seq ?? 0, batchSize],
    );
    for (const raw of batch.rows) {
      const row = toAuditRow(raw);
      const problems = rowProblems(row, previous);
      if (problems.length > 0) {
        const { seq, workflowId, actionId } = row;
        return { ok: false, rowsBefore: rows, firstBad: { seq, workflowId, actionId, problems } };
      }
      previous = { seq: row.seq, hash: row.hash };
      rows += 1;
    }
    if (batch.rows.length < batchSize) return { ok: true, rows, head: previous };
  }
}

/** A workflow's trail and whether it holds up; `seq` null for a problem of the chain as a whole. */
export interface WorkflowAudit {
  workflowId: string;
  rows: AuditRow[];
  verified: boolean;
  problems: Array<{ seq: number | null; problem: string }>;
}

interface WorkflowAuditDbRow extends AuditDbRow {
  before_hash: string | null;
  has_before: boolean;
  after_prev_hash: string | null;
  has_after: boolean;
  chain_rows: string;
  chain_max_seq: string;
}

/**
 * A workflow's rows in seq order, checked without walking the whole chain: each row's hash, its links to
 * the rows just before and after it (whichever workflow they belong to), and that the chain has no gap
 * anywhere (row count = last seq), so a deleted row of this workflow is noticed too. All in one statement,
 * so one consistent snapshot.
 */
export async function readWorkflowAudit(db: Queryable, workflowId: string): Promise<WorkflowAudit> {
  const { rows } = await db.query<WorkflowAuditDbRow>(
    `SELECT ${auditColumns('r')},
            b.hash AS before_hash, b.seq IS NOT NULL AS has_before,
            a.prev_hash AS after_prev_hash, a.seq IS NOT NULL AS has_after,
            chain.rows::text AS chain_rows, chain.max_seq::text AS chain_max_seq
       FROM audit_log r
       LEFT JOIN audit_log b ON b.seq = r.seq - 1
       LEFT JOIN audit_log a ON a.seq = r.seq + 1
       CROSS JOIN (SELECT count(*) AS rows, max(seq) AS max_seq FROM audit_log) AS chain
      WHERE r.workflow_id = $1
      ORDER BY r.seq`,
    [workflowId],
  );
  const problems: WorkflowAudit['problems'] = [];
  for (const raw of rows) {
    const row = toAuditRow(raw);
    const add = (problem: string) => problems.push({ seq: row.seq, problem });
    if (!hashMatches(row)) add(HASH_MISMATCH);
    if (row.seq === 1) {
      if (row.prevHash !== GENESIS_HASH) add("broken link: the first row's prev_hash must be 64 zeros");
    } else if (!raw.has_before) {
      add(`gap in seq: there is no row ${row.seq - 1} before this one`);
    } else if (raw.before_hash !== row.prevHash) {
      add(`broken link: prev_hash is not the hash of seq ${row.seq - 1}`);
    }
    if (raw.has_after && raw.after_prev_hash !== row.hash) {
      add(`broken link: seq ${row.seq + 1} does not link to this row`);
    } else if (!raw.has_after && row.seq < Number(raw.chain_max_seq)) {
      add(`gap in seq: there is no row ${row.seq + 1} after this one`);
    }
  }
  const chain = rows[0];
  if (chain && chain.chain_rows !== chain.chain_max_seq) {
    problems.push({
      seq: null,
      problem: `the chain holds ${chain.chain_rows} rows up to seq ${chain.chain_max_seq}: rows are missing (npm run audit -- verify names the first)`,
    });
  }
  return { workflowId, rows: rows.map(toAuditRow), verified: problems.length === 0, problems };
}
