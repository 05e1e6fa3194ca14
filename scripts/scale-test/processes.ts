/**
 * Worker and API processes of the scale test, started as `npm run worker` / `npm run api` start them
 * (`node --import tsx worker/main.ts`), configured from the environment only, each logging to a file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import path from 'node:path';
import type { Connection } from '@temporalio/client';

export const ROOT = path.join(__dirname, '..', '..');

export interface DocketProcess {
  readonly name: string;
  readonly pid: number;
  readonly log: string;
  /** Resolves with how it ended. */
  readonly exited: Promise<string>;
  alive(): boolean;
  /** SIGTERM (the processes drain and close), SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
}

/** Starts `entry` (`worker/main.ts` or `api/main.ts`) with `env`, its output appended to `log`. */
export function spawnDocket(name: string, entry: string, env: NodeJS.ProcessEnv, log: string): DocketProcess {
  const fd = openSync(log, 'a');
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  if (child.pid === undefined) throw new Error(`${name} did not start`);
  const exited = new Promise<string>((resolve) =>
    child.once('exit', (code, signal) => resolve(signal ?? `exit code ${code}`)),
  );
  const alive = () => child.exitCode === null && child.signalCode === null;
  return {
    name,
    pid: child.pid,
    log,
    exited,
    alive,
    async stop(graceMs = 15_000) {
      if (!alive()) return;
      const force = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
    async kill() {
      if (!alive()) return;
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * Resolves once the worker process `pid` polls `taskQueue`. The SDK's default worker identity is
 * `<pid>@<host>`, so a restarted worker is told apart from the one still running beside it.
 */
export async function workerPolling(
  connection: Connection,
  namespace: string,
  taskQueue: string,
  worker: DocketProcess,
  timeoutMs = 120_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!worker.alive()) throw new Error(`${worker.name} exited (${await worker.exited}); see ${worker.log}`);
    const { pollers } = await connection.workflowService
      .describeTaskQueue({ namespace, taskQueue: { name: taskQueue } })
      .catch(() => ({ pollers: [] }));
    if (pollers.some((p) => p.identity?.startsWith(`${worker.pid}@`))) return;
    await sleep(250);
  }
  throw new Error(`${worker.name} did not poll ${taskQueue} within ${timeoutMs / 1000} s; see ${worker.log}`);
}

/** Resolves once the API answers `GET /readyz` with 200 (it reaches Temporal). */
export async function apiReady(api: DocketProcess, url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!api.alive()) throw new Error(`${api.name} exited (${await api.exited}); see ${api.log}`);
    const status = await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    await sleep(250);
  }
  throw new Error(`${api.name} was not ready at ${url} within ${timeoutMs / 1000} s; see ${api.log}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** SIGKILLs every process this one started (workers, APIs, dev servers), when the run is interrupted. */
export function killChildren(): void {
  const { stdout } = spawnSync('pgrep', ['-P', String(process.pid)], { encoding: 'utf8' });
  for (const pid of stdout.split('\n').filter(Boolean)) {
    try {
      process.kill(Number(pid), 'SIGKILL');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
    }
  }
}
