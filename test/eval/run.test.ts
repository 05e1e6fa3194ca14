import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { AGENTS, classifierInput, type AgentName } from '../../agents';
import { createLogger, loadConfig } from '../../config';
import {
  CORPUS_DIR,
  buildReport,
  loadCorpus,
  naiveBaselineUsd,
  naiveCallTokens,
  renderReportHtml,
  runEvaluation,
  type EvalProgress,
  type EvalRunResult,
  type EvaluatedItem,
  type RecordedCall,
} from '../../eval';
import { CONFLICT_SOURCES } from '../../eval/metrics';
import { UsageError, formatSummary, parseEvalArgs } from '../../scripts/eval';
import { workflowBundle } from '../support/bundle';
import { quietTemporalLogs, temporalTestAddress } from '../support/stack';

const ROOT = path.join(__dirname, '../..');
/** A pseudonymizer token left in a field a reviewer reads. */
const TOKEN = /\[[A-Z]+_\d+\]/;

describe('the eval runner on the real pipeline (simulator, the jest dev server)', () => {
  // Three dev items: a clear one the pipeline passes, a conflict, and a vague one with no name or state.
  const picked = ['ev-016', 'ev-007', 'ev-012'];
  const items = loadCorpus([path.join(CORPUS_DIR, 'dev.jsonl')]).filter((i) => picked.includes(i.id));
  const config = loadConfig({ overrides: { logging: { level: 'warn' } } });
  const progress: EvalProgress[] = [];
  let result: EvalRunResult;
  const byId = (id: string): EvaluatedItem => result.items.find((i) => i.id === id)!;

  beforeAll(async () => {
    quietTemporalLogs(createLogger(config, { process: 'test' }));
    result = await runEvaluation(items, {
      temporal: temporalTestAddress(),
      concurrency: 3,
      // The simulator whatever this machine's environment says: a test never pays a provider.
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      workflowBundle: await workflowBundle(),
      onProgress: (p) => progress.push(p),
    });
  });

  it('runs every item to the end and reports progress item by item', () => {
    expect(result.items.map((i) => i.id)).toEqual(items.map((i) => i.id));
    expect(result.items.filter((i) => i.error !== undefined)).toEqual([]);
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(progress.at(-1)).toMatchObject({ total: 3, failed: 0 });
    expect(result.run.simulator).toBe(true);
  });

  it('scores identities as a reviewer sees them: re-identified, never tokens', () => {
    const clear = byId('ev-016');
    expect(clear.predicted?.clientName).toBe('Lucinda Fairweather');
    expect(byId('ev-007').predicted?.clientName).toBe('Bernard Yoshida');
    for (const item of result.items) expect(JSON.stringify(item.predicted)).not.toMatch(TOKEN);
  });

  it('passes the clear item and escalates the conflict and the vague one, with their reasons', () => {
    expect(byId('ev-016')).toMatchObject({ escalated: false, escalationReasons: [] });
    const conflict = byId('ev-007');
    expect(conflict.escalated).toBe(true);
    expect(conflict.escalationReasons).toContain('potential_conflict');
    expect(conflict.caught.conflict).toBe(true);
    // Where: the mandatory check's hits by where each name came from, and the reasoner's status.
    expect(conflict.caught.conflictSources?.length).toBeGreaterThan(0);
    for (const source of conflict.caught.conflictSources ?? []) expect(CONFLICT_SOURCES).toContain(source);
    expect(byId('ev-016').caught).toMatchObject({
      conflict: false,
      conflictSources: [],
      deadlineSources: [],
    });
    const vague = byId('ev-012');
    expect(vague.escalated).toBe(true);
    expect(vague.escalationReasons).toContain('low_confidence');
    expect(vague.predicted?.jurisdiction).toBeNull();
    // Approved at every review, so the later stages ran and were scored too.
    for (const item of [conflict, vague]) {
      expect(Object.keys(item.confidence).sort()).toEqual(['classifier', 'drafter', 'reasoner']);
    }
  });

  it('costs each agent its tokens at the prices of the models that answered, and the item the sum of its agents', () => {
    const pricingOf = (model: string) =>
      Object.values(config.models)
        .flat()
        .find((entry) => entry.model === model)!.pricing;
    for (const item of result.items) {
      expect(item.costUsd).toBeGreaterThan(0);
      const agents = Object.keys(item.agentCostUsd) as AgentName[];
      expect(agents.sort()).toEqual(['classifier', 'drafter', 'reasoner']);
      const sum = agents.reduce((total, agent) => total + item.agentCostUsd[agent]!, 0);
      expect(item.costUsd).toBeCloseTo(sum, 8);
      for (const agent of agents) {
        const tokens = item.tokens[agent]!;
        const priced = item.models![agent]!.map((model) => {
          const pricing = pricingOf(model);
          return (tokens.input * pricing.inputPerMTokUsd + tokens.output * pricing.outputPerMTokUsd) / 1e6;
        });
        // One model answered: its price exactly. A climb: between the cheapest and the dearest rung's.
        if (priced.length === 1) expect(item.agentCostUsd[agent]).toBeCloseTo(priced[0], 6);
        expect(item.agentCostUsd[agent]).toBeGreaterThanOrEqual(Math.min(...priced) - 1e-9);
        expect(item.agentCostUsd[agent]).toBeLessThanOrEqual(Math.max(...priced) + 1e-9);
      }
      // As shipped, the reasoner and the drafter have cascades; the classifier runs on its tier.
      expect(Object.keys(item.rungs ?? {}).sort()).toEqual(['drafter', 'reasoner']);
      expect(item.naiveBaselineUsd).toBeGreaterThan(0);
    }
    // The clear item: every call on the first rung, the fast tier's first model.
    const clear = byId('ev-016');
    expect(clear.rungs).toEqual({ reasoner: 0, drafter: 0 });
    expect(clear.models).toEqual({
      classifier: [config.models.fast[0].model],
      reasoner: [config.models.fast[0].model],
      drafter: [config.models.fast[0].model],
    });
    // The conflict: a policy reason before the reasoner's first call, so it starts above the first rung.
    expect(byId('ev-007').rungs?.reasoner).toBeGreaterThan(0);
    const report = buildReport(result.items, { ...result.run, corpusFiles: [] });
    const rungShares = Object.values(report.cost.perAgent.reasoner.answeredAtRung);
    expect(rungShares.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(report.cost.perAgent.reasoner.answeredAtRung['0']).toBeCloseTo(2 / 3, 10);
    const summary = formatSummary(report, result.wallMs);
    expect(summary).toContain(`${'answered by'.padEnd(26)}classifier ${config.models.fast[0].model} 100.0%`);
    expect(summary).toMatch(new RegExp(`${'answered at rung'.padEnd(26)}reasoner 0 66\\.7%, `));
  });

  it('measures latency per stage and in total', () => {
    for (const item of result.items) {
      expect(Object.keys(item.latencyMs)).toEqual([
        'pseudonymize',
        'classify',
        'reason',
        'draft',
        'file',
        'total',
      ]);
      const stages = Object.entries(item.latencyMs).filter(([stage]) => stage !== 'total');
      for (const [, ms] of stages) expect(ms).toBeGreaterThanOrEqual(0);
      expect(item.latencyMs.total).toBeGreaterThan(0);
      expect(item.latencyMs.reason).toBeGreaterThan(0);
    }
  });

  it('builds report.json and report.html from the items', () => {
    const report = buildReport(result.items, { ...result.run, corpusFiles: ['eval/corpus/dev.jsonl'] });
    expect(report.meta.counts).toMatchObject({ items: 3, escalated: 2, failed: 0 });
    expect(report.cost.totalUsd).toBeCloseTo(
      result.items.reduce((sum, i) => sum + i.costUsd, 0),
      8,
    );
    const html = renderReportHtml(report);
    expect(html).toContain('<svg');
    expect(html).toContain('Lucinda Fairweather');
    expect(html).toContain('not a model');
  });
});

describe('the naive baseline', () => {
  const intake = {
    channel: 'email' as const,
    from: 'Ann Lee <ann@example.com>',
    body: 'My landlord kept my deposit.',
  };
  const drafting = loadConfig().models.drafting[0];

  it('counts instructions, the whole document and what else the call held, and only the visible output', () => {
    const call: RecordedCall = {
      agent: 'reasoner',
      messages: [
        {
          role: 'user',
          content: JSON.stringify({ today: '2026-11-25', classification: { a: 1 }, intake: 'x' }),
        },
        {
          role: 'assistant',
          content: null,
          toolCalls: [{ id: 't1', name: 'lookupClient', arguments: '{}' }],
        },
        { role: 'tool', toolCallId: 't1', content: '{"found":false}' },
      ],
      outputTokens: 900,
      reasoningTokens: 700,
    };
    const expectedInput =
      countTokens(AGENTS.reasoner.instructions) +
      countTokens(classifierInput(intake)) +
      countTokens(JSON.stringify({ today: '2026-11-25', classification: { a: 1 } })) +
      countTokens('lookupClient{}') +
      countTokens('{"found":false}');
    expect(naiveCallTokens(call, intake)).toEqual({ input: expectedInput, output: 200 });
    const usd =
      (expectedInput * drafting.pricing.inputPerMTokUsd + 200 * drafting.pricing.outputPerMTokUsd) / 1e6;
    expect(naiveBaselineUsd([call], intake, drafting)).toBeCloseTo(usd, 8);
  });

  it('does not count the intake twice when the call’s message is the intake itself', () => {
    const call: RecordedCall = {
      agent: 'classifier',
      messages: [{ role: 'user', content: classifierInput({ ...intake, body: '[PERSON_1] writes' }) }],
      outputTokens: 50,
      reasoningTokens: 0,
    };
    expect(naiveCallTokens(call, intake).input).toBe(
      countTokens(AGENTS.classifier.instructions) + countTokens(classifierInput(intake)),
    );
  });
});

describe('npm run eval: the command line', () => {
  const cwd = '/somewhere';

  it('defaults to every shipped corpus file, 4 in flight, a dev server of its own', () => {
    const args = parseEvalArgs([], {}, cwd, new Date('2026-11-25T10:20:30.456Z'));
    expect(args.corpus).toEqual([
      path.join(CORPUS_DIR, 'dev.jsonl'),
      path.join(CORPUS_DIR, 'test.jsonl'),
      path.join(CORPUS_DIR, 'identity.jsonl'),
    ]);
    expect(args).toMatchObject({ concurrency: 4, limit: null, compare: null, temporal: null });
    expect(args.out).toBe(path.join(CORPUS_DIR, '..', 'out', '2026-11-25T10-20-30Z'));
  });

  it('takes repeated corpus files, a limit, a split and a running Temporal server', () => {
    const args = parseEvalArgs(
      ['--corpus', 'a.jsonl', '--corpus', '/abs/b.jsonl', '--limit', '5', '--out', 'o', '--concurrency', '8'],
      { DOCKET_EVAL_TEMPORAL_ADDRESS: '127.0.0.1:7233' },
      cwd,
    );
    expect(args).toMatchObject({
      corpus: ['/somewhere/a.jsonl', '/abs/b.jsonl'],
      limit: 5,
      out: '/somewhere/o',
      concurrency: 8,
      temporal: { address: '127.0.0.1:7233', namespace: 'default' },
    });
    expect(parseEvalArgs(['--split', 'test'], {}, cwd).corpus).toEqual([path.join(CORPUS_DIR, 'test.jsonl')]);
    expect(parseEvalArgs(['--split', 'identity'], {}, cwd).corpus).toEqual([
      path.join(CORPUS_DIR, 'identity.jsonl'),
    ]);
  });

  it.each([
    [['--bogus']],
    [['--concurrency', '0']],
    [['--limit', 'ten']],
    [['--split', 'train']],
    [['--split', 'dev', '--corpus', 'x.jsonl']],
    [['stray']],
  ])('refuses %j', (argv) => {
    expect(() => parseEvalArgs(argv, {}, cwd)).toThrow(UsageError);
  });

  it('prints the conflict false alarms from roles and from recognized names only', () => {
    const [clear] = loadCorpus([path.join(CORPUS_DIR, 'dev.jsonl')]);
    const alarm = (id: string, conflictSources: string[]): EvaluatedItem => ({
      id,
      expected: { ...clear.expected, conflict: false },
      predicted: null,
      escalated: true,
      escalationReasons: ['potential_conflict'],
      confidence: {},
      costUsd: 0,
      agentCostUsd: {},
      tokens: {},
      latencyMs: {},
      caught: { conflict: true, deadline: false, conflictSources, deadlineSources: [] },
      naiveBaselineUsd: 0,
    });
    const report = buildReport(
      [alarm('a', ['recognized']), alarm('b', ['recognized']), alarm('c', ['signature', 'recognized'])],
      { generatedAt: '2026-12-01T09:00:00.000Z', corpusFiles: [], models: {}, simulator: true },
    );
    expect(formatSummary(report, 1000)).toMatch(/conflict false alarms +1 from roles, 2 recognized only\n/);
  });

  it('exits 2 with the usage on a bad flag, before starting anything', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', '--bogus'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("eval: Unknown option '--bogus'");
    expect(run.stderr).toContain('usage: npm run eval');
    expect(run.stdout).toBe('');
  });
});
