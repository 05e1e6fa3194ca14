import { ZodError } from 'zod';
import { compareReports, formatComparison } from '../../eval/compare';
import { buildReport, readReport } from '../../eval/report';
import type { EvaluatedItem, ExpectedFields, RunInfo } from '../../eval/runner-output';

const LABELS: ExpectedFields = {
  matterType: 'employment',
  urgency: 'high',
  jurisdiction: 'US-NY',
  clientName: 'Priya Natarajan',
  opposingParties: ['Northwind Logistics Inc.'],
};

const RUN: RunInfo = {
  generatedAt: '2026-12-01T09:00:00.000Z',
  corpusFiles: ['eval/corpus/dev.jsonl'],
  models: { fast: 'sim-fast', reasoning: 'sim-reasoning', drafting: 'sim-drafting' },
  simulator: true,
  confidenceThresholds: { classifier: 0.75, reasoner: 0.7, drafter: 0.6 },
};

/** An item the pipeline got entirely right, with `changes` on top. */
function item(id: string, changes: Partial<EvaluatedItem> = {}): EvaluatedItem {
  return {
    id,
    expected: LABELS,
    predicted: { ...LABELS },
    escalated: false,
    escalationReasons: [],
    confidence: { classifier: 0.9, reasoner: 0.85, drafter: 0.8 },
    costUsd: 0.02,
    agentCostUsd: { classifier: 0.001, reasoner: 0.015, drafter: 0.004 },
    tokens: {
      classifier: { input: 900, output: 300 },
      reasoner: { input: 1500, output: 700 },
      drafter: { input: 1200, output: 400 },
    },
    latencyMs: { classify: 800, reason: 2500, draft: 1500, file: 40 },
    caught: { conflict: false, deadline: false },
    naiveBaselineUsd: 0.08,
    ...changes,
  };
}

const ITEMS = [
  item('a'),
  item('b', {
    predicted: { ...LABELS, urgency: 'normal' },
    escalated: true,
    escalationReasons: ['low_confidence'],
    confidence: { classifier: 0.55, reasoner: 0.8, drafter: 0.8 },
  }),
  item('c', {
    predicted: null,
    confidence: {},
    costUsd: 0,
    agentCostUsd: {},
    tokens: {},
    latencyMs: {},
    caught: { conflict: null, deadline: null },
    error: 'classifier: schema_invalid',
  }),
];

describe('the report.json object', () => {
  const report = buildReport(ITEMS, RUN);

  it('holds the keys DESIGN.md promises', () => {
    for (const i of report.items) {
      expect(Object.keys(i)).toEqual(
        expect.arrayContaining(['id', 'expected', 'predicted', 'escalated', 'confidence', 'costUsd']),
      );
    }
    expect(report.fields.matterType.accuracy).toBeCloseTo(2 / 3, 10);
    expect(report.fields.opposingParties).toMatchObject({ precision: 1, recall: 2 / 3 });
    expect(report.matterType.macroF1).toBeCloseTo(0.8, 10); // employment: TP 2, support 3, predicted 2 → 4/5
    expect(report.matterType.confusion).toHaveLength(10);
    expect(Object.keys(report.calibration)).toEqual(['classifier', 'reasoner', 'drafter']);
    expect(typeof report.calibration.classifier.ece).toBe('number');
    expect(report.escalationCurve[0]).toEqual({ threshold: 0, escalationRate: 0, errorRateOfPassed: 2 / 3 });
    expect(report.cost.naiveBaselinePerItemUsd).toBeCloseTo(0.08, 10);
    expect(report.cost.perItemUsd).toBeCloseTo(0.04 / 3, 10);
    expect(report.cost.ratio).toBeCloseTo(0.04 / 0.24, 10);
  });

  it('describes the run and counts escalated and failed items', () => {
    expect(report.meta).toMatchObject({ ...RUN, format: 1 });
    expect(report.meta.counts).toEqual({
      items: 3,
      failed: 1,
      escalated: 1,
      escalatedShare: 1 / 3,
      correct: 1,
      errorRate: 2 / 3,
    });
  });

  it('marks what each item got right, so a reader can recompute any figure', () => {
    const b = report.items.find((i) => i.id === 'b');
    expect(b?.correct).toMatchObject({
      matterType: true,
      urgency: false,
      classification: false,
      item: false,
    });
    expect(report.items.find((i) => i.id === 'a')?.correct.item).toBe(true);
  });

  it('reads back from JSON with the same figures', () => {
    expect(readReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
  });

  it('carries where conflicts and deadlines were caught, and still reads a report from before sources', () => {
    const alarm = item('alarm', {
      expected: { ...LABELS, conflict: false },
      caught: {
        conflict: true,
        deadline: true,
        conflictSources: ['recognized'],
        deadlineSources: ['recognized'],
      },
    });
    const withSources = buildReport([...ITEMS, alarm], RUN);
    const json = JSON.parse(JSON.stringify(withSources));
    expect(json.policy.conflictBySource).toEqual({ recognized: { caught: 0, falseAlarms: 1 } });
    expect(json.policy.deadlineBySource).toEqual({ recognized: { caught: 0, falseAlarms: 1 } });
    expect(json.policy.conflictAlarms).toEqual({
      falseAlarms: 1,
      fromRoles: 0,
      recognizedOnly: 1,
      notRecorded: 0,
    });
    expect(json.items.at(-1).caught.conflictSources).toEqual(['recognized']);
    expect(readReport(json)).toEqual(withSources);

    // An older report.json: no source lists anywhere, and no by-source figures.
    const older = JSON.parse(JSON.stringify(withSources));
    for (const i of older.items) {
      delete i.caught.conflictSources;
      delete i.caught.deadlineSources;
    }
    delete older.policy.conflictBySource;
    const read = readReport(older);
    expect(read.policy.conflictBySource).toEqual({});
    expect(read.policy.conflictAlarms).toMatchObject({ falseAlarms: 1, notRecorded: 1, recognizedOnly: 0 });
  });

  it('refuses a file that is not a report, naming what is wrong', () => {
    const bad = JSON.parse(JSON.stringify(report));
    bad.items[0].expected.matterType = 'tax';
    expect(() => readReport(bad)).toThrow(ZodError);
    expect(() => readReport(bad)).toThrow(/matterType/);
    expect(() => readReport({ ...report, meta: { ...report.meta, format: 2 } })).toThrow(/format/);
  });
});

describe('comparing two reports', () => {
  const previous = buildReport(ITEMS, RUN);
  // Now: a regresses on jurisdiction, b's urgency is fixed, c still fails, d is new (not in the figures).
  const current = buildReport(
    [
      item('a', { predicted: { ...LABELS, jurisdiction: null }, costUsd: 0.01 }),
      item('b', { costUsd: 0.01 }),
      ITEMS[2],
      item('d', { predicted: null }),
    ],
    { ...RUN, generatedAt: '2026-12-02T09:00:00.000Z' },
  );
  const comparison = compareReports(previous, current);
  const delta = (metric: string) => comparison.deltas.find((d) => d.metric === metric);

  it('compares the items both reports hold', () => {
    expect(comparison.sharedItems).toBe(3);
    expect(comparison.onlyInCurrent).toEqual(['d']);
    expect(comparison.onlyInPrevious).toEqual([]);
  });

  it('says which figures got better and which got worse', () => {
    // Over a, b, c (c failed both times). Jurisdiction: a, b right before (2/3), only b now (1/3).
    // Urgency: only a right before (1/3), a and b now (2/3). Matter type: a, b both times.
    expect(delta('jurisdiction accuracy')).toMatchObject({ verdict: 'worse' });
    expect(delta('jurisdiction accuracy')?.delta).toBeCloseTo(-1 / 3, 10);
    expect(delta('urgency accuracy')).toMatchObject({ verdict: 'better' });
    expect(delta('urgency accuracy')?.delta).toBeCloseTo(1 / 3, 10);
    expect(delta('matterType accuracy')).toMatchObject({ verdict: 'same', delta: 0 });
    // Cost per item over a, b, c: 0.04 / 3 before, 0.02 / 3 now: lower is better.
    expect(delta('per item')).toMatchObject({ verdict: 'better' });
    expect(delta('per item')?.delta).toBeCloseTo(-0.02 / 3, 10);
    expect(delta('classifier ECE')?.good).toBe('lower');
    expect(delta('macro-F1')).toMatchObject({ verdict: 'same' });
  });

  it('lists the items that flipped, with the checks that flipped', () => {
    expect(comparison.rightToWrong).toEqual([{ id: 'a', checks: ['jurisdiction'] }]);
    expect(comparison.wrongToRight).toEqual([{ id: 'b', checks: ['urgency'] }]);
    expect(comparison.relabelled).toEqual([]);
  });

  it('notices when the corpus relabelled an item in between', () => {
    const relabelled = buildReport([item('a', { expected: { ...LABELS, urgency: 'critical' } })], RUN);
    expect(compareReports(buildReport([item('a')], RUN), relabelled).relabelled).toEqual(['a']);
  });

  it('prints a table a person can read in a terminal', () => {
    const text = formatComparison(comparison);
    expect(text).toContain(
      'Comparing 2026-12-01T09:00:00.000Z (3 items) with 2026-12-02T09:00:00.000Z (4 items)',
    );
    expect(text).toMatch(/jurisdiction accuracy\s+66\.7%\s+33\.3%\s+-33\.3 pt\s+worse/);
    expect(text).toMatch(/urgency accuracy\s+33\.3%\s+66\.7%\s+\+33\.3 pt\s+better/);
    expect(text).toMatch(/Right → wrong \(1\)\n {2}a: jurisdiction/);
    expect(text).toMatch(/Wrong → right \(1\)\n {2}b: urgency/);
  });
});
