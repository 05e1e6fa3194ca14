/** What both phases of the scale test share, and the environment that configures their processes. */
import type { Database } from '../../db';

export interface ScaleContext {
  /** Logs of every process, and the dev server's SQLite file. */
  runDir: string;
  databaseUrl: string;
  /** The run's database, for counting what was filed. */
  db: Database;
  simulatorUrl: string;
  /** DOCKET_ENCRYPTION_KEYS of every process. */
  encryptionKeys: string;
  keys: { operator: string; reviewer: string };
}

/**
 * The environment of a worker or API process: configured as an operator would, through the overrides
 * config/load.ts reads, on top of the shipped temporal.config.json. No model key: the simulator answers.
 */
export function docketEnv(
  ctx: ScaleContext,
  temporal: { address: string; namespace: string; taskQueue: string },
  extra: Record<string, string>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: temporal.namespace,
    TEMPORAL_TASK_QUEUE: temporal.taskQueue,
    OPENAI_BASE_URL: ctx.simulatorUrl,
    DATABASE_URL: ctx.databaseUrl,
    DOCKET_ENCRYPTION_KEYS: ctx.encryptionKeys,
    DOCKET_API_KEYS: [
      `scale-operator:operator:${ctx.keys.operator}`,
      `scale-reviewer:reviewer:${ctx.keys.reviewer}`,
    ].join(','),
    LOG_LEVEL: 'warn',
    ...extra,
  };
  for (const name of ['OPENAI_API_KEY', 'DOCKET_CONFIG', 'TEMPORAL_API_KEY']) delete env[name];
  return env;
}
