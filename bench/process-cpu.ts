/**
 * CPU time of this process and every process it started (the dev server, the embedded database), read
 * from Linux's /proc: what a phase of the bench cost each of them, whichever core it ran on. Elsewhere
 * (no /proc) a snapshot is empty and the bench prints no CPU figures.
 */
import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) per process, keyed by pid, with the process's command name. */
export type CpuSnapshot = Map<number, { name: string; cpuMs: number }>;

/** Linux's clock ticks per second for /proc/<pid>/stat (USER_HZ, 100 on every mainstream kernel). */
const TICKS_PER_SECOND = 100;

interface ProcStat {
  pid: number;
  name: string;
  ppid: number;
  cpuMs: number;
}

function readStat(pid: number, file = `/proc/${pid}/stat`): ProcStat | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null; // gone, or no /proc
  }
  // "pid (comm) state ppid …": comm may hold spaces and parentheses, so split after its last ')'.
  const close = text.lastIndexOf(')');
  const name = text.slice(text.indexOf('(') + 1, close);
  const fields = text
    .slice(close + 2)
    .split(' ')
    .map(Number);
  // After comm: state is field 3, ppid 4, utime 14 and stime 15 (1-based, proc(5)).
  const ppid = fields[1];
  const ticks = fields[11] + fields[12];
  return { pid, name, ppid, cpuMs: (ticks * 1000) / TICKS_PER_SECOND };
}

/** This process and its descendants, now. */
export function cpuSnapshot(root: number = process.pid): CpuSnapshot {
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((entry) => /^\d+$/.test(entry))
      .map(Number);
  } catch {
    return new Map();
  }
  const stats = pids.map((pid) => readStat(pid)).filter((s): s is ProcStat => s !== null);
  const children = new Map<number, ProcStat[]>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const snapshot: CpuSnapshot = new Map();
  const self = stats.find((s) => s.pid === root);
  const queue = self ? [self] : [];
  while (queue.length > 0) {
    const s = queue.shift()!;
    snapshot.set(s.pid, { name: s.pid === root ? 'bench' : s.name, cpuMs: s.cpuMs });
    queue.push(...(children.get(s.pid) ?? []));
  }
  return snapshot;
}

/**
 * CPU spent between two snapshots, by process name (processes of one name added up), largest first;
 * a process started in between counts from zero.
 */
export function cpuSpent(before: CpuSnapshot, after: CpuSnapshot): Array<{ name: string; cpuMs: number }> {
  const byName = new Map<string, number>();
  for (const [pid, now] of after) {
    const spent = now.cpuMs - (before.get(pid)?.cpuMs ?? 0);
    byName.set(now.name, (byName.get(now.name) ?? 0) + spent);
  }
  return [...byName]
    .map(([name, cpuMs]) => ({ name, cpuMs }))
    .filter((p) => p.cpuMs > 0)
    .sort((a, b) => b.cpuMs - a.cpuMs);
}

/**
 * CPU milliseconds of each thread of this process, keyed by thread id, with the thread's name (Node names its
 * own: MainThread, WorkerThread for each worker thread, V8Worker for V8's helpers, the garbage collector's
 * among them; the Temporal SDK's core runs on tokio-runtime-w threads).
 */
export function threadSnapshot(pid: number = process.pid): CpuSnapshot {
  let tids: number[];
  try {
    tids = readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return new Map();
  }
  const snapshot: CpuSnapshot = new Map();
  for (const tid of tids) {
    const s = readStat(tid, `/proc/${pid}/task/${tid}/stat`);
    if (s) snapshot.set(tid, { name: s.name, cpuMs: s.cpuMs });
  }
  return snapshot;
}

/**
 * CPU each thread spent between two thread snapshots, by name, largest first, with each thread's share where
 * several bear the name ("WorkerThread 45 (35 + 10)"); a thread that ended in between is not counted.
 */
export function threadsSpent(
  before: CpuSnapshot,
  after: CpuSnapshot,
): Array<{ name: string; cpuMs: number; threads: number[] }> {
  const byName = new Map<string, number[]>();
  for (const [tid, now] of after) {
    const spent = now.cpuMs - (before.get(tid)?.cpuMs ?? 0);
    if (spent > 0) byName.set(now.name, [...(byName.get(now.name) ?? []), spent]);
  }
  return [...byName]
    .map(([name, threads]) => ({
      name,
      cpuMs: threads.reduce((sum, ms) => sum + ms, 0),
      threads: threads.sort((a, b) => b - a),
    }))
    .sort((a, b) => b.cpuMs - a.cpuMs);
}
