/**
 * Phase 1: two worker processes and two API processes on one task queue, intakes submitted at a steady
 * rate through both APIs, and random SIGKILLs of workers while they run, each worker restarted at once.
 * Every intake must complete and file exactly one case; the audit chain must verify.
 */
import { appendFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Client, Connection, WorkflowFailedError } from '@temporalio/client';
import { docketDataConverter, parseEncryptionKeys } from '../../codec';
import type { LegalIntakeStatus } from '../../workflows';
import { startTemporalDevServer } from '../temporal-dev-server';
import { call, checkCases, countAllCases, verifyAudit, type Problems } from './checks';
import { docketEnv, type ScaleContext } from './context';
import { retriedWork, slotsInUse, type RetriedWork, type SlotsInUse } from './evidence';
import { apiReady, ROOT, sleep, spawnDocket, workerPolling, type DocketProcess } from './processes';
import { freePort } from '../free-port';

export interface KillPhaseOptions {
  intakes: number;
  kills: number;
  /** Intakes in flight at once. */
  concurrency: number;
  timeoutMs: number;
}

export interface Kill {
  /** Seconds since the first submission. */
  atS: number;
  worker: string;
  pid: number;
  /** The victim's busy slots just before SIGKILL; null when its metrics did not answer. */
  inFlight: SlotsInUse | null;
  unfinished: number;
  restartS: number;
}

export interface KillPhaseSummary {
  submitted: number;
  completed: number;
  /** From the first submission to the last completion. */
  wallS: number;
  kills: Kill[];
  retried: RetriedWork | null;
  casesForRun: number;
  casesTotal: number;
  audit: string;
}

const TASK_QUEUE = 'docket-scale';

interface WorkerSlot {
  name: string;
  /** Its two metrics endpoints, kept across restarts: two workers on one host cannot share them. */
  temporalMetrics: string;
  docketMetrics: string;
  process: DocketProcess;
  /** Its process polls the task queue (set once it does; cleared when it is killed). */
  up: boolean;
}

export async function runKillPhase(
  ctx: ScaleContext,
  options: KillPhaseOptions,
  problems: Problems,
): Promise<KillPhaseSummary> {
  const log = (line: string) => process.stderr.write(`scale [kills] ${line}\n`);
  const temporal = await startTemporalDevServer();
  const target = { address: temporal.address, namespace: temporal.namespace, taskQueue: TASK_QUEUE };
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: docketDataConverter(parseEncryptionKeys(ctx.encryptionKeys)),
  });
  /** Processes this phase ends itself; any other exit is a problem. */
  const ending = new Set<DocketProcess>();
  let stopping = false;
  const watchExit = (proc: DocketProcess) =>
    void proc.exited.then((how) => {
      if (!stopping && !ending.has(proc))
        problems.add(`${proc.name} (pid ${proc.pid}) exited on its own (${how}); see ${proc.log}`);
    });

  const startWorker = (slot: Pick<WorkerSlot, 'name' | 'temporalMetrics' | 'docketMetrics'>) => {
    const file = path.join(ctx.runDir, `${slot.name}.log`);
    appendFileSync(file, `--- started at ${new Date().toISOString()}\n`);
    const proc = spawnDocket(
      slot.name,
      'worker/main.ts',
      docketEnv(ctx, target, {
        DOCKET_TEMPORAL_METRICS_ADDRESS: slot.temporalMetrics,
        DOCKET_WORKER_METRICS_ADDRESS: slot.docketMetrics,
      }),
      file,
    );
    return { proc, ready: workerPolling(connection, temporal.namespace, TASK_QUEUE, proc) };
  };

  const workers: WorkerSlot[] = [];
  const workersReady: Promise<void>[] = [];
  for (const name of ['worker-1', 'worker-2']) {
    const ports = {
      name,
      temporalMetrics: `127.0.0.1:${await freePort()}`,
      docketMetrics: `127.0.0.1:${await freePort()}`,
    };
    const { proc, ready } = startWorker(ports);
    const slot: WorkerSlot = { ...ports, process: proc, up: false };
    const polling = ready.then(() => void (slot.up = true));
    polling.catch(() => undefined); // awaited below, after the APIs are spawned
    workersReady.push(polling);
    watchExit(proc);
    workers.push(slot);
  }
  const apis: Array<{ process: DocketProcess; url: string }> = [];
  for (const name of ['api-1', 'api-2']) {
    const port = await freePort();
    const proc = spawnDocket(
      name,
      'api/main.ts',
      docketEnv(ctx, target, { PORT: String(port) }),
      path.join(ctx.runDir, `${name}.log`),
    );
    watchExit(proc);
    apis.push({ process: proc, url: `http://127.0.0.1:${port}` });
  }
  await Promise.all([...workersReady, ...apis.map((a) => apiReady(a.process, a.url))]);
  log(`2 workers and 2 APIs up (dev server ${temporal.address}, task queue ${TASK_QUEUE})`);

  const example = JSON.parse(readFileSync(path.join(ROOT, 'examples', 'clear-personal-injury.json'), 'utf8'));
  const run = Date.now().toString(36);
  const submitted: string[] = [];
  const finished = new Map<string, LegalIntakeStatus | Error>();
  let lastCompletion = 0;
  let over = false;
  const started = performance.now();
  const elapsedS = () => (performance.now() - started) / 1000;

  /** A workflow's end: its status, or the failure it ended with. A long poll cut short is asked again. */
  const outcomeOf = async (workflowId: string): Promise<LegalIntakeStatus | Error> => {
    for (;;) {
      try {
        return (await client.workflow.getHandle(workflowId).result()) as LegalIntakeStatus;
      } catch (err) {
        if (err instanceof WorkflowFailedError || over)
          return err instanceof Error ? err : new Error(String(err));
        await sleep(1_000);
      }
    }
  };
  const submitAndWait = async (i: number) => {
    const api = apis[i % 2];
    const answer = await call(api.url, 'POST', '/v1/workflows/legal-intake', ctx.keys.operator, {
      ...example,
      externalId: `scale-${run}-${i}`,
    }).catch((err: unknown) => ({ status: 0, body: String(err) }));
    if (answer.status !== 202) {
      problems.add(
        `intake ${i} through ${api.process.name}: ${answer.status} ${JSON.stringify(answer.body)}`,
      );
      return;
    }
    const { workflowId } = answer.body as { workflowId: string };
    submitted.push(workflowId);
    finished.set(workflowId, await outcomeOf(workflowId));
    lastCompletion = performance.now();
  };
  // At most `concurrency` intakes in flight: the system stays in a steady state it can sustain, so that
  // the kills land while work runs rather than in a backlog that starves every process.
  let next = 0;
  const submitter = async () => {
    while (!over && next < options.intakes) await submitAndWait(next++);
  };
  const submitting = Promise.all(Array.from({ length: options.concurrency }, submitter));

  const kills: Kill[] = [];
  const chaos = (async () => {
    const restarts: Promise<void>[] = [];
    for (let k = 0; k < options.kills && !over; k += 1) {
      // Spread over the run by progress (at 10 %, 30 %, … of the intakes finished with 5 kills), each on a
      // worker that is polling: one still coming up from a kill is left alone, but the next kill does not
      // wait for it (a restart takes seconds, and a fast run is over before five of them end one by one).
      const due = Math.floor(((k + 0.5) * options.intakes) / options.kills);
      while (!over && (finished.size < due || !workers.some((w) => w.up))) await sleep(200);
      const unfinished = options.intakes - finished.size;
      if (over) break;
      if (unfinished === 0) {
        problems.add(`every intake finished before kill ${k + 1}`);
        break;
      }
      const up = workers.filter((w) => w.up);
      const slot = up[Math.floor(Math.random() * up.length)];
      const inFlight = await slotsInUse(slot.temporalMetrics);
      const atS = elapsedS();
      const victim = slot.process;
      ending.add(victim);
      slot.up = false;
      await victim.kill();
      const restartedAt = performance.now();
      const { proc, ready } = startWorker(slot);
      slot.process = proc;
      watchExit(proc);
      const kill: Kill = { atS, worker: slot.name, pid: victim.pid, inFlight, unfinished, restartS: NaN };
      kills.push(kill);
      log(
        `kill ${k + 1} at ${atS.toFixed(1)} s: ${slot.name} pid ${victim.pid}, ${inFlight ? `${inFlight.activities} activities and ${inFlight.workflowTasks} workflow tasks in flight` : 'slots unknown'}, ` +
          `${unfinished} intakes unfinished; restarted as pid ${proc.pid}`,
      );
      restarts.push(
        ready
          .then(() => {
            slot.up = true;
            kill.restartS = (performance.now() - restartedAt) / 1000;
            log(
              `${slot.name} (pid ${proc.pid}) polling again ${kill.restartS.toFixed(1)} s after kill ${k + 1}`,
            );
          })
          .catch(() => undefined),
      );
    }
    // Every restarted worker up before the phase ends (a failed start is a problem its exit reports).
    await Promise.all(restarts);
  })();

  const progress = setInterval(() => {
    const errors = [...finished.values()].filter((s) => s instanceof Error).length;
    log(
      `${elapsedS().toFixed(0)} s: submitted ${submitted.length}/${options.intakes}, finished ${finished.size}` +
        `${errors ? ` (${errors} failed)` : ''}, kills ${kills.length}/${options.kills}`,
    );
  }, 5_000);
  const deadline = sleep(options.timeoutMs).then(() => 'timeout' as const);
  const ended = await Promise.race([Promise.all([submitting, chaos]), deadline]);
  over = true;
  clearInterval(progress);
  if (ended === 'timeout')
    problems.add(
      `timed out after ${options.timeoutMs / 1000} s: ${finished.size}/${options.intakes} finished, ${kills.length} kills`,
    );
  const wallS = ((lastCompletion || performance.now()) - started) / 1000;

  // What a user sees: every status through the APIs, the cases in the database, the audit chain.
  const caseIds = new Map<string, string | undefined>();
  let completed = 0;
  const unfinished = submitted.filter((id) => !finished.has(id));
  if (unfinished.length > 0)
    problems.add(`${unfinished.length} intakes never finished, e.g. ${unfinished.slice(0, 5).join(', ')}`);
  let i = 0;
  for (const workflowId of submitted) {
    const outcome = finished.get(workflowId);
    if (!outcome) continue;
    const answer = await call(apis[i++ % 2].url, 'GET', `/v1/workflows/${workflowId}`, ctx.keys.operator);
    const status = answer.body?.status;
    if (status === 'completed') completed += 1;
    else
      problems.add(
        `${workflowId} is ${status ?? answer.status}${outcome instanceof Error ? ` (${outcome.message})` : ''}`,
      );
    caseIds.set(workflowId, answer.body?.result?.caseId);
  }
  const casesForRun = await checkCases(ctx.db, caseIds, problems);
  const casesTotal = await countAllCases(ctx.db);
  if (casesTotal !== options.intakes)
    problems.add(`cases holds ${casesTotal} rows, expected ${options.intakes}`);
  const audit = await verifyAudit(ctx.databaseUrl);
  if (!audit.ok) problems.add(`npm run audit -- verify: ${audit.output}`);
  const retried = await retriedWork(client, submitted).catch((err: unknown) => {
    log(`could not read the histories: ${String(err)}`);
    return null;
  });

  stopping = true;
  await Promise.all([...apis.map((a) => a.process.stop()), ...workers.map((w) => w.process.stop())]);
  await connection.close();
  await temporal.close();
  return {
    submitted: submitted.length,
    completed,
    wallS,
    kills,
    retried,
    casesForRun,
    casesTotal,
    audit: audit.output,
  };
}
