/**
 * `npm run eval -- --config OVERLAY.json`: the same corpus under another configuration, and `--compare` to
 * set the two runs side by side. Real runs on the simulator: one clear item, as shipped and under
 * examples/config/economy.json (every tier on a cheaper model).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, loadConfig } from '../../config';
import {
  CORPUS_DIR,
  buildReport,
  compareReports,
  formatComparison,
  loadCorpus,
  runEvaluation,
  type EvalRunResult,
} from '../../eval';
import { parseEvalArgs } from '../../scripts/eval';
import { workflowRegistry } from '../../workflows/registry';
import { workflowBundle } from '../support/bundle';
import { quietTemporalLogs, temporalTestAddress } from '../support/stack';

const ROOT = path.join(__dirname, '../..');
const shipped = JSON.parse(readFileSync(path.join(ROOT, 'temporal.config.json'), 'utf8'));
const O3_MINI = 'o3-mini-2025-01-31';

function overlayFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'docket-overlay-')), 'overlay.json');
  writeFileSync(file, JSON.stringify(content));
  return file;
}

describe('eval under a config overlay', () => {
  const items = loadCorpus([path.join(CORPUS_DIR, 'dev.jsonl')]).filter((i) => i.id === 'ev-016');
  const overlay = path.join(ROOT, 'examples/config/economy.json');
  let asShipped: EvalRunResult;
  let underOverlay: EvalRunResult;

  beforeAll(async () => {
    quietTemporalLogs(
      createLogger(loadConfig({ overrides: { logging: { level: 'warn' } } }), { process: 'test' }),
    );
    const bundle = await workflowBundle();
    const run = (configOverlay?: string) =>
      runEvaluation(items, {
        temporal: temporalTestAddress(),
        configOverlay,
        // The simulator whatever this machine's environment says: a test never pays a provider.
        env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
        workflowBundle: bundle,
      });
    asShipped = await run();
    underOverlay = await run(overlay);
  });

  it('runs the corpus on the overlay’s models, at their prices', () => {
    // A tier's models as the report names them: the chain, first model first.
    expect(asShipped.run.models.reasoning.split(' → ')[0]).toBe(shipped.models.reasoning[0].model);
    expect(underOverlay.run.models.reasoning).toBe(`o4-mini-2025-04-16 → ${O3_MINI}`);
    expect(underOverlay.run.models.fast).toBe('gpt-4.1-nano-2025-04-14 → gpt-4o-mini-2024-07-18');
    const [before] = asShipped.items;
    const [after] = underOverlay.items;
    expect([before.error, after.error]).toEqual([undefined, undefined]);
    // The clear item's agents answer on their first rung, the fast tier: GPT-4o mini as shipped, GPT-4.1 nano
    // (a third cheaper for input and output alike) under the overlay.
    const NANO = 'gpt-4.1-nano-2025-04-14';
    expect(after.models).toEqual({ classifier: [NANO], reasoner: [NANO], drafter: [NANO] });
    for (const agent of ['classifier', 'reasoner', 'drafter'] as const) {
      expect(after.agentCostUsd[agent]!).toBeGreaterThan(0);
      expect(after.agentCostUsd[agent]!).toBeLessThan(before.agentCostUsd[agent]!);
    }
    // The naive baseline stays priced at the config file's drafting model (GPT-4o), whatever the overlay's is.
    expect(after.naiveBaselineUsd).toBeGreaterThan(0);
    expect(after.naiveBaselineUsd).toBeCloseTo(before.naiveBaselineUsd, 6);
  });

  it('compares the two runs side by side, naming what each ran under', () => {
    const before = buildReport(asShipped.items, { ...asShipped.run, corpusFiles: ['dev.jsonl'] });
    const after = buildReport(underOverlay.items, {
      ...underOverlay.run,
      corpusFiles: ['dev.jsonl'],
      configOverlay: 'overlay.json',
    });
    const comparison = compareReports(before, after);
    expect(comparison.current.configOverlay).toBe('overlay.json');
    const cost = comparison.deltas.find((d) => d.group === 'cost' && d.metric === 'per item');
    expect(cost).toMatchObject({ verdict: 'better' });
    const text = formatComparison(comparison);
    expect(text).toContain('  before: the config file alone; ');
    expect(text).toContain(`  now:    overlay overlay.json; `);
    expect(text).toContain(`reasoning o4-mini-2025-04-16 → ${O3_MINI}`);
  });

  it('ships overlays that load', () => {
    const dir = path.join(ROOT, 'examples/config');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files).toEqual(
      expect.arrayContaining(['cascade-with-confidence.json', 'economy.json', 'reasoning-o3-mini.json']),
    );
    for (const file of files) {
      // Loaded, and the runs' settings read from it, as the API and the worker do at start (cascades checked).
      const config = loadConfig({ overlay: path.join(dir, file), env: {} });
      for (const definition of workflowRegistry.definitions)
        expect(() => definition.settings(config)).not.toThrow();
    }
  });

  it('takes --config and stops with the overlay’s bad key before starting anything', () => {
    expect(parseEvalArgs(['--config', 'examples/x.json'], {}, ROOT).configOverlay).toBe(
      path.join(ROOT, 'examples/x.json'),
    );
    const bad = overlayFile({ agents: { reasoner: { confidenceThreshold: 3 } } });
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', '--config', bad], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`agents.reasoner.confidenceThreshold (from ${bad})`);
    expect(run.stderr).not.toContain('starting Temporal');
  });
});
