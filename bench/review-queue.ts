/**
 * `npm run bench:reviews [-- --intakes 10000 --concurrency 50 --max-cached 500 --repeat 30 --pause-ms 1000]`
 * N intakes that all wait for a person (examples/ambiguous.json escalates at classify), then the review
 * queue read at that scale through the REST API: the first page, a deep page, a filtered page and the
 * counts, p50/p95 over --repeat calls (--pause-ms apart, so that each starts with the server's visibility
 * rate limit refilled; the back-to-back cursor walk shows what happens without), beside the raw Temporal
 * visibility calls the queue is built on (one list page, one count of the same query), same run. The
 * worker runs as a child process, so its memory (VmRSS) is read on its own: idle (the anchor), at the peak
 * while the intakes start, and once all of them wait. A benchmark prints figures; it asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@temporalio/client';
import { createApp } from '../api';
import { workflowRegistry } from '../workflows/registry';
import type { QueueCounts, QueuePage } from '../client';
import { queueQuery } from '../client';
import { docketDataConverter, generateEncryptionKeyEntry } from '../codec';
import { createLogger, hashApiKey, loadConfig } from '../config';
import { createDatabase } from '../db';
import { startDevStack } from '../scripts';
import {
  meterVisibilityCalls,
  meteredConnection,
  percentile,
  timed,
  type Meter,
  type Timing,
} from './visibility-meter';
import { spawnWorker } from './worker-process';

const TASK_QUEUE = 'docket-bench-reviews';
const PROGRESS_MS = 5_000;
/** With no new open review for this long, something other than load is wrong: stop and say so. */
const STALL_MS = 180_000;

function flag(name: string, fallback: number): number;
function flag(name: string): number | undefined;
function flag(name: string, fallback?: number): number | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value < 0) throw new Error(`--${name} must be a whole number`);
  return value;
}

const median = (values: number[]) =>
  percentile(
    values.toSorted((a, b) => a - b),
    50,
  );
const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The list anchor: the first 50 rows of the same query, one ListWorkflowExecutions call. */
async function firstListPage(client: Client, query: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const run of client.workflow.list({ query, pageSize: 50 })) {
    ids.push(run.workflowId);
    if (ids.length === 50) break;
  }
  return ids;
}

async function main(): Promise<void> {
  const intakes = flag('intakes', 10_000);
  const concurrency = Math.max(1, flag('concurrency', 50));
  const repeat = Math.max(1, flag('repeat', 30));
  const maxCachedFlag = flag('max-cached');
  const pauseMs = flag('pause-ms', 1_000);

  const closers: Array<() => Promise<void>> = [];
  let closing: Promise<void> | undefined;
  const closeAll = () =>
    (closing ??= (async () => {
      for (const close of closers.reverse()) {
        await close().catch((err: unknown) => process.stderr.write(`bench: cleanup step failed: ${err}\n`));
      }
    })());
  const quit = (code: number) => void closeAll().finally(() => process.exit(code));
  process.once('SIGINT', () => quit(130));
  process.once('SIGTERM', () => quit(143));
  let failure: ((err: Error) => void) | undefined;
  const failed = new Promise<never>((_, reject) => (failure = reject));
  failed.catch(() => undefined);

  try {
    const services = await startDevStack();
    closers.push(services.close);
    const { temporal } = services;
    const simulator = services.simulator!;
    const db = await createDatabase({ url: services.databaseUrl });
    closers.push(() => db.close());

    // Payloads are encrypted (codec/): a key of this run's own, for the worker and the API's client alike.
    const encryptionKeys = generateEncryptionKeyEntry('bench-1');
    const configFile = path.resolve('temporal.config.json');
    const config = loadConfig({
      file: configFile,
      env: { DOCKET_ENCRYPTION_KEYS: encryptionKeys },
      overrides: {
        temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: TASK_QUEUE },
        provider: { baseURL: simulator.url, apiKey: null },
        database: { url: services.databaseUrl },
        logging: { level: 'warn' },
      },
    });
    const maxCached = maxCachedFlag ?? config.worker.maxCachedWorkflows;
    process.stdout.write(
      `bench:reviews: ${intakes} intakes waiting for review, ${concurrency} starts in flight, ` +
        `worker cache ${maxCached} workflows, ${repeat} timed requests per figure\n`,
    );

    // worker.maxCachedWorkflows has no environment override: the worker gets a copy of the config file.
    let workerConfigFile = configFile;
    if (maxCachedFlag !== undefined) {
      const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-bench-'));
      closers.push(async () => rmSync(dir, { recursive: true, force: true }));
      const raw = JSON.parse(readFileSync(configFile, 'utf8'));
      raw.worker = { ...raw.worker, maxCachedWorkflows: maxCachedFlag };
      workerConfigFile = path.join(dir, 'worker.config.json');
      writeFileSync(workerConfigFile, JSON.stringify(raw, null, 2));
    }
    const worker = spawnWorker(
      {
        ...process.env,
        DOCKET_CONFIG: workerConfigFile,
        TEMPORAL_ADDRESS: temporal.address,
        TEMPORAL_NAMESPACE: temporal.namespace,
        TEMPORAL_TASK_QUEUE: TASK_QUEUE,
        OPENAI_BASE_URL: simulator.url,
        OPENAI_API_KEY: '',
        DATABASE_URL: services.databaseUrl,
        DOCKET_ENCRYPTION_KEYS: encryptionKeys,
        LOG_LEVEL: 'warn',
      },
      (reason) => failure?.(new Error(reason)),
    );
    closers.push(worker.stop);

    const operatorKey = randomBytes(24).toString('hex');
    const reviewerKey = randomBytes(24).toString('hex');
    config.api.keys = [
      { name: 'bench', role: 'operator', sha256: hashApiKey(operatorKey) },
      { name: 'bench-reviewer', role: 'reviewer', sha256: hashApiKey(reviewerKey) },
    ];
    // One client for the API and the anchors, so both are metered alike; they are measured in turn.
    const meter: Meter = { calls: 0, throttled: 0 };
    const connection = await meteredConnection(temporal.address, meter);
    closers.push(() => connection.close());
    const dataConverter = docketDataConverter(config.encryption.keys);
    const client = meterVisibilityCalls(
      new Client({ connection, namespace: temporal.namespace, dataConverter }),
      meter,
    );
    const logger = createLogger(config, { process: 'bench' });
    const server = createApp({ config, client, db, logger, workflows: workflowRegistry }).listen(
      0,
      '127.0.0.1',
    );
    closers.push(() => new Promise((resolve) => server.close(() => resolve())));
    await new Promise((resolve) => server.once('listening', resolve));
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const get = async <T>(pathAndQuery: string): Promise<T> => {
      const response = await fetch(`${api}${pathAndQuery}`, {
        headers: { authorization: `Bearer ${reviewerKey}` },
      });
      if (response.status !== 200)
        throw new Error(`GET ${pathAndQuery} answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as T;
    };

    await Promise.race([worker.ready(connection, temporal.namespace, TASK_QUEUE), failed]);
    const rss: Array<{ at: number; mb: number }> = [];
    const sample = () => {
      const mb = worker.rssMb();
      if (mb !== null) rss.push({ at: performance.now(), mb });
    };
    const sampler = setInterval(sample, 1_000);
    closers.push(async () => clearInterval(sampler));
    const rssBetween = (from: number, to: number) =>
      rss.filter((s) => s.at >= from && s.at <= to).map((s) => s.mb);
    const idleFrom = performance.now();
    await Promise.race([sleep(5_500), failed]);
    sample();
    const idleMb = median(rssBetween(idleFrom, performance.now()));

    // Start every intake, then wait until visibility lists them all as open reviews.
    const example = JSON.parse(readFileSync('examples/ambiguous.json', 'utf8'));
    const openQuery = queueQuery(
      { taskQueue: TASK_QUEUE, workflowTypes: workflowRegistry.workflowTypes },
      { status: 'open' },
    );
    const run = `${Date.now()}`;
    const t0 = performance.now();
    let started = 0;
    let next = 0;
    let open = 0;
    const progress = setInterval(() => {
      void client.workflow.count(openQuery).then(
        ({ count }) => {
          const elapsed = performance.now() - t0;
          const mb = worker.rssMb();
          process.stdout.write(
            `  ${seconds(elapsed).padStart(6)}  started ${started}/${intakes} ` +
              `(${((started / elapsed) * 1000).toFixed(1)}/s)  waiting for review ${count}  ` +
              `worker RSS ${mb === null ? '-' : mb.toFixed(0)} MB\n`,
          );
        },
        (err: unknown) => process.stderr.write(`bench: progress count failed: ${err}\n`),
      );
    }, PROGRESS_MS);
    closers.push(async () => clearInterval(progress));
    const startOne = async (i: number) => {
      const response = await fetch(`${api}/v1/workflows/legal-intake`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...example, externalId: `bench-reviews-${run}-${i}` }),
      });
      if (response.status !== 202)
        throw new Error(`start answered ${response.status}: ${await response.text()}`);
      started++;
    };
    const starting = Promise.all(
      Array.from({ length: Math.min(concurrency, intakes) }, async () => {
        while (next < intakes) await startOne(next++);
      }),
    );
    await Promise.race([starting, failed]);
    const startedMs = performance.now() - t0;
    let lastGain = performance.now();
    while (open < intakes) {
      await Promise.race([sleep(2_000), failed]);
      const counted = (await get<QueueCounts>('/v1/reviews/counts')).open;
      if (counted > open) lastGain = performance.now();
      open = counted;
      if (performance.now() - lastGain > STALL_MS)
        throw new Error(`stalled: ${open}/${intakes} open, none more for ${seconds(STALL_MS)}`);
    }
    const allOpenMs = performance.now() - t0;
    clearInterval(progress);
    sample();
    const peakMb = Math.max(...rssBetween(t0, performance.now()));
    const settledFrom = performance.now();
    await Promise.race([sleep(10_500), failed]);
    sample();
    const waitingMb = median(rssBetween(settledFrom, performance.now()));

    // The queue at scale, through the API.
    const counts = await get<QueueCounts>('/v1/reviews/counts');
    const urgency = Object.entries(counts.byUrgency).sort(([, a], [, b]) => b.open - a.open)[0]?.[0];
    const deepTarget = Math.max(2, Math.round(intakes / 100));
    let cursor: string | null = null;
    let deepPage = 1;
    const walkStart = { at: performance.now(), ...meter };
    for (; deepPage < deepTarget; deepPage++) {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const page: QueuePage = await get<QueuePage>(`/v1/reviews?limit=50${query}`);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const walk = {
      ms: performance.now() - walkStart.at,
      pages: Math.max(1, deepPage - 1),
      throttled: meter.throttled - walkStart.throttled,
    };
    const deepPath = `/v1/reviews?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const filteredPath = `/v1/reviews?stage=classify${urgency ? `&urgency=${urgency}` : ''}&limit=50`;
    const measure = { repeat, pauseMs, meter };
    const first = await timed(measure, () => get('/v1/reviews?limit=50'));
    const deep = await timed(measure, () => get(deepPath));
    const filtered = await timed(measure, () => get(filteredPath));
    const countsTiming = await timed(measure, () => get('/v1/reviews/counts'));
    const listAnchor = await timed(measure, () => firstListPage(client, openQuery));
    const countAnchor = await timed(measure, () => client.workflow.count(openQuery));

    const row = (what: string, t: Timing, anchor?: Timing) =>
      `${what.padEnd(52)}${t.p50.toFixed(1).padStart(8)}${t.p95.toFixed(1).padStart(8)}` +
      `${t.calls.toFixed(0).padStart(7)}${String(t.throttled).padStart(11)}` +
      `${anchor ? `${(t.p50 / anchor.p50).toFixed(1)}×`.padStart(10) : ''}`;
    const urgencies = Object.entries(counts.byUrgency).filter(([, c]) => c.open > 0);
    const lines = [
      '',
      `open reviews    ${counts.open} (stage classify ${counts.byStage.classify?.open ?? 0}; ` +
        `${urgencies.map(([u, c]) => `urgency ${u} ${c.open}`).join(', ')})`,
      `starting        ${intakes} started in ${seconds(startedMs)} ` +
        `(${((intakes / startedMs) * 1000).toFixed(1)}/s); all open after ${seconds(allOpenMs)}`,
      `cursor walk     to page ${deepPage} (limit 50), back to back: ${seconds(walk.ms)}, ` +
        `${(walk.ms / walk.pages).toFixed(0)} ms a page, ${walk.throttled} calls throttled`,
      '',
      `${'request'.padEnd(52)}${'p50 ms'.padStart(8)}${'p95 ms'.padStart(8)}${'calls'.padStart(7)}` +
        `${'throttled'.padStart(11)}${'÷ anchor'.padStart(10)}`,
      row('GET /v1/reviews?limit=50 (first page)', first, listAnchor),
      row(`GET /v1/reviews?limit=50&cursor=… (page ${deepPage})`, deep, listAnchor),
      row(`GET ${filteredPath.slice('/v1'.length)}`, filtered, listAnchor),
      row('GET /v1/reviews/counts', countsTiming, countAnchor),
      row('anchor: workflow.list, pageSize 50, first page', listAnchor),
      row('anchor: workflow.count, same query', countAnchor),
      '',
      `worker RSS      idle ${idleMb.toFixed(0)} MB (anchor), peak while starting ${peakMb.toFixed(0)} MB, ` +
        `all ${intakes} waiting ${waitingMb.toFixed(0)} MB (cache ${maxCached} workflows)`,
      `(${repeat} timed requests each, ${pauseMs} ms apart, after one warm-up; calls = visibility count/list ` +
        'calls per request; throttled = answers refused by the visibility rate limit over all of them)',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  } finally {
    await closeAll();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
