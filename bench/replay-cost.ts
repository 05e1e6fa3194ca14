/**
 * `npx tsx bench/replay-cost.ts [--runs 60] [--preload zod,...] [--fixture legal-intake-v5-completed.json]`:
 * the worker's CPU per legal-intake run on the workflow side alone, no server: replays a recorded clear
 * intake's history (default: the newest, recorded with every patch) `--runs` times in one
 * replay worker (a new workflow sandbox each time, every activation of the run) and prints ms per run:
 * the time, and the process's CPU (replay runs on the main thread; CPU moves less with the machine's load).
 * `--preload` names modules the bundle preloads once into the shared V8 context (the worker option
 * `bundlerOptions.preloadModules`), to measure what re-running their module code per workflow costs.
 */
import { readFileSync } from 'node:fs';
import { DefaultLogger, Runtime, Worker } from '@temporalio/worker';
import { docketDataConverter, parseEncryptionKeys } from '../codec';
import { bundleWorkflows } from '../worker';
import { workflowRegistry } from '../workflows/registry';

const FIXTURES = 'test/fixtures/histories';
/** The key set the fixtures were recorded with (test/support/encryption.ts). */
const TEST_KEYS = 'test-1:Y1r1hwT0vgSvx8LsYsBuLn6Wh8pTM+wAKOmijHAq5mM=';

function flag(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const runs = Number(flag('runs', '60'));
  const preload = flag('preload', '').split(',').filter(Boolean);
  const workflowBundle = await bundleWorkflows(workflowRegistry, {
    preloadModules: preload,
    logger: new DefaultLogger('WARN'),
  });
  const fixture = flag('fixture', 'legal-intake-completed.json');
  const history = JSON.parse(readFileSync(`${FIXTURES}/${fixture}`, 'utf8'));
  const workflowId = JSON.parse(readFileSync(`${FIXTURES}/workflow-ids.json`, 'utf8'))[fixture];
  const histories = async function* (count: number) {
    for (let i = 0; i < count; i++) yield { workflowId: `${workflowId}`, history };
  };
  const options = { workflowBundle, dataConverter: docketDataConverter(parseEncryptionKeys(TEST_KEYS)) };
  for await (const r of Worker.runReplayHistories(options, histories(5))) if (r.error) throw r.error;
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  for await (const r of Worker.runReplayHistories(options, histories(runs))) if (r.error) throw r.error;
  const cpu = process.cpuUsage(cpu0);
  const ms = (performance.now() - t0) / runs;
  const cpuMs = (cpu.user + cpu.system) / 1000 / runs;
  process.stdout.write(
    `replay: ${runs} runs of ${fixture}, preloaded: ${preload.join(', ') || 'nothing'}: ${ms.toFixed(1)} ms per run, CPU ${cpuMs.toFixed(1)} ms per run\n`,
  );
}

void main();
