/**
 * What the scale test checks, the way a user would: the REST API's answers, the `cases` table counted in
 * the database, and `npm run audit -- verify` run against that database.
 */
import { spawn } from 'node:child_process';
import type { Queryable } from '../../db';
import { ROOT } from './processes';

/** A JSON answer of the REST API. */
export interface Answer {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, read field by field
  body: any;
}

export async function call(
  base: string,
  method: string,
  url: string,
  key: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Answer> {
  const response = await fetch(`${base}${url}`, {
    method,
    headers: {
      authorization: `Bearer ${key}`,
      ...(body ? { 'content-type': 'application/json' } : {}),
      ...headers,
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: kept as text for the error message
  }
  return { status: response.status, body: parsed };
}

/** Failures a phase found; the run fails when any phase has one. */
export class Problems {
  readonly list: string[] = [];
  add(problem: string): void {
    this.list.push(problem);
    process.stderr.write(`scale: PROBLEM ${problem}\n`);
  }
}

/**
 * Counts each workflow's rows in `cases`: every one of `workflowIds` must have exactly one, and its case
 * id must be the one its status names. Returns the number of rows for these workflows.
 */
export async function checkCases(
  db: Queryable,
  caseIds: ReadonlyMap<string, string | undefined>,
  problems: Problems,
): Promise<number> {
  const { rows } = await db.query<{ workflow_id: string; case_id: string; n: string }>(
    `SELECT workflow_id, min(case_id) AS case_id, count(*) AS n FROM cases
      WHERE workflow_id = ANY($1) GROUP BY workflow_id`,
    [[...caseIds.keys()]],
  );
  const found = new Map(rows.map((r) => [r.workflow_id, r]));
  let total = 0;
  for (const [workflowId, caseId] of caseIds) {
    const row = found.get(workflowId);
    const n = row ? Number(row.n) : 0;
    total += n;
    if (n !== 1) problems.add(`${workflowId} has ${n} rows in cases (expected 1)`);
    else if (caseId !== undefined && row?.case_id !== caseId)
      problems.add(`${workflowId}: cases holds ${row?.case_id}, its status names ${caseId}`);
  }
  return total;
}

/** Rows in `cases` altogether. */
export async function countAllCases(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM cases');
  return Number(rows[0].n);
}

/** `npm run audit -- verify` on `databaseUrl`; its one-line verdict, and whether it exited 0. */
export function verifyAudit(databaseUrl: string): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', 'verify'], {
      cwd: ROOT,
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}
