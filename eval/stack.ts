/**
 * What an eval run runs on: Temporal (given, or a dev server of its own), an in-memory PGlite seeded with the
 * demo directory (the corpus's conflicts are written against it, so DATABASE_URL is never used), the
 * simulator (no faults, no latency) unless a provider key or base URL is configured, a Docket worker on a task
 * queue of the run's own, and a client. Payloads are encrypted with a key made for the run and thrown away
 * after it. Config comes from the usual file and environment, so OPENAI_API_KEY measures the real models.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type WorkerOptions } from '@temporalio/worker';
import { createModelGateway } from '../agents/gateway';
import { AesGcmPayloadCodec, Sealer, docketDataConverter, generateEncryptionKeyEntry } from '../codec';
import { createLogger, loadConfig, type DocketConfig, type ModelEntry } from '../config';
import { createDatabase } from '../db';
import { PersonalDataStore } from '../personal-data';
import { startDevStack } from '../scripts';
import { createDocketWorker } from '../worker';
import { workflowRegistry } from '../workflows/registry';

export interface EvalStackOptions {
  /** A running Temporal server (with Docket's search attributes); default: a dev server of the run's own. */
  temporal?: { address: string; namespace?: string };
  /** Config file; default as `loadConfig` (DOCKET_CONFIG or temporal.config.json). */
  configFile?: string;
  /** A config overlay merged over it (`npm run eval -- --config FILE`): another model, rung or threshold. */
  configOverlay?: string;
  /** Environment for the config (OPENAI_API_KEY selects the real provider); default `process.env`. */
  env?: Record<string, string | undefined>;
  /** A prebuilt workflow bundle (tests); default: the worker bundles `workflows/` at start. */
  workflowBundle?: WorkerOptions['workflowBundle'];
}

export interface EvalStack {
  config: DocketConfig;
  /**
   * The model the naive baseline is priced at: the config file's drafting tier's first, whatever an overlay
   * puts there, so that every configuration is measured against the same baseline.
   */
  baselineModel: ModelEntry;
  client: Client;
  personal: PersonalDataStore;
  codec: AesGcmPayloadCodec;
  simulator: boolean;
  /** Rejects when the worker stops on its own. */
  workerStopped: Promise<void>;
  close(): Promise<void>;
}

/** Starts the stack for the run `runId` (which names its task queue and key); `close` stops what it started. */
export async function startEvalStack(runId: string, options: EvalStackOptions): Promise<EvalStack> {
  const closers: Array<() => Promise<unknown>> = [];
  const close = async () => {
    for (const step of closers.reverse()) await step().catch(() => undefined);
  };
  try {
    // Config first: it says whether a provider is configured (then no simulator).
    const config = loadConfig({
      file: options.configFile,
      overlay: options.configOverlay,
      env: {
        ...(options.env ?? process.env),
        DOCKET_ENCRYPTION_KEYS: generateEncryptionKeyEntry(`eval-${runId}`),
      },
      overrides: {
        logging: { level: 'warn' },
        // Eval runs notify nobody.
        notifications: { webhooks: [] },
      },
    });
    const baselineModel = options.configOverlay
      ? loadConfig({ file: options.configFile, env: options.env ?? process.env }).models.drafting[0]
      : config.models.drafting[0];
    const simulator = !config.provider.apiKey && !config.provider.baseURL;
    const services = await startDevStack({ temporal: options.temporal, simulator: simulator ? {} : false });
    closers.push(services.close);
    const { address, namespace } = services.temporal;
    config.temporal = { ...config.temporal, address, namespace, taskQueue: `docket-eval-${runId}` };
    config.database = { ...config.database, url: services.databaseUrl };
    if (services.simulator) config.provider.baseURL = services.simulator.url;
    const db = await createDatabase({ url: services.databaseUrl });
    closers.push(() => db.close());
    const logger = createLogger(config, { process: 'eval' });
    const nativeConnection = await NativeConnection.connect({ address });
    closers.push(() => nativeConnection.close());
    const worker = await createDocketWorker({
      workflows: workflowRegistry,
      config,
      connection: nativeConnection,
      db,
      gateway: createModelGateway({ config, logger }),
      logger,
      workflowBundle: options.workflowBundle,
    });
    const running = worker.run();
    closers.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running.catch(() => undefined);
    });
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    return {
      config,
      baselineModel,
      client: new Client({
        connection,
        namespace,
        dataConverter: docketDataConverter(config.encryption.keys),
      }),
      personal: new PersonalDataStore(db, new Sealer(config.encryption.keys)),
      codec: new AesGcmPayloadCodec(config.encryption.keys),
      simulator,
      workerStopped: running.then(() => {
        throw new Error('the eval worker stopped before the run ended');
      }),
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
