/**
 * A whole Docket stack for one test file: its own simulator, in-memory PGlite served over a socket,
 * an in-process worker on a task queue of its own, and a Temporal client, all against the one dev server
 * that jest's global setup started.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createModelGateway } from '../../agents/gateway';
import { Sealer, docketDataConverter } from '../../codec';
import { createLogger, hashApiKey, loadConfig, type DeepPartial, type DocketConfig } from '../../config';
import { createDatabase, type Database } from '../../db';
import type { WorkflowRegistry } from '../../domain';
import type { WorkerMetrics } from '../../metrics';
import { PersonalDataStore } from '../../personal-data';
import { startDevStack } from '../../scripts';
import type { RunningSimulator } from '../../simulator';
import { createDocketWorker, installTemporalLogging, type DocketWorker } from '../../worker';
import { workflowRegistry } from '../../workflows/registry';
import { workflowBundle } from './bundle';
import { dropCascades } from '../config/support';
import { databaseSnapshot } from '../db/support';
import { TEST_ENCRYPTION_KEYS } from './encryption';

export interface TestStack {
  config: DocketConfig;
  client: Client;
  simulator: RunningSimulator;
  db: Database;
  /** The sealed raw intakes and pseudonym mappings, as the API and the worker keep them. */
  personal: PersonalDataStore;
  /** Connection string of the stack's embedded database, for worker processes a test starts itself. */
  databaseUrl: string;
  /** Null with `withoutWorker`. */
  worker: DocketWorker | null;
  keys: { operator: string; reviewer: string; engineer: string; admin: string };
  /** The stack's DOCKET_ENCRYPTION_KEYS, for worker processes a test starts itself. */
  encryptionKeys: string;
  close(): Promise<void>;
}

export interface TestStackOptions {
  latencyMs?: number;
  configOverrides?: DeepPartial<DocketConfig>;
  /** Leave the worker out (tests that run their own worker process). */
  withoutWorker?: boolean;
  /** DOCKET_ENCRYPTION_KEYS for the worker and client; default: the fixed test key set. */
  encryptionKeys?: string;
  /** Docket's worker metrics for the stack's worker (test/metrics); default: none counted. */
  workerMetrics?: WorkerMetrics;
  /** The Temporal server for the client and worker; default: the run's dev server (`temporalTestAddress`). */
  temporal?: { address: string; namespace: string };
  /** The workflow types the worker runs (its bundle is made from them); default: Docket's registry. */
  workflows?: WorkflowRegistry;
  /**
   * Every agent on its own tier, as config without cascades: for tests of a tier's own behaviour (its
   * fallbacks, its request shape, its rate) that the shipped cascades would route around. Default: the
   * config file's cascades, as `npm start` runs.
   */
  withoutCascades?: boolean;
}

/** The SDK's runtime is one per process; jest may already have installed it for an earlier file. */
export function quietTemporalLogs(logger: ReturnType<typeof createLogger>): void {
  try {
    installTemporalLogging(logger);
  } catch (err) {
    if (!/already/i.test(String(err))) throw err;
  }
}

export function temporalTestAddress(): { address: string; namespace: string } {
  const address = process.env.DOCKET_TEST_TEMPORAL_ADDRESS;
  if (!address)
    throw new Error('DOCKET_TEST_TEMPORAL_ADDRESS is not set: run tests through jest (global setup)');
  return { address, namespace: process.env.DOCKET_TEST_TEMPORAL_NAMESPACE ?? 'default' };
}

export async function startTestStack(options: TestStackOptions = {}): Promise<TestStack> {
  const { address, namespace } = options.temporal ?? temporalTestAddress();
  const services = await startDevStack({
    temporal: { address, namespace },
    database: { snapshot: databaseSnapshot() },
    simulator: { latencyMs: options.latencyMs ?? 0, recordRequests: true },
  });
  const simulator = services.simulator!;
  const db = await createDatabase({ url: services.databaseUrl });
  const keys = {
    operator: randomBytes(24).toString('hex'),
    reviewer: randomBytes(24).toString('hex'),
    engineer: randomBytes(24).toString('hex'),
    admin: randomBytes(24).toString('hex'),
  };
  const encryptionKeys = options.encryptionKeys ?? TEST_ENCRYPTION_KEYS;
  const config = loadConfig({
    env: { DOCKET_ENCRYPTION_KEYS: encryptionKeys },
    overrides: {
      temporal: { address, namespace, taskQueue: `test-${randomUUID()}` },
      provider: { baseURL: simulator.url, apiKey: null, timeoutMs: 5_000 },
      database: { url: services.databaseUrl },
      api: { port: 0 },
      logging: { level: 'warn' },
      ...options.configOverrides,
    },
  });
  if (options.withoutCascades) dropCascades(config);
  config.api.keys = [
    { name: 'test-operator', role: 'operator', sha256: hashApiKey(keys.operator) },
    { name: 'test-reviewer', role: 'reviewer', sha256: hashApiKey(keys.reviewer) },
    { name: 'test-engineer', role: 'engineer', sha256: hashApiKey(keys.engineer) },
    { name: 'test-admin', role: 'admin', sha256: hashApiKey(keys.admin) },
  ];
  const logger = createLogger(config, { process: 'test' });
  quietTemporalLogs(logger);
  const nativeConnection = await NativeConnection.connect({ address });
  const connection = await Connection.connect({ address });
  const client = new Client({
    connection,
    namespace,
    dataConverter: docketDataConverter(config.encryption.keys),
  });
  const gateway = createModelGateway({ config, logger });
  const worker = options.withoutWorker
    ? null
    : await createDocketWorker({
        workflows: options.workflows ?? workflowRegistry,
        config,
        connection: nativeConnection,
        db,
        gateway,
        logger,
        workflowBundle: await workflowBundle(options.workflows),
        metrics: options.workerMetrics,
      });
  const running = worker ? worker.run() : Promise.resolve();

  return {
    config,
    client,
    simulator,
    db,
    personal: new PersonalDataStore(db, new Sealer(config.encryption.keys)),
    databaseUrl: services.databaseUrl,
    worker,
    keys,
    encryptionKeys,
    async close() {
      if (worker?.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
      await nativeConnection.close();
      await db.close();
      await services.close();
    },
  };
}
