/**
 * `npm run bench [-- --intakes 100 --latency-ms 200]`
 * N concurrent clear intakes through the real stack: REST API → Temporal dev server → worker → simulator
 * (fixed latency per call) → PGlite. Prints throughput, p50/p95 end-to-end time and
 * ratio = median end-to-end ÷ the simulated model latency on that path (calls × latency), from the same run.
 * A benchmark prints figures; it asserts nothing.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createModelGateway } from '../agents/gateway';
import { createApp } from '../api/app';
import { docketDataConverter, generateEncryptionKeyEntry } from '../codec';
import { createLogger, hashApiKey, loadConfig } from '../config';
import { createDatabase, migrate, seed, startEmbeddedDatabase } from '../db';
import type { LegalIntakeStatus } from '../workflows/legal-intake';
import { startTemporalDevServer } from '../scripts/temporal-dev-server';
import { startSimulator } from '../simulator';
import { createDocketWorker } from '../worker';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} must be a number`);
  return value;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const intakes = flag('intakes', 100);
  const latencyMs = flag('latency-ms', 200);
  process.stdout.write(`bench: ${intakes} concurrent intakes, simulator latency ${latencyMs} ms per call\n`);

  const temporal = await startTemporalDevServer();
  const simulator = await startSimulator({ port: 0, latencyMs });
  const embedded = await startEmbeddedDatabase({ port: 0 });
  const db = await createDatabase({ url: embedded.url });
  await migrate(db);
  await seed(db);
  const operatorKey = randomBytes(24).toString('hex');
  const config = loadConfig({
    // Payloads are encrypted (codec/), as in production: a key of this run's own.
    env: { DOCKET_ENCRYPTION_KEYS: generateEncryptionKeyEntry('bench-1') },
    overrides: {
      temporal: { address: temporal.address, namespace: temporal.namespace, taskQueue: 'docket-bench' },
      provider: { baseURL: simulator.url, apiKey: null },
      database: { url: embedded.url },
      logging: { level: 'warn' },
    },
  });
  config.api.keys = [{ name: 'bench', role: 'operator', sha256: hashApiKey(operatorKey) }];
  const logger = createLogger(config, { process: 'bench' });
  const nativeConnection = await NativeConnection.connect({ address: temporal.address });
  const worker = await createDocketWorker({
    config,
    connection: nativeConnection,
    db,
    gateway: createModelGateway({ config, logger }),
    logger,
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: temporal.address });
  const client = new Client({
    connection,
    namespace: temporal.namespace,
    dataConverter: docketDataConverter(config.encryption.keys),
  });
  const server = createApp({ config, client, db, logger }).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const example = JSON.parse(readFileSync('examples/clear-personal-injury.json', 'utf8'));
  const run = `${Date.now()}`;
  const wallStart = performance.now();
  const outcomes = await Promise.all(
    Array.from({ length: intakes }, async (_, i) => {
      const response = await fetch(`${api}/v1/workflows/legal-intake`, {
        method: 'POST',
        headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ...example, externalId: `bench-${run}-${i}` }),
      });
      if (response.status !== 202)
        throw new Error(`start answered ${response.status}: ${await response.text()}`);
      const { workflowId } = (await response.json()) as { workflowId: string };
      const handle = client.workflow.getHandle(workflowId);
      const result: LegalIntakeStatus = await handle.result();
      const description = await handle.describe();
      return {
        status: result.status,
        calls: result.usage.total.calls,
        costUsd: result.usage.total.costUsd,
        ms: (description.closeTime?.getTime() ?? Date.now()) - description.startTime.getTime(),
      };
    }),
  );
  const wallMs = performance.now() - wallStart;

  const completed = outcomes.filter((o) => o.status === 'completed');
  const times = completed.map((o) => o.ms).sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const callsOnPath = percentile(
    completed.map((o) => o.calls).sort((a, b) => a - b),
    50,
  );
  const simulatedMs = callsOnPath * latencyMs;
  const lines = [
    `completed      ${completed.length}/${intakes} (others: ${outcomes.length - completed.length})`,
    `wall time      ${(wallMs / 1000).toFixed(2)} s`,
    `throughput     ${((completed.length / wallMs) * 1000).toFixed(2)} intakes/s`,
    `end-to-end     p50 ${p50} ms, p95 ${percentile(times, 95)} ms, max ${times[times.length - 1]} ms`,
    `model path     ${callsOnPath} calls × ${latencyMs} ms = ${simulatedMs} ms simulated latency`,
    `ratio          ${simulatedMs > 0 ? (p50 / simulatedMs).toFixed(2) : 'n/a'} (median end-to-end ÷ simulated model latency)`,
    `cost (sim.)    $${completed.reduce((sum, o) => sum + o.costUsd, 0).toFixed(4)} at configured prices`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  server.close();
  worker.shutdown();
  await running;
  await connection.close();
  await nativeConnection.close();
  await db.close();
  await embedded.close();
  await simulator.close();
  await temporal.close();
}

main().catch((err) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
