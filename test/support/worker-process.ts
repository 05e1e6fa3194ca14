import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { TestStack } from './stack';

/** A real worker process, as `npm run worker` starts it, wired to a test's stack; `env` adds to or overrides its environment. */
export function spawnWorkerProcess(stack: TestStack, env: NodeJS.ProcessEnv = {}): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', path.join('worker', 'main.ts')], {
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: stack.config.temporal.address,
      TEMPORAL_NAMESPACE: stack.config.temporal.namespace,
      TEMPORAL_TASK_QUEUE: stack.config.temporal.taskQueue,
      OPENAI_BASE_URL: stack.simulator.url,
      DATABASE_URL: stack.databaseUrl,
      DOCKET_ENCRYPTION_KEYS: stack.encryptionKeys,
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}
