/**
 * `npm run fuzz:api [-- --max-examples N --seed S]`: schemathesis against the REST API of a real stack
 * (Temporal dev server, in-memory PGlite, the simulator and a worker: eval/stack.ts, the API in this process),
 * once with an operator key and once with a reviewer key, every check on. Afterwards what the API accepted is
 * compared with what Temporal and the database hold. Exit 1 on any schemathesis failure, any 5xx, or a
 * workflow (or stored body) that no accepted request accounts for; 2 on bad usage.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { createApp } from '../api';
import { workflowRegistry } from '../workflows/registry';
import { createLogger, hashApiKey, loadConfig, type ApiRole } from '../config';
import { createDatabase, type Database } from '../db';
import { workflowIdOf } from '../domain';
import { startEvalStack, type EvalStack } from '../eval';
import { installTemporalLogging } from '../worker';

const USAGE = `usage: npm run fuzz:api -- [--max-examples N] [--seed N] [--schemathesis PATH]

  --max-examples N     test cases per API operation and phase (default 40)
  --seed N             schemathesis's random seed (default: a new one each run, printed)
  --schemathesis PATH  the schemathesis executable (default .data/fuzz-venv/bin/schemathesis,
                       which scripts/fuzz-api-venv.sh installs)`;

/** The roles the fuzzer calls with, one schemathesis run each. */
const ROLES: ApiRole[] = ['operator', 'reviewer'];

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        'max-examples': { type: 'string', default: '40' },
        seed: { type: 'string' },
        schemathesis: { type: 'string', default: path.join('.data', 'fuzz-venv', 'bin', 'schemathesis') },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    }));
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const maxExamples = Number(values['max-examples']);
  const seed = values.seed ?? String(randomBytes(4).readUInt32BE());
  if (!Number.isInteger(maxExamples) || maxExamples < 1 || !/^\d+$/.test(seed)) {
    process.stderr.write(`--max-examples and --seed take whole numbers\n${USAGE}\n`);
    return 2;
  }

  const started = performance.now();
  const runId = `fuzz-${Date.now()}`;
  // The shipped config and no environment: the simulator answers, never a paid provider.
  const logger = createLogger(loadConfig({ env: {}, overrides: { logging: { level: 'warn' } } }), {
    process: 'fuzz-api',
  });
  installTemporalLogging(logger);
  const stack = await startEvalStack(runId, { env: {} });
  let workerStopped: unknown = null;
  stack.workerStopped.catch((err: unknown) => (workerStopped = err));
  const closers: Array<() => Promise<unknown>> = [stack.close];
  // schemathesis works here, a folder per role: its JUnit report, and its cache of failing cases, which it tries
  // first next time.
  const workDir = path.resolve('.data', 'fuzz');
  mkdirSync(workDir, { recursive: true });
  try {
    const { config, client } = stack;
    const db = await createDatabase({ url: config.database.url as string, logger });
    closers.push(() => db.close());
    const keys = Object.fromEntries(ROLES.map((role) => [role, randomBytes(24).toString('hex')]));
    config.api.keys = ROLES.map((role) => ({ name: `fuzz-${role}`, role, sha256: hashApiKey(keys[role]) }));
    const server = createApp({ config, client, db, logger, workflows: workflowRegistry }).listen(
      0,
      '127.0.0.1',
    );
    await new Promise((resolve) => server.once('listening', resolve));
    closers.push(
      () =>
        new Promise((resolve) => {
          server.close(resolve);
          server.closeAllConnections();
        }),
    );
    const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    process.stdout.write(
      `fuzz:api: ${api}, task queue ${config.temporal.taskQueue}, ${maxExamples} examples per operation, seed ${seed}\n`,
    );

    const failed: string[] = [];
    // Both roles at once, each in a folder of its own (its reports and cache), each line marked with its role:
    // the API and the fuzzers share the two cores better than one fuzzer at a time.
    process.stdout.write(`\n== schemathesis as ${ROLES.join(' and ')}, side by side\n`);
    const codes = await Promise.all(
      ROLES.map((role) => {
        const cwd = path.join(workDir, role);
        mkdirSync(cwd, { recursive: true });
        return schemathesis(path.resolve(values.schemathesis), cwd, role, [
          '--config-file',
          path.resolve(__dirname, 'fuzz-api.toml'),
          'run',
          `${api}/openapi.json`,
          '--checks',
          'all',
          '--header',
          `Authorization: Bearer ${keys[role]}`,
          '--max-examples',
          String(maxExamples),
          '--seed',
          seed,
          // One worker: with two, Hypothesis on Python 3.11 failed while describing a strategy ("AST
          // constructor recursion depth mismatch"), an error of the tool's, not of the API.
          '--workers',
          '1',
          '--generation-database',
          'none',
          '--report',
          'junit',
          '--report-junit-path',
          'report.xml',
        ]);
      }),
    );
    ROLES.forEach((role, i) => {
      if (codes[i] !== 0) failed.push(`schemathesis as ${role} exited ${codes[i]}`);
    });

    if (workerStopped) failed.push(String(workerStopped));
    const counts = await httpRequestCounts(api);
    failed.push(...(await checkNothingUnaccounted(stack, db, counts)));
    const serverErrors = counts.filter((c) => Number(c.status) >= 500);
    for (const c of serverErrors) failed.push(`${c.count} × ${c.status} on ${c.method} ${c.route}`);

    const total = counts.reduce((sum, c) => sum + c.count, 0);
    process.stdout.write(`\n== fuzz:api summary\n${formatCounts(counts)}\n`);
    process.stdout.write(
      `${total} requests reached the API in ${((performance.now() - started) / 1000).toFixed(0)} s; ` +
        `${acceptedStarts(counts)} runs started; JUnit reports in ${path.relative('.', workDir)}/<role>/report.xml\n`,
    );
    if (failed.length > 0) {
      process.stderr.write(`fuzz:api failed:\n${failed.map((f) => `  - ${f}`).join('\n')}\n`);
      return 1;
    }
    process.stdout.write('fuzz:api: no failures\n');
    return 0;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}

/**
 * "Bad input starts nothing" and "a body accepted with a 2xx has a workflow" (DESIGN.md), checked against what
 * really exists: one workflow per 202 the API answered (any registered type), each with a stored body that
 * passes its type's schema and names that workflow, and no stored body without its workflow.
 */
async function checkNothingUnaccounted(
  stack: EvalStack,
  db: Database,
  counts: RequestCount[],
): Promise<string[]> {
  const problems: string[] = [];
  const accepted = acceptedStarts(counts);
  const workflowIds: string[] = [];
  // Visibility follows the starts by moments; every 202 was answered after its start, so wait for all of them.
  const deadline = Date.now() + 10_000;
  do {
    workflowIds.length = 0;
    for await (const execution of stack.client.workflow.list({
      query: `TaskQueue = '${stack.config.temporal.taskQueue}'`,
    })) {
      workflowIds.push(execution.workflowId);
    }
    if (workflowIds.length >= accepted) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  } while (Date.now() < deadline);
  if (workflowIds.length !== accepted) {
    problems.push(
      `Temporal holds ${workflowIds.length} workflow runs, the API answered ${accepted} starts with 202`,
    );
  }
  for (const workflowId of new Set(workflowIds)) {
    const definition = workflowRegistry.resolve(workflowId)?.definition;
    if (!definition) {
      problems.push(`${workflowId} is a run of no registered workflow type`);
      continue;
    }
    const body = await stack.personal
      .loadBody(workflowId, definition.body)
      .catch((err: unknown) => err as Error);
    if (body === null) problems.push(`${workflowId} has no stored body`);
    else if (body instanceof Error)
      problems.push(`${workflowId}: its stored body is invalid: ${body.message}`);
    else if (workflowIdOf(definition, body.externalId) !== workflowId)
      problems.push(`${workflowId}: its stored body names another externalId`);
  }
  const { rows } = await db.query<{ workflow_id: string }>('SELECT workflow_id FROM intakes');
  const known = new Set(workflowIds);
  for (const { workflow_id: workflowId } of rows) {
    if (!known.has(workflowId)) problems.push(`an intake is stored for ${workflowId}, which has no workflow`);
  }
  return problems;
}

function formatCounts(counts: RequestCount[]): string {
  return [...counts]
    .sort(
      (a, b) =>
        a.route.localeCompare(b.route) ||
        a.method.localeCompare(b.method) ||
        a.status.localeCompare(b.status),
    )
    .map((c) => `  ${c.method.padEnd(7)} ${c.route.padEnd(42)} ${c.status}  ${c.count}`)
    .join('\n');
}

/** One series of `docket_http_request_duration_seconds_count`: how many requests got that answer. */
interface RequestCount {
  method: string;
  route: string;
  status: string;
  count: number;
}

/** Every request the API answered, read from its own `/metrics` (DESIGN.md "Metrics"). */
async function httpRequestCounts(api: string): Promise<RequestCount[]> {
  const response = await fetch(`${api}/metrics`);
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const series = /^docket_http_request_duration_seconds_count\{(.*)\} (\d+)$/;
  const counts: RequestCount[] = [];
  for (const line of (await response.text()).split('\n')) {
    const match = series.exec(line);
    if (!match) continue;
    const labels = Object.fromEntries([...match[1].matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    counts.push({
      method: labels.method,
      route: labels.route,
      status: labels.status,
      count: Number(match[2]),
    });
  }
  return counts;
}

/** 202s to `POST /v1/workflows/<type>`, every registered type: each started a run (a 200 found one). */
function acceptedStarts(counts: RequestCount[]): number {
  const starts = new Set(workflowRegistry.restNames.map((restName) => `/v1/workflows/${restName}`));
  return counts
    .filter((c) => c.method === 'POST' && starts.has(c.route) && c.status === '202')
    .reduce((sum, c) => sum + c.count, 0);
}

/**
 * Runs schemathesis in `cwd` (where it keeps its report and its `.schemathesis` cache) with Docket's hooks,
 * its output on ours with every line marked `schemathesis <role>│ `; resolves with its exit code. The mark
 * tells the two runs apart, and keeps their pytest-style closing lines ("=== 1 warning in 22.52s ===") from
 * being read as the closing line of a CI run.
 */
function schemathesis(executable: string, cwd: string, role: string, args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(executable, args, {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, SCHEMATHESIS_HOOKS: path.resolve(__dirname, 'fuzz-api-hooks.py') },
    });
    for (const [from, to] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ] as const) {
      createInterface({ input: from, crlfDelay: Infinity }).on('line', (line) =>
        to.write(`schemathesis ${role}│ ${line}\n`),
      );
    }
    child.once('error', (err) =>
      reject(new Error(`cannot run ${executable} (scripts/fuzz-api-venv.sh installs it): ${err.message}`)),
    );
    // 'close', not 'exit': it comes after the last of the output has been read.
    child.once('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`fuzz:api failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
  },
);
