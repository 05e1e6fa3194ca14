/**
 * Phase 2: a dev server on a SQLite file, intakes waiting for a reviewer, the dev server SIGKILLed and
 * started again on the same file and port. Afterwards every review must be listed by `GET /v1/reviews`,
 * and approving (again, while another review opens) must take each intake to `completed`.
 */
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { startTemporalDevServer, type RunningDevServer } from '../temporal-dev-server';
import { call, checkCases, verifyAudit, type Problems } from './checks';
import { docketEnv, type ScaleContext } from './context';
import { apiReady, ROOT, sleep, spawnDocket, workerPolling } from './processes';
import { freePort } from '../free-port';
import { Connection } from '@temporalio/client';

export interface RestartPhaseOptions {
  intakes: number;
  timeoutMs: number;
}

export interface RestartPhaseSummary {
  waiting: number;
  /** From the SIGKILL until the API answered /readyz again. */
  downS: number;
  listed: number;
  approvals: number;
  /** Decisions sent again after a 503. */
  retriedDecisions: number;
  completed: number;
  cases: number;
  audit: string;
}

const TASK_QUEUE = 'docket-scale-restart';

/** How long the queue may take to list every waiting review (visibility is indexed asynchronously). */
const LISTING_WAIT_MS = 60_000;

/** Approvals one intake may need (one per stage at most, and a recheck before filing). */
const MAX_REVIEWS = 8;
/** Tries of one decision that the API answers 503 (`unavailable`: try again). */
const DECISION_ATTEMPTS = 10;

export async function runRestartPhase(
  ctx: ScaleContext,
  options: RestartPhaseOptions,
  problems: Problems,
): Promise<RestartPhaseSummary> {
  const log = (line: string) => process.stderr.write(`scale [restart] ${line}\n`);
  const deadline = Date.now() + options.timeoutMs;
  const port = await freePort();
  const dbFilename = path.join(ctx.runDir, 'temporal.sqlite');
  let temporal: RunningDevServer = await startTemporalDevServer({ port, dbFilename });
  const target = { address: temporal.address, namespace: temporal.namespace, taskQueue: TASK_QUEUE };
  const apiPort = await freePort();
  const api = `http://127.0.0.1:${apiPort}`;
  const worker = spawnDocket(
    'worker-r',
    'worker/main.ts',
    docketEnv(ctx, target, {
      DOCKET_TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      DOCKET_WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
    }),
    path.join(ctx.runDir, 'worker-r.log'),
  );
  const apiProcess = spawnDocket(
    'api-r',
    'api/main.ts',
    docketEnv(ctx, target, { PORT: String(apiPort) }),
    path.join(ctx.runDir, 'api-r.log'),
  );
  const polling = async () => {
    const connection = await Connection.connect({ address: temporal.address });
    try {
      await workerPolling(connection, temporal.namespace, TASK_QUEUE, worker);
    } finally {
      await connection.close();
    }
  };
  await Promise.all([polling(), apiReady(apiProcess, api)]);
  log(`dev server on ${dbFilename} at ${temporal.address}, a worker and an API up`);

  const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'ambiguous.json'), 'utf8'));
  const run = Date.now().toString(36);
  const ids: string[] = [];
  for (let i = 0; i < options.intakes; i += 1) {
    const answer = await call(api, 'POST', '/v1/workflows/legal-intake', ctx.keys.operator, {
      ...example,
      externalId: `restart-${run}-${i}`,
    });
    if (answer.status === 202) ids.push(answer.body.workflowId);
    else problems.add(`intake ${i}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  const status = (id: string) => call(api, 'GET', `/v1/workflows/${id}`, ctx.keys.reviewer);
  const waitFor = async (id: string, wanted: (s: string) => boolean) => {
    for (;;) {
      const answer = await status(id).catch(() => undefined);
      if (answer?.status === 200 && wanted(answer.body.status)) return answer.body;
      if (Date.now() > deadline) throw new Error(`${id} is still ${answer?.body?.status ?? answer?.status}`);
      await sleep(500);
    }
  };
  const waiting = await Promise.all(ids.map((id) => waitFor(id, (s) => s !== 'running')));
  const notWaiting = waiting.filter((s) => s.status !== 'awaiting_review');
  for (const s of notWaiting) problems.add(`${s.workflowId} is ${s.status}, not awaiting_review`);
  /** The workflow ids `GET /v1/reviews` lists, every page. */
  const listedReviews = async (): Promise<Set<string>> => {
    const listed = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await call(
        api,
        'GET',
        `/v1/reviews?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        ctx.keys.reviewer,
      );
      if (page.status !== 200)
        throw new Error(`GET /v1/reviews answered ${page.status} ${JSON.stringify(page.body)}`);
      for (const item of page.body.items as Array<{ workflowId: string }>) listed.add(item.workflowId);
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    return listed;
  };
  /** Lists the queue until every id is in it, for at most LISTING_WAIT_MS. */
  const waitUntilListed = async (): Promise<{ listed: Set<string>; afterS: number }> => {
    const started = performance.now();
    let listed = new Set<string>();
    for (;;) {
      listed = await listedReviews().catch(() => listed);
      if (ids.every((id) => listed.has(id)) || performance.now() - started > LISTING_WAIT_MS) break;
      await sleep(500);
    }
    return { listed, afterS: (performance.now() - started) / 1000 };
  };
  // A reviewer sees them in the queue before the kill: what the restart must keep.
  const before = await waitUntilListed();
  for (const id of ids) if (!before.listed.has(id)) problems.add(`${id} was never listed by GET /v1/reviews`);
  log(
    `${waiting.length - notWaiting.length} intakes await review, ${before.listed.size} listed; SIGKILL the dev server`,
  );

  const killedAt = performance.now();
  await killDevServer(temporal, dbFilename, port);
  temporal = await startTemporalDevServer({ port, dbFilename });
  await apiReady(apiProcess, api);
  const downS = (performance.now() - killedAt) / 1000;
  await polling();
  log(`dev server back on the same file after ${downS.toFixed(1)} s; the worker and the API kept running`);

  // Every waiting intake listed by the queue (visibility survived the restart in the SQLite file). The
  // server indexes visibility from its own task queue, which it resumes after a restart: give it a moment.
  const listedAfter = await waitUntilListed();
  const listed = listedAfter.listed;
  log(
    `${listed.size} of ${ids.length} listed by GET /v1/reviews ${listedAfter.afterS.toFixed(1)} s after the restart`,
  );
  for (const id of ids)
    if (!listed.has(id)) problems.add(`${id} is not listed by GET /v1/reviews after the restart`);

  /**
   * Approves `reviewId` as a client should: a 503 (no worker took the update in time) is sent again with
   * the same Idempotency-Key, so that it is recorded once whichever attempt got through.
   */
  const decide = async (id: string, reviewId: string) => {
    const idempotencyKey = randomUUID();
    for (let attempt = 1; ; attempt += 1) {
      const answer = await call(
        api,
        'POST',
        `/v1/reviews/${id}/decision`,
        ctx.keys.reviewer,
        { reviewId, decision: 'approve', comment: 'approved by the scale test after the dev server restart' },
        { 'idempotency-key': idempotencyKey },
      );
      if (answer.status !== 503 || attempt === DECISION_ATTEMPTS || Date.now() > deadline) return answer;
      retriedDecisions += 1;
      await sleep(1_000);
    }
  };
  let retriedDecisions = 0;
  let approvals = 0;
  const caseIds = new Map<string, string | undefined>();
  const approveToEnd = async (id: string) => {
    for (let round = 0; round < MAX_REVIEWS; round += 1) {
      const current = await waitFor(id, (s) => s !== 'running');
      if (current.status !== 'awaiting_review') return current;
      if (!current.review.allowed.includes('approve'))
        throw new Error(`${id}: ${current.review.id} cannot be approved`);
      const answer = await decide(id, current.review.id);
      if (answer.status !== 200)
        throw new Error(`approving ${current.review.id}: ${answer.status} ${JSON.stringify(answer.body)}`);
      approvals += 1;
    }
    throw new Error(`${id} still waits after ${MAX_REVIEWS} approvals`);
  };
  let completed = 0;
  await Promise.all(
    ids.map(async (id) => {
      const end = await approveToEnd(id).catch((err: unknown) => {
        problems.add(String(err instanceof Error ? err.message : err));
        return undefined;
      });
      if (end?.status === 'completed') completed += 1;
      else if (end) problems.add(`${id} ended ${end.status}`);
      caseIds.set(id, end?.result?.caseId);
    }),
  );
  const cases = await checkCases(ctx.db, caseIds, problems);
  const audit = await verifyAudit(ctx.databaseUrl);
  if (!audit.ok) problems.add(`npm run audit -- verify: ${audit.output}`);
  for (const proc of [worker, apiProcess])
    if (!proc.alive()) problems.add(`${proc.name} exited (${await proc.exited}); see ${proc.log}`);

  await Promise.all([apiProcess.stop(), worker.stop()]);
  await temporal.close();
  return {
    waiting: waiting.length - notWaiting.length,
    downS,
    listed: listed.size,
    approvals,
    retriedDecisions,
    completed,
    cases,
    audit: audit.output,
  };
}

/** SIGKILLs the dev server (the CLI process this process started on `dbFilename`) and waits until its port is free. */
async function killDevServer(temporal: RunningDevServer, dbFilename: string, port: number): Promise<void> {
  const pids = execFileSync('pgrep', ['-P', String(process.pid), '-f', dbFilename], { encoding: 'utf8' })
    .split('\n')
    .filter(Boolean);
  if (pids.length === 0) throw new Error(`no dev server process found on ${dbFilename}`);
  for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
  while (await listening(port)) await sleep(100);
  // The SDK's handle on the dead server: closing it only reaps the process.
  await Promise.race([temporal.close().catch(() => undefined), sleep(10_000)]);
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}
