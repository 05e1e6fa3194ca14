/**
 * What each of a run's actions took, as the audit trail recorded it: a row's `latencyMs` is the activity's
 * own work, from its start to just before its row is appended (a model call's includes the provider's
 * answer; the audit append itself is left out).
 */
import type { Queryable } from '../db';

export interface ActionTime {
  /** The row's kind and, for model and tool calls, the agent or the tool: `tool_call checkConflicts`. */
  action: string;
  /** Rows of this action per workflow read. */
  perRun: number;
  meanMs: number;
  p50Ms: number;
}

export async function actionTimes(db: Queryable, workflowIds: readonly string[]): Promise<ActionTime[]> {
  const { rows } = await db.query<{ action: string; n: string; mean: number; p50: number }>(
    `SELECT concat_ws(' ', kind, coalesce(data->>'agent', data->>'tool')) AS action, count(*)::text AS n,
            avg((data->>'latencyMs')::float8) AS mean,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY (data->>'latencyMs')::float8) AS p50
       FROM audit_log
      WHERE workflow_id = ANY($1::text[]) AND data ? 'latencyMs'
      GROUP BY 1 ORDER BY min(seq)`,
    [workflowIds],
  );
  return rows.map((row) => ({
    action: row.action,
    perRun: Number(row.n) / Math.max(workflowIds.length, 1),
    meanMs: row.mean,
    p50Ms: row.p50,
  }));
}
