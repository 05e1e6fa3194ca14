/**
 * `npm run test:scale [-- --intakes 200 --kills 5 --concurrency 30 --latency-ms 150 --reviews 20]`
 *
 * Docket as it runs at scale, on PostgreSQL, with chaos. Phase 1: a Temporal dev server, the simulator
 * (a fixed latency per model call, so that work is in flight when a worker dies), 2 worker processes and
 * 2 API processes; intakes submitted through both APIs in turn while workers are SIGKILLed at random and
 * restarted. Every intake must complete, each must file exactly one case (counted in the database), and
 * the audit chain must verify. Phase 2: a dev server on a SQLite file, intakes waiting for review, the
 * dev server killed and started again on the file; every review must be listed and approvable to the end.
 *
 * PostgreSQL: the server DOCKET_TEST_POSTGRES_URL names (`.ci/run` starts one), else a throwaway cluster
 * from scripts/postgres-local.sh; either way a database of this run's own. Progress goes to stderr, the
 * summary to stdout; the exit code is 1 when anything was wrong. Process logs stay in the run's folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateEncryptionKeyEntry } from '../codec';
import { createDatabase, migrate, seed } from '../db';
import { startSimulator } from '../simulator';
import { Problems } from './scale-test/checks';
import type { ScaleContext } from './scale-test/context';
import { runKillPhase, type KillPhaseSummary } from './scale-test/kills';
import { openScaleDatabase } from './scale-test/postgres';
import { killChildren } from './scale-test/processes';
import { runRestartPhase, type RestartPhaseSummary } from './scale-test/restart';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

async function main(): Promise<number> {
  const options = {
    intakes: flag('intakes', 200),
    kills: flag('kills', 5),
    concurrency: flag('concurrency', 30),
    latencyMs: flag('latency-ms', 150),
    reviews: flag('reviews', 20),
  };
  const startedAt = performance.now();
  const runDir = mkdtempSync(path.join(os.tmpdir(), 'docket-scale-'));
  process.stderr.write(`scale: logs in ${runDir}\n`);
  const problems = new Problems();
  const database = await openScaleDatabase(process.env.DOCKET_TEST_POSTGRES_URL);
  const interrupted = (signal: NodeJS.Signals) => {
    process.stderr.write(`scale: ${signal}: stopping every process of this run; logs in ${runDir}\n`);
    killChildren();
    void database.close({ keep: true }).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  const db = await createDatabase({ url: database.url, max: 2 });
  await migrate(db);
  await seed(db);
  const simulator = await startSimulator({ port: 0, latencyMs: options.latencyMs });
  const ctx: ScaleContext = {
    runDir,
    databaseUrl: database.url,
    db,
    simulatorUrl: simulator.url,
    encryptionKeys: generateEncryptionKeyEntry('scale-1'),
    keys: { operator: randomBytes(24).toString('hex'), reviewer: randomBytes(24).toString('hex') },
  };
  process.stderr.write(`scale: PostgreSQL database ${database.name}, simulator ${simulator.url}\n`);

  let kills: KillPhaseSummary | null = null;
  let restart: RestartPhaseSummary | null = null;
  try {
    kills = await runKillPhase(
      ctx,
      {
        intakes: options.intakes,
        kills: options.kills,
        concurrency: options.concurrency,
        timeoutMs: flag('timeout-s', 420) * 1000,
      },
      problems,
    );
    restart = await runRestartPhase(ctx, { intakes: options.reviews, timeoutMs: 180_000 }, problems);
  } catch (err) {
    problems.add(`the run stopped: ${err instanceof Error ? err.stack : String(err)}`);
  } finally {
    // A phase that stopped half-way leaves its processes running; the rest were stopped already.
    killChildren();
    await simulator.close();
    await db.close();
    await database.close({ keep: problems.list.length > 0 });
  }

  const totalS = (performance.now() - startedAt) / 1000;
  process.stdout.write(`${summary(options, kills, restart, totalS, problems).join('\n')}\n`);
  if (problems.list.length === 0) rmSync(runDir, { recursive: true, force: true });
  else
    process.stdout.write(
      `process logs: ${runDir}${database.external ? `; database ${database.name} kept` : ''}\n`,
    );
  return problems.list.length === 0 ? 0 : 1;
}

function summary(
  options: { intakes: number; kills: number; latencyMs: number; reviews: number },
  kills: KillPhaseSummary | null,
  restart: RestartPhaseSummary | null,
  totalS: number,
  problems: Problems,
): string[] {
  const lines = [
    `scale test: ${problems.list.length === 0 ? 'PASSED' : `FAILED (${problems.list.length} problems)`}`,
  ];
  if (kills) {
    const midActivity = kills.kills.filter((k) => (k.inFlight?.activities ?? 0) > 0).length;
    const unknown = kills.kills.filter((k) => k.inFlight === null).length;
    lines.push(
      `phase 1: 2 workers, 2 APIs, PostgreSQL, simulator ${options.latencyMs} ms per call`,
      `  intakes        ${kills.completed}/${options.intakes} completed (${kills.submitted} submitted, alternating between the APIs)`,
      `  wall time      ${kills.wallS.toFixed(1)} s from the first submission to the last completion (${(kills.completed / kills.wallS).toFixed(2)} intakes/s)`,
      `  kills          ${kills.kills.length}/${options.kills} SIGKILLs; ${midActivity} landed mid-activity${unknown ? `, ${unknown} unknown` : ''}`,
      ...kills.kills.map(
        (k) =>
          `    at ${k.atS.toFixed(1)} s ${k.worker} pid ${k.pid}: ${k.inFlight ? `${k.inFlight.activities} activities, ${k.inFlight.workflowTasks} workflow tasks in flight` : 'slots unknown'}; ${k.unfinished} unfinished; restart polled after ${k.restartS.toFixed(1)} s`,
      ),
      kills.retried
        ? `  done again     ${kills.retried.activityRetries} activity retries, ${kills.retried.workflowTaskTimeouts} workflow task timeouts, in ${kills.retried.workflowsAffected} workflows (from their histories)`
        : '  done again     (histories not read)',
      `  cases          ${kills.casesForRun} rows for the ${kills.submitted} workflows (one each), ${kills.casesTotal} in the table`,
      `  audit          ${kills.audit}`,
    );
  }
  if (restart) {
    lines.push(
      `phase 2: dev server on a SQLite file, SIGKILLed with ${restart.waiting} reviews waiting`,
      `  back after     ${restart.downS.toFixed(1)} s; ${restart.listed} listed by GET /v1/reviews`,
      `  approvals      ${restart.approvals}${restart.retriedDecisions ? ` (${restart.retriedDecisions} sent again after a 503)` : ''}; ${restart.completed}/${options.reviews} completed; ${restart.cases} cases (one each)`,
      `  audit          ${restart.audit}`,
    );
  }
  lines.push(`total          ${totalS.toFixed(1)} s`);
  for (const problem of problems.list.slice(0, 20)) lines.push(`  problem: ${problem}`);
  if (problems.list.length > 20) lines.push(`  … and ${problems.list.length - 20} more`);
  return lines;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`scale test failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
