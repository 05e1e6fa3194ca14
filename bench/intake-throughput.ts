/**
 * `npm run bench [-- --in-flight 1,10,100 --samples 20 --throughput 100 --latency-ms 200 --profile 20
 *   --postgres postgres://…]`
 *
 * Docket's legal intake beside a raw-Temporal anchor, in one run on one dev server. The anchor
 * (bench/anchor/) is the clear intake's path without Docket: 4 activities that wait as long as a model call
 * and 4 that do nothing, one after the other, default data converter, its own bundle and task queue.
 * Docket's intakes go through the real stack: REST API → Temporal dev server → worker → simulator (fixed
 * latency per call) → PGlite (or, with --postgres, a fresh database of its own on that PostgreSQL server,
 * dropped at the end). For each level of intakes in flight, the anchor and then Docket run
 * max(level, --samples) workflows with that many in flight at a time; then both run --throughput workflows
 * at once with no model latency. Each workflow's time is the client's: from the start request to its
 * result. Then it reads the histories of the largest level's runs (--profile of each) and prints what a run
 * costs Temporal, and, for the first level's intakes, the statements they sent the database and what each
 * of their actions took as the audit trail timed it. A benchmark prints figures; it asserts nothing.
 * Progress goes to stderr.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createModelGateway } from '../agents/gateway';
import { createApp } from '../api';
import { workflowRegistry } from '../workflows/registry';
import { docketDataConverter, generateEncryptionKeyEntry } from '../codec';
import { createLogger, hashApiKey, loadConfig } from '../config';
import { createDatabase } from '../db';
import type { LegalIntakeStatus } from '../workflows';
import { startDevStack } from '../scripts';
import { createDocketWorker } from '../worker';
import { actionTimes } from './action-times';
import { anchorActivities } from './anchor/activities';
import { meteredDatabase, type DbCounts } from './db-meter';
import { cpuSnapshot, cpuSpent, threadSnapshot, threadsSpent } from './process-cpu';
import { meanProfile, profileRun, type RunProfile } from './history-profile';

const ANCHOR_QUEUE = 'docket-bench-anchor';
const DOCKET_QUEUE = 'docket-bench';
/** Model calls on the clear intake's path (classify, reason twice, draft), as on the anchor's. */
const MODEL_CALLS = 4;

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

function numbers(name: string, fallback: string): number[] {
  const values = flag(name, fallback).split(',').map(Number);
  if (values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`--${name} must be numbers ≥ 0`);
  return values;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1))];
}

function progress(text: string): void {
  process.stderr.write(`[${new Date().toISOString().slice(11, 19)}] ${text}\n`);
}

interface Sample {
  workflowId: string;
  /** From the start request to its answer. */
  startMs: number;
  /** From the start request to the result. */
  totalMs: number;
  ok: boolean;
}

interface Timing {
  samples: Sample[];
  wallMs: number;
  /** CPU the run cost each process (this one, the dev server, the embedded database), by name. */
  cpu: Array<{ name: string; cpuMs: number }>;
  /** CPU the run cost each of this process's threads, by name. */
  threads: ReturnType<typeof threadsSpent>;
}

/** Runs `count` workflows, `inFlight` at a time (each lane starts the next when one ends). */
async function runClosedLoop(
  inFlight: number,
  count: number,
  runOne: (i: number) => Promise<Sample>,
): Promise<Timing> {
  const samples: Sample[] = [];
  let next = 0;
  const [cpuBefore, threadsBefore] = [cpuSnapshot(), threadSnapshot()];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, count) }, async () => {
      while (next < count) {
        const t0 = performance.now();
        samples.push(
          await runOne(next++).catch((err: unknown) => {
            progress(`a run failed: ${String(err)}`);
            return { workflowId: '', startMs: 0, totalMs: performance.now() - t0, ok: false };
          }),
        );
      }
    }),
  );
  const wallMs = performance.now() - started;
  return {
    samples,
    wallMs,
    cpu: cpuSpent(cpuBefore, cpuSnapshot()),
    threads: threadsSpent(threadsBefore, threadSnapshot()),
  };
}

/**
 * "Docket 310 ms (bench 180, temporal 100, MainThread 30; bench's threads: MainThread 90, …) · raw 140 ms (…)":
 * CPU a workflow, by process and by thread of the bench's own process.
 */
function cpuLine(docket: Timing, raw: Timing): string {
  const side = (t: Timing) => {
    const per = (ms: number) => Math.round(ms / Math.max(1, t.samples.length));
    const total = t.cpu.reduce((sum, p) => sum + p.cpuMs, 0);
    const threads = t.threads.map(
      (th) =>
        `${th.name} ${per(th.cpuMs)}${th.threads.length > 1 ? ` (${th.threads.map(per).join(' + ')})` : ''}`,
    );
    return `${per(total)} ms (${t.cpu.map((p) => `${p.name} ${per(p.cpuMs)}`).join(', ')}; bench's threads: ${threads.join(', ')})`;
  };
  if (docket.cpu.length === 0) return 'n/a (no /proc)';
  return `Docket ${side(docket)} · raw ${side(raw)}`;
}

function stats(timing: Timing) {
  const ok = timing.samples.filter((s) => s.ok);
  const total = ok.map((s) => s.totalMs).sort((a, b) => a - b);
  const start = ok.map((s) => s.startMs).sort((a, b) => a - b);
  return {
    ok: ok.length,
    count: timing.samples.length,
    p50: percentile(total, 50),
    p95: percentile(total, 95),
    startP50: percentile(start, 50),
    perSecond: (ok.length / timing.wallMs) * 1000,
  };
}

async function main(): Promise<void> {
  const levels = numbers('in-flight', '1,10,100');
  const minSamples = numbers('samples', '20')[0];
  const throughputCount = numbers('throughput', '100')[0];
  const latencyMs = numbers('latency-ms', '200')[0];
  const profileCount = numbers('profile', '20')[0];
  const modelMs = MODEL_CALLS * latencyMs;

  // Before the dev server, which instantiates the SDK runtime: the SDK's own logs, warnings only.
  Runtime.install({ logger: new DefaultLogger('WARN') });
  progress('starting the dev server, simulator, database, both workers and the API');
  const database = await benchDatabase(flag('postgres', ''));
  const services = await startDevStack({
    database: database.url ? { url: database.url } : undefined,
    seed: true,
    simulator: { latencyMs },
  });
  const { temporal } = services;
  const simulator = services.simulator!;
  const meter = meteredDatabase(await createDatabase({ url: services.databaseUrl }));
  const db = meter.db;
  const operatorKey = randomBytes(24).toString('hex');
  const config = loadConfig({
    // Payloads are encrypted (codec/), as in production: a key of this run's own.
    env: { DOCKET_ENCRYPTION_KEYS: generateEncryptionKeyEntry('bench-1') },
    overrides: {
      temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: DOCKET_QUEUE },
      provider: { baseURL: simulator.url, apiKey: null },
      database: { url: services.databaseUrl },
      logging: { level: 'warn' },
    },
  });
  config.api.keys = [{ name: 'bench', role: 'operator', sha256: hashApiKey(operatorKey) }];
  const logger = createLogger(config, { process: 'bench' });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const docketWorker = await createDocketWorker({
    workflows: workflowRegistry,
    config,
    connection: nativeConnection,
    db,
    gateway: createModelGateway({ config, logger }),
    logger,
  });
  // The anchor's worker: SDK defaults, nothing of Docket's.
  const anchorWorker = await Worker.create({
    connection: nativeConnection,
    namespace: temporal.namespace,
    taskQueue: ANCHOR_QUEUE,
    workflowsPath: require.resolve('./anchor/workflow'),
    activities: anchorActivities,
  });
  const running = [docketWorker.run(), anchorWorker.run()];
  const connection = await Connection.connect({ address: temporal.address });
  const docketClient = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: docketDataConverter(config.encryption.keys),
  });
  const rawClient = new Client({ connection, namespace: temporal.namespace });
  const server = createApp({ config, client: docketClient, db, logger, workflows: workflowRegistry }).listen(
    0,
    '127.0.0.1',
  );
  await new Promise((resolve) => server.once('listening', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const example = JSON.parse(readFileSync('examples/clear-personal-injury.json', 'utf8'));
  const run = `${Date.now()}`;
  let serial = 0;

  const docketOne = async (): Promise<Sample> => {
    const t0 = performance.now();
    const response = await fetch(`${api}/v1/workflows/legal-intake`, {
      method: 'POST',
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...example, externalId: `bench-${run}-${serial++}` }),
    });
    if (response.status !== 202)
      throw new Error(`start answered ${response.status}: ${await response.text()}`);
    const { workflowId } = (await response.json()) as { workflowId: string };
    const startMs = performance.now() - t0;
    const result: LegalIntakeStatus = await docketClient.workflow.getHandle(workflowId).result();
    return { workflowId, startMs, totalMs: performance.now() - t0, ok: result.status === 'completed' };
  };
  const rawOne = (latency: number) => async (): Promise<Sample> => {
    const t0 = performance.now();
    const handle = await rawClient.workflow.start('anchorIntake', {
      taskQueue: ANCHOR_QUEUE,
      workflowId: `anchor-${run}-${serial++}`,
      args: [{ latencyMs: latency }],
    });
    const startMs = performance.now() - t0;
    const result = await handle.result();
    return { workflowId: handle.workflowId, startMs, totalMs: performance.now() - t0, ok: result === 'done' };
  };

  progress('warming up: 5 of each (bundles loaded, connections open)');
  await runClosedLoop(5, 5, rawOne(latencyMs));
  await runClosedLoop(5, 5, docketOne);

  const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
  const say = (line: string) => process.stdout.write(`${line}\n`);
  // BEGIN and COMMIT are round trips too: two a transaction.
  const dbLine = (counts: DbCounts, intakes: number) =>
    `${((counts.queries + 2 * counts.transactions) / intakes).toFixed(0)} round trips, ${(counts.transactions / intakes).toFixed(1)} transactions, ${((counts.queryMs + counts.transactionMs) / intakes).toFixed(0)} ms`;
  say(
    `bench: Docket beside raw Temporal, simulator latency ${latencyMs} ms per call, model time ${MODEL_CALLS} × ${latencyMs} = ${modelMs} ms, database ${database.kind}; times from the client's start request to the result`,
  );
  say('');
  say(
    '| in flight | runs | Docket p50 / p95 | raw p50 / p95 | Docket ÷ raw (p50) | Docket ÷ model time | raw ÷ model time | start p50 Docket / raw | database per intake (time summed over callers) |',
  );
  say(
    '| --------- | ---- | ---------------- | ------------- | ------------------ | ------------------- | ---------------- | ---------------------- | ---------------------------------------------- |',
  );
  let firstLevel: Timing | null = null;
  let lastLevel: { docket: Timing; raw: Timing } | null = null;
  const cpuLines: string[] = [];
  const statementsAt = new Map<number, DbCounts>();
  for (const level of levels) {
    const count = Math.max(level, minSamples);
    progress(`${level} in flight: ${count} anchor workflows`);
    const raw = await runClosedLoop(level, count, rawOne(latencyMs));
    progress(`${level} in flight: ${count} Docket intakes`);
    meter.take();
    const docket = await runClosedLoop(level, count, docketOne);
    const counts = meter.take();
    statementsAt.set(level, counts);
    const [d, r] = [stats(docket), stats(raw)];
    say(
      `| ${level} | ${count} | ${Math.round(d.p50)} / ${Math.round(d.p95)} ms | ${Math.round(r.p50)} / ${Math.round(r.p95)} ms | ${ratio(d.p50, r.p50)} | ${ratio(d.p50, modelMs)} | ${ratio(r.p50, modelMs)} | ${Math.round(d.startP50)} / ${Math.round(r.startP50)} ms | ${dbLine(counts, count)} |${d.ok < d.count || r.ok < r.count ? ` not completed: Docket ${d.count - d.ok}, raw ${r.count - r.ok}` : ''}`,
    );
    firstLevel ??= docket;
    lastLevel = { docket, raw };
    cpuLines.push(`- ${level} in flight: ${cpuLine(docket, raw)}`);
  }

  if (throughputCount > 0) {
    simulator.setLatency(0);
    progress(`throughput: ${throughputCount} anchor workflows at once, no model latency`);
    const rawTiming = await runClosedLoop(throughputCount, throughputCount, rawOne(0));
    progress(`throughput: ${throughputCount} Docket intakes at once, no model latency`);
    meter.take();
    const docketTiming = await runClosedLoop(throughputCount, throughputCount, docketOne);
    const counts = meter.take();
    const [docket, raw] = [stats(docketTiming), stats(rawTiming)];
    cpuLines.push(`- throughput: ${cpuLine(docketTiming, rawTiming)}`);
    say('');
    say(
      `throughput, ${throughputCount} at once, no model latency: Docket ${docket.perSecond.toFixed(1)}/s, raw ${raw.perSecond.toFixed(1)}/s, Docket ÷ raw ${ratio(docket.perSecond, raw.perSecond)}; database per intake: ${dbLine(counts, throughputCount)}${docket.ok < docket.count || raw.ok < raw.count ? `; not completed: Docket ${docket.count - docket.ok}, raw ${raw.count - raw.ok}` : ''}`,
    );
  }

  say('');
  say(
    'CPU a workflow, summed over the processes (bench: API, worker, simulator, anchor and clients; temporal: the dev server; MainThread: the embedded database, a Node process):',
  );
  say('');
  for (const line of cpuLines) say(line);

  if (lastLevel && profileCount > 0) {
    progress(
      `reading ${profileCount} histories of each from the ${levels[levels.length - 1]}-in-flight runs`,
    );
    const profiles = { docket: [] as RunProfile[], raw: [] as RunProfile[] };
    for (const side of ['docket', 'raw'] as const) {
      for (const s of lastLevel[side].samples.slice(0, profileCount)) {
        profiles[side].push(await profileRun(side === 'docket' ? docketClient : rawClient, s.workflowId));
      }
    }
    say('');
    say(`per run, the mean over ${profileCount} runs of each at ${levels[levels.length - 1]} in flight:`);
    say('');
    for (const line of profileLines(meanProfile(profiles.docket), meanProfile(profiles.raw))) say(line);
  }

  const first = statementsAt.get(levels[0]);
  if (first) {
    const count = Math.max(levels[0], minSamples);
    say('');
    say(
      `database statements per intake at ${levels[0]} in flight, by what they begin with (BEGIN and COMMIT left out):`,
    );
    say('');
    for (const [sql, n] of Object.entries(first.bySql).sort((a, b) => b[1] - a[1])) {
      say(`  ${(n / count).toFixed(1).padStart(5)}  ${sql}`);
    }
  }

  if (firstLevel) {
    const ids = firstLevel.samples.map((s) => s.workflowId);
    say('');
    say(
      `Docket's actions at ${levels[0]} in flight, as the audit trail timed them (an activity's own work, from its start to its audit row; a model call's includes the simulator's ${latencyMs} ms):`,
    );
    say('');
    say('| action | per intake | mean | p50 |');
    say('| ------ | ---------- | ---- | --- |');
    for (const a of await actionTimes(db, ids)) {
      say(`| ${a.action} | ${a.perRun.toFixed(1)} | ${a.meanMs.toFixed(1)} ms | ${a.p50Ms.toFixed(1)} ms |`);
    }
  }

  server.close();
  docketWorker.shutdown();
  anchorWorker.shutdown();
  await Promise.all(running);
  await connection.close();
  await nativeConnection.close();
  await db.close();
  await services.close();
  await database.close();
}

/**
 * Where Docket's tables live for the run: the embedded PGlite server (as `npm start`; `url` null, the stack
 * starts it), or a database of the run's own on the PostgreSQL server `serverUrl` names, created here and
 * dropped at the end.
 */
async function benchDatabase(
  serverUrl: string,
): Promise<{ url: string | null; kind: string; close(): Promise<void> }> {
  if (!serverUrl) return { url: null, kind: 'PGlite (embedded server)', close: async () => undefined };
  const name = `docket_bench_${randomBytes(6).toString('hex')}`;
  const admin = await createDatabase({ url: serverUrl, max: 1 });
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    kind: `PostgreSQL (${url.host})`,
    async close() {
      await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await admin.close();
    },
  };
}

/** What a run costs Temporal, Docket beside the anchor, per run (the mean over the runs read). */
function profileLines(docket: RunProfile, raw: RunProfile): string[] {
  const f = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));
  const lines = [
    '| per run (mean)                            | Docket | raw |',
    '| ----------------------------------------- | ------ | --- |',
    `| history events                            | ${f(docket.events)} | ${f(raw.events)} |`,
    `| history bytes (payload data)              | ${f(docket.historyBytes)} (${f(docket.payloadBytes)}) | ${f(raw.historyBytes)} (${f(raw.payloadBytes)}) |`,
    `| workflow tasks                            | ${f(docket.workflowTasks)} | ${f(raw.workflowTasks)} |`,
    `| workflow tasks: schedule-to-start, summed | ${f(docket.workflowTaskScheduleToStartMs)} ms | ${f(raw.workflowTaskScheduleToStartMs)} ms |`,
    `| workflow tasks: start-to-close, summed    | ${f(docket.workflowTaskStartToCloseMs)} ms | ${f(raw.workflowTaskStartToCloseMs)} ms |`,
    `| activities                                | ${f(docket.activities)} | ${f(raw.activities)} |`,
    '',
    '| activity (mean per run)   | count | schedule-to-start, summed | start-to-close, summed |',
    '| ------------------------- | ----- | ------------------------- | ---------------------- |',
  ];
  for (const [side, p] of [
    ['Docket', docket],
    ['raw', raw],
  ] as const) {
    for (const [type, a] of Object.entries(p.byActivity)) {
      lines.push(
        `| ${side} ${type} | ${f(a.count)} | ${f(a.scheduleToStartMs)} ms | ${f(a.startToCloseMs)} ms |`,
      );
    }
  }
  return lines;
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
