/**
 * The Docket worker as a child process of a benchmark (`node --import tsx worker/main.ts`, as `npm start`
 * runs it), so that its memory is its own and can be read from /proc/<pid>/status.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Connection } from '@temporalio/client';

export interface WorkerProcess {
  pid: number;
  /** Resident set size in MB (VmRSS), or null once the process has gone. */
  rssMb(): number | null;
  /** Resolves once the worker polls `taskQueue` (it bundles the workflows first: a few seconds). */
  ready(connection: Connection, namespace: string, taskQueue: string): Promise<void>;
  /** SIGTERM, then SIGKILL after 15 s: the worker drains in-flight activities on SIGTERM. */
  stop(): Promise<void>;
}

const READY_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 15_000;

/** Starts the worker with `env` (its config comes from there); `onExit` hears of an exit stop() did not ask for. */
export function spawnWorker(env: NodeJS.ProcessEnv, onExit: (reason: string) => void): WorkerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (child.pid === undefined) throw new Error('the worker process did not start');
  const pid = child.pid;
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      if (!stopping) onExit(`the worker exited (${signal ?? `code ${code}`})`);
      resolve();
    }),
  );
  const gone = () => child.exitCode !== null || child.signalCode !== null;

  return {
    pid,
    rssMb: () => {
      const kb = gone() ? null : readRssKb(pid);
      return kb === null ? null : kb / 1024;
    },
    async ready(connection, namespace, taskQueue) {
      const deadline = Date.now() + READY_TIMEOUT_MS;
      while (Date.now() < deadline && !gone()) {
        const { pollers } = await connection.workflowService.describeTaskQueue({
          namespace,
          taskQueue: { name: taskQueue },
        });
        if (pollers.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
      throw new Error(`the worker did not poll ${taskQueue} within ${READY_TIMEOUT_MS / 1000} s`);
    },
    async stop() {
      stopping = true;
      if (gone()) return;
      const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
      child.kill('SIGTERM');
      await exited;
      clearTimeout(force);
    },
  };
}

/** VmRSS from /proc on Linux, `ps` elsewhere; null when the process has just gone. */
function readRssKb(pid: number): number | null {
  if (process.platform !== 'linux') {
    const out = execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return out ? Number(out) : null;
  }
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const match = /^VmRSS:\s+(\d+) kB$/m.exec(status);
  return match ? Number(match[1]) : null;
}
