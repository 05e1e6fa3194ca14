import { MatterType } from '../../domain';
import {
  calibration,
  calibrationByAgent,
  costSummary,
  escalationCurve,
  escalationCurveOf,
  fieldScores,
  latencyByStage,
  matterTypeScores,
  normalizeName,
  percentile,
  policyScores,
  scoreItem,
} from '../../eval/metrics';
import type { EvaluatedItem, ExpectedFields, PredictedFields } from '../../eval/runner-output';
import { naiveBaselineUsd } from '../../eval/baseline';

const LABELS: ExpectedFields = {
  matterType: 'personal_injury',
  urgency: 'normal',
  jurisdiction: 'US-CA',
  clientName: 'Jordan Reyes',
  opposingParties: ['Bayview Movers LLC'],
};

/** An item the pipeline got entirely right, with `changes` on top. */
function item(changes: Partial<EvaluatedItem> = {}): EvaluatedItem {
  return {
    id: 'item',
    expected: LABELS,
    predicted: { ...LABELS },
    escalated: false,
    escalationReasons: [],
    confidence: { classifier: 0.9, reasoner: 0.9, drafter: 0.9 },
    costUsd: 0.01,
    agentCostUsd: {},
    tokens: {},
    latencyMs: {},
    caught: { conflict: false, deadline: false },
    naiveBaselineUsd: 0.05,
    ...changes,
  };
}

const predicted = (changes: Partial<PredictedFields>): PredictedFields => ({ ...LABELS, ...changes });
const expected = (changes: Partial<ExpectedFields>): ExpectedFields => ({ ...LABELS, ...changes });

describe('names as scoring compares them', () => {
  it('ignores case, spacing, punctuation, accents and company forms', () => {
    expect(normalizeName('Acme, Inc.')).toBe('acme');
    expect(normalizeName('  ACME   INC ')).toBe('acme');
    expect(normalizeName('The Acme Co., Inc.')).toBe('acme');
    expect(normalizeName('Bayview Movers L.L.C.')).toBe('bayview movers');
    expect(normalizeName('Smith & Co.')).toBe('smith');
    expect(normalizeName('Johnson & Johnson')).toBe('johnson and johnson');
    expect(normalizeName("Siobhán O'Brien")).toBe(normalizeName('siobhan obrien'));
    expect(normalizeName('Mary-Jane Watts')).toBe('mary jane watts');
  });

  it('keeps word order and lone company words, and reads a blank name as none', () => {
    expect(normalizeName('Doe, John')).not.toBe(normalizeName('John Doe'));
    expect(normalizeName('Inc.')).toBe('inc');
    expect(normalizeName(' . ')).toBeNull();
    expect(normalizeName(null)).toBeNull();
  });
});

describe('per-field accuracy', () => {
  // A: all right.
  // B: matter type wrong; jurisdiction null == null; client "Acme, Inc." == "ACME"; parties {x, y} vs {x}.
  // C: jurisdiction US-NY predicted null; client differs only in case and a period; parties {} vs {z}.
  // D: the run failed: wrong on every field; its party w is missed.
  const items = [
    item({ id: 'A', predicted: predicted({ opposingParties: ['bayview movers'] }) }),
    item({
      id: 'B',
      expected: expected({
        jurisdiction: null,
        clientName: 'Acme, Inc.',
        opposingParties: ['X Corp', 'Y Ltd'],
      }),
      predicted: predicted({
        matterType: 'employment',
        jurisdiction: null,
        clientName: 'ACME',
        opposingParties: ['X Corporation'],
      }),
    }),
    item({
      id: 'C',
      expected: expected({ jurisdiction: 'US-NY', opposingParties: [] }),
      predicted: predicted({ jurisdiction: null, clientName: 'jordan  reyes.', opposingParties: ['Zed'] }),
    }),
    item({ id: 'D', expected: expected({ opposingParties: ['W'] }), predicted: null }),
  ];
  const scores = fieldScores(items);

  it('counts a failed run as wrong and null == null as right', () => {
    expect(scores.matterType).toEqual({ correct: 2, total: 4, accuracy: 0.5 }); // A, C
    expect(scores.urgency).toEqual({ correct: 3, total: 4, accuracy: 0.75 }); // A, B, C
    expect(scores.jurisdiction).toEqual({ correct: 2, total: 4, accuracy: 0.5 }); // A, B (null == null)
    expect(scores.clientName).toEqual({ correct: 3, total: 4, accuracy: 0.75 }); // A, B, C normalised
  });

  it('scores opposing parties as sets, micro over items', () => {
    // TP: A bayview, B x = 2. FP: C zed = 1. FN: B y, D w = 2.
    // P = 2/3, R = 2/4, F1 = 2·2 / (2·2 + 1 + 2) = 4/7. Exact sets: only A.
    const op = scores.opposingParties;
    expect([op.truePositives, op.falsePositives, op.falseNegatives]).toEqual([2, 1, 2]);
    expect(op.precision).toBeCloseTo(2 / 3, 10);
    expect(op.recall).toBeCloseTo(0.5, 10);
    expect(op.f1).toBeCloseTo(4 / 7, 10);
    expect(op.accuracy).toBe(0.25);
  });

  it('has no accuracy, rather than zero, with no items', () => {
    expect(fieldScores([]).matterType.accuracy).toBeNull();
    expect(fieldScores([]).opposingParties.f1).toBeNull();
  });
});

describe('matter type confusion matrix and macro-F1', () => {
  const pair = (e: MatterType, p: MatterType | null) =>
    item({
      expected: expected({ matterType: e }),
      predicted: p === null ? null : predicted({ matterType: p }),
    });
  const scores = matterTypeScores([
    pair('personal_injury', 'personal_injury'),
    pair('personal_injury', 'personal_injury'),
    pair('personal_injury', 'employment'),
    pair('employment', 'employment'),
    pair('employment', 'personal_injury'),
    pair('family', 'family'),
    pair('family', null),
    pair('real_estate', 'immigration'),
  ]);
  const at = (label: MatterType) => MatterType.options.indexOf(label);

  it('has a row and a column for every matter type, rows expected, columns predicted', () => {
    expect(scores.labels).toEqual(MatterType.options);
    expect(scores.confusion).toHaveLength(10);
    expect(scores.confusion.every((row) => row.length === 10)).toBe(true);
    expect(scores.confusion[at('personal_injury')][at('personal_injury')]).toBe(2);
    expect(scores.confusion[at('personal_injury')][at('employment')]).toBe(1);
    expect(scores.confusion[at('employment')][at('personal_injury')]).toBe(1);
    expect(scores.confusion[at('real_estate')][at('immigration')]).toBe(1);
    expect(scores.confusion.flat().reduce((a, b) => a + b)).toBe(7);
    expect(scores.noPrediction[at('family')]).toBe(1);
  });

  it('averages F1 over the labels that occur, counting failed runs as misses', () => {
    // personal_injury: TP 2, support 3, predicted 3 → F1 2/3.
    // employment: TP 1, support 2, predicted 2 → F1 1/2.
    // family: TP 1, support 2 (one failed run), predicted 1 → F1 2·1 / (2 + 1) = 2/3.
    // real_estate: support 1, never predicted → F1 0. immigration: predicted once, never expected → F1 0.
    // The other five labels never occur and have no F1. Macro-F1 = (2/3 + 1/2 + 2/3 + 0 + 0) / 5 = 11/30.
    const f1 = (label: MatterType) => scores.perLabel[at(label)].f1;
    expect(f1('personal_injury')).toBeCloseTo(2 / 3, 10);
    expect(f1('employment')).toBeCloseTo(0.5, 10);
    expect(f1('family')).toBeCloseTo(2 / 3, 10);
    expect(scores.perLabel[at('family')].recall).toBe(0.5);
    expect(f1('real_estate')).toBe(0);
    expect(f1('immigration')).toBe(0);
    expect(f1('criminal_defense')).toBeNull();
    expect(scores.macroF1).toBeCloseTo(11 / 30, 10);
  });
});

describe('calibration', () => {
  it('computes the expected calibration error over ten bins', () => {
    // Bin [0.9, 1.0]: 0.95 ✓ ✓ ✗ ✓ and 1.0 ✓ → n 5, mean confidence 4.8/5 = 0.96, accuracy 0.8, gap 0.16.
    // Bin [0.5, 0.6): 0.55 ✓ ✗ → n 2, mean 0.55, accuracy 0.5, gap 0.05.
    // Bin [0.1, 0.2): 0.1 ✗ → n 1, gap 0.1 (0.1 belongs to the bin it opens).
    // ECE = 5/8 · 0.16 + 2/8 · 0.05 + 1/8 · 0.1 = 0.1 + 0.0125 + 0.0125 = 0.125.
    const result = calibration([
      ...[true, true, false, true].map((correct) => ({ confidence: 0.95, correct })),
      { confidence: 1, correct: true },
      { confidence: 0.55, correct: true },
      { confidence: 0.55, correct: false },
      { confidence: 0.1, correct: false },
    ]);
    expect(result.count).toBe(8);
    expect(result.ece).toBeCloseTo(0.125, 10);
    expect(result.bins).toHaveLength(10);
    expect(result.bins[9]).toMatchObject({ lower: 0.9, upper: 1, count: 5, accuracy: 0.8 });
    expect(result.bins[9].meanConfidence).toBeCloseTo(0.96, 10);
    expect(result.bins[5]).toMatchObject({ count: 2, meanConfidence: 0.55, accuracy: 0.5 });
    expect(result.bins[1]).toMatchObject({ count: 1, meanConfidence: 0.1, accuracy: 0 });
    expect(result.bins[0]).toEqual({ lower: 0, upper: 0.1, count: 0, meanConfidence: null, accuracy: null });
  });

  it('is zero when confidence matches accuracy, and undefined with no confidences', () => {
    expect(calibration([0.5, 0.5].map((confidence, i) => ({ confidence, correct: i === 0 }))).ece).toBe(0);
    expect(calibration([]).ece).toBeNull();
  });

  it('judges each agent on what it is responsible for', () => {
    // 1: all right. 2: urgency wrong (classifier wrong, policy right). 3: conflict expected, missed
    // (classification right, reasoner wrong); its drafter never ran.
    const result = calibrationByAgent([
      item({ confidence: { classifier: 0.9, reasoner: 0.8, drafter: 0.7 } }),
      item({
        predicted: predicted({ urgency: 'high' }),
        confidence: { classifier: 0.9, reasoner: 0.8, drafter: 0.7 },
      }),
      item({ expected: expected({ conflict: true }), confidence: { classifier: 0.9, reasoner: 0.8 } }),
    ]);
    // classifier: ✓ ✗ ✓ at 0.9 → |2/3 − 0.9|. reasoner: ✓ ✓ ✗ at 0.8 → |2/3 − 0.8|. drafter: ✓ ✗ at 0.7 → 0.2.
    expect(result.classifier.ece).toBeCloseTo(0.9 - 2 / 3, 10);
    expect(result.reasoner.ece).toBeCloseTo(0.8 - 2 / 3, 10);
    expect(result.drafter.count).toBe(2);
    expect(result.drafter.ece).toBeCloseTo(0.2, 10);
    expect(result.classifier.correctWhen).toMatch(/classification field/);
  });
});

describe('escalation curve', () => {
  // Lowest confidences 0.9 ✓, 0.6 ✓, 0.6 ✗, 0.3 ✗, 0 ✗ (a run that failed).
  const curve = escalationCurveOf([
    { minConfidence: 0.9, correct: true },
    { minConfidence: 0.6, correct: true },
    { minConfidence: 0.6, correct: false },
    { minConfidence: 0.3, correct: false },
    { minConfidence: 0, correct: false },
  ]);
  const at = (threshold: number) => curve.find((p) => p.threshold === threshold);

  it('runs from 0 to 1 in steps of 0.05', () => {
    expect(curve).toHaveLength(21);
    expect(curve.map((p) => p.threshold).slice(0, 4)).toEqual([0, 0.05, 0.1, 0.15]);
    expect(curve[20].threshold).toBe(1);
  });

  it('escalates below the threshold and measures errors among the items that pass', () => {
    expect(at(0)).toEqual({ threshold: 0, escalationRate: 0, errorRateOfPassed: 0.6 }); // 3 of 5 wrong
    expect(at(0.05)).toEqual({ threshold: 0.05, escalationRate: 0.2, errorRateOfPassed: 0.5 }); // 2 of 4
    expect(at(0.3)).toEqual({ threshold: 0.3, escalationRate: 0.2, errorRateOfPassed: 0.5 }); // 0.3 is not below 0.3
    expect(at(0.35)?.escalationRate).toBe(0.4);
    expect(at(0.35)?.errorRateOfPassed).toBeCloseTo(1 / 3, 10); // 0.9 ✓, 0.6 ✓, 0.6 ✗
    expect(at(0.65)).toEqual({ threshold: 0.65, escalationRate: 0.8, errorRateOfPassed: 0 });
    expect(at(1)).toEqual({ threshold: 1, escalationRate: 1, errorRateOfPassed: null }); // nothing passes
  });

  it('takes the lowest confidence any agent recorded, and none as 0', () => {
    const items = [
      item({ confidence: { classifier: 0.9, reasoner: 0.4 } }),
      item({ predicted: null, confidence: {} }),
    ];
    const byThreshold = new Map(escalationCurve(items).map((p) => [p.threshold, p]));
    expect(byThreshold.get(0)?.escalationRate).toBe(0);
    expect(byThreshold.get(0)?.errorRateOfPassed).toBe(0.5); // the failed run passes at 0 and is wrong
    expect(byThreshold.get(0.4)?.escalationRate).toBe(0.5);
    expect(byThreshold.get(0.45)).toEqual({ threshold: 0.45, escalationRate: 1, errorRateOfPassed: null });
  });
});

describe('policy checks against the corpus', () => {
  const flagged = (conflict: boolean | null, deadline: boolean | null) => ({ conflict, deadline });
  const scores = policyScores([
    item({
      expected: expected({ conflict: true, deadline: true, mustReview: true }),
      caught: flagged(true, true),
      escalated: true,
    }),
    item({ expected: expected({ conflict: true, mustReview: true }), caught: flagged(false, false) }),
    item({ expected: expected({ conflict: true }), caught: flagged(null, null) }),
    item({ caught: flagged(true, false) }),
    item({ expected: expected({ conflict: false }), caught: flagged(false, false), escalated: true }),
  ]);

  it('counts conflicts caught, missed, never checked and raised for nothing', () => {
    expect(scores.conflict).toEqual({
      expected: 3,
      caught: 1,
      missed: 2,
      falseAlarms: 1,
      notChecked: 1,
      recall: 1 / 3,
      precision: 0.5,
    });
  });

  it('counts deadlines and the items a reviewer had to see', () => {
    expect(scores.deadline).toMatchObject({
      expected: 1,
      caught: 1,
      missed: 0,
      falseAlarms: 0,
      notChecked: 1,
      recall: 1,
    });
    expect(scores.mustReview).toMatchObject({
      expected: 2,
      caught: 1,
      missed: 1,
      falseAlarms: 1,
      recall: 0.5,
    });
  });

  it('makes a missed conflict and a false alarm both an item needing correction', () => {
    expect(scoreItem(item({ expected: expected({ conflict: true }) })).item).toBe(false);
    expect(scoreItem(item({ caught: flagged(true, false) })).item).toBe(false);
    expect(scoreItem(item({ caught: flagged(null, null) })).item).toBe(true);
  });
});

describe('cost and latency', () => {
  it('averages cost per item against the naive baseline, per agent over all items', () => {
    // Total 0.03 + 0.01 = 0.04 → 0.02 per item; baseline 0.20 → 0.10 per item; ratio 0.2.
    const cost = costSummary([
      item({
        costUsd: 0.03,
        agentCostUsd: { classifier: 0.01, reasoner: 0.02 },
        tokens: { classifier: { input: 1000, output: 200 }, reasoner: { input: 3000, output: 500 } },
        naiveBaselineUsd: 0.12,
      }),
      item({
        costUsd: 0.01,
        agentCostUsd: { classifier: 0.01 },
        tokens: { classifier: { input: 800, output: 100 } },
        naiveBaselineUsd: 0.08,
      }),
    ]);
    expect(cost.perItemUsd).toBeCloseTo(0.02, 10);
    expect(cost.naiveBaselinePerItemUsd).toBeCloseTo(0.1, 10);
    expect(cost.ratio).toBeCloseTo(0.2, 10);
    expect(cost.perAgent.classifier).toMatchObject({
      items: 2,
      inputTokens: 1800,
      outputTokens: 300,
      inputTokensPerItem: 900,
    });
    expect(cost.perAgent.classifier.perItemUsd).toBeCloseTo(0.01, 10);
    expect(cost.perAgent.reasoner).toMatchObject({
      items: 1,
      costUsd: 0.02,
      perItemUsd: 0.01,
      outputTokensPerItem: 250,
    });
    expect(cost.perAgent.drafter).toMatchObject({ items: 0, costUsd: 0, perItemUsd: 0 });
    expect(costSummary([]).ratio).toBeNull();
  });

  it('says which models answered each agent, as a share of the items where it ran and they were recorded', () => {
    const reasoner = (models: string[] | undefined) =>
      item({
        agentCostUsd: { reasoner: 0.01 },
        tokens: { reasoner: { input: 100, output: 10 } },
        ...(models ? { models: { reasoner: models } } : {}),
      });
    const cost = costSummary([
      reasoner(['o3-mini']),
      reasoner(['o3-mini', 'o1']),
      reasoner(['o3-mini']),
      reasoner(['o1']),
      // A run of an older report, before the models were recorded: not counted either way.
      reasoner(undefined),
    ]);
    expect(cost.perAgent.reasoner.items).toBe(5);
    expect(cost.perAgent.reasoner.answeredBy).toEqual({ 'o3-mini': 0.75, o1: 0.5 });
    expect(cost.perAgent.drafter.answeredBy).toEqual({});
  });

  it("says at which cascade rung each agent's answer came, as a share of the items it ran with a cascade", () => {
    const reasoner = (rung: number | undefined) =>
      item({
        agentCostUsd: { reasoner: 0.01 },
        tokens: { reasoner: { input: 100, output: 10 } },
        ...(rung === undefined ? {} : { rungs: { reasoner: rung } }),
      });
    const cost = costSummary([reasoner(0), reasoner(2), reasoner(0), reasoner(1), reasoner(undefined)]);
    expect(cost.perAgent.reasoner.answeredAtRung).toEqual({ '0': 0.5, '1': 0.25, '2': 0.25 });
    expect(cost.perAgent.classifier.answeredAtRung).toEqual({});
  });

  it('counts, for the naive baseline, only the calls of the rung that gave each agent its answer', () => {
    const intake = { id: 'x', channel: 'email', body: 'A short intake.' } as never;
    const call = (agent: 'reasoner' | 'drafter', rung?: number) => ({
      agent,
      messages: [{ role: 'user' as const, content: 'more context' }],
      outputTokens: 100,
      reasoningTokens: 0,
      ...(rung === undefined ? {} : { rung }),
    });
    const gpt4o = { pricing: { inputPerMTokUsd: 2.5, outputPerMTokUsd: 10, cachedInputPerMTokUsd: 1.25 } };
    const once = naiveBaselineUsd([call('reasoner', 1), call('drafter')], intake, gpt4o);
    const climbed = naiveBaselineUsd(
      [call('reasoner', 0), call('reasoner', 0), call('reasoner', 1), call('drafter')],
      intake,
      gpt4o,
    );
    expect(once).toBeGreaterThan(0);
    expect(climbed).toBe(once);
  });

  it('takes nearest-rank percentiles', () => {
    // n = 5: p50 → rank ⌈2.5⌉ = 3 → 35; p95 → rank ⌈4.75⌉ = 5 → 50.
    expect(percentile([50, 15, 40, 20, 35], 50)).toBe(35);
    expect(percentile([50, 15, 40, 20, 35], 95)).toBe(50);
    expect(percentile([50, 15, 40, 20, 35], 0)).toBe(15);
    // n = 10: p50 → rank 5; p95 → rank ⌈9.5⌉ = 10.
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 50)).toBe(5);
    expect(percentile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 95)).toBe(10);
    expect(percentile([], 50)).toBeNull();
  });

  it('reports latency per stage over the items that reached it', () => {
    const latency = latencyByStage([
      item({ latencyMs: { classify: 100, reason: 1000 } }),
      item({ latencyMs: { classify: 300 } }),
      item({ latencyMs: { classify: 200, reason: 3000 } }),
    ]);
    expect(Object.keys(latency)).toEqual(['classify', 'reason']);
    expect(latency.classify).toEqual({ count: 3, p50Ms: 200, p95Ms: 300, maxMs: 300 });
    expect(latency.reason).toEqual({ count: 2, p50Ms: 1000, p95Ms: 3000, maxMs: 3000 });
  });
});

describe('where conflicts and deadlines were caught', () => {
  const conflict = (expectedConflict: boolean, conflictSources?: string[]) =>
    item({
      expected: expected({ conflict: expectedConflict, mustReview: expectedConflict || undefined }),
      caught: {
        conflict: conflictSources === undefined || conflictSources.length > 0,
        deadline: false,
        ...(conflictSources ? { conflictSources } : {}),
      },
    });
  const deadline = (expectedDeadline: boolean, deadlineSources: string[]) =>
    item({
      expected: expected({ deadline: expectedDeadline, mustReview: expectedDeadline || undefined }),
      caught: { conflict: false, deadline: deadlineSources.length > 0, deadlineSources },
    });
  const scores = policyScores([
    conflict(false, ['recognized']), // a client merely mentioned: a false alarm from the recognizer alone
    conflict(false, ['sender', 'recognized']), // a false alarm from the sender, whatever else flagged it
    conflict(true, ['model:opposing', 'reasoner:status']),
    conflict(true, ['signature', 'recognized']),
    conflict(false), // a report.json from before sources were recorded
    conflict(false, ['unlabelled']),
    conflict(false, []), // clear: no source, no alarm
    deadline(true, ['recognized']),
    deadline(true, ['classified', 'recognized']),
    deadline(false, ['classified']),
    deadline(true, ['gate']),
    deadline(true, []), // missed
  ]);

  it('counts each conflict source once per item, as a catch or a false alarm', () => {
    expect(scores.conflictBySource).toEqual({
      sender: { caught: 0, falseAlarms: 1 },
      signature: { caught: 1, falseAlarms: 0 },
      'model:opposing': { caught: 1, falseAlarms: 0 },
      recognized: { caught: 1, falseAlarms: 2 },
      unlabelled: { caught: 0, falseAlarms: 1 },
      'reasoner:status': { caught: 1, falseAlarms: 0 },
    });
    expect(Object.keys(scores.conflictBySource)).toEqual([
      'sender',
      'signature',
      'model:opposing',
      'recognized',
      'unlabelled',
      'reasoner:status',
    ]);
  });

  it('tells false alarms from the roles apart from those of recognized names alone', () => {
    expect(scores.conflict.falseAlarms).toBe(4);
    expect(scores.conflictAlarms).toEqual({
      falseAlarms: 4,
      fromRoles: 2, // sender + recognized, unlabelled
      recognizedOnly: 1,
      notRecorded: 1,
    });
  });

  it('counts deadlines by the date they were counted from', () => {
    expect(scores.deadlineBySource).toEqual({
      classified: { caught: 1, falseAlarms: 1 },
      recognized: { caught: 2, falseAlarms: 0 },
      gate: { caught: 1, falseAlarms: 0 },
    });
    expect(scores.deadline).toMatchObject({ expected: 4, caught: 3, missed: 1, falseAlarms: 1 });
  });

  it('lists a source it does not know after the known ones, and nothing with no items', () => {
    const odd = policyScores([conflict(true, ['zeta', 'recognized', 'alpha'])]);
    expect(Object.keys(odd.conflictBySource)).toEqual(['recognized', 'alpha', 'zeta']);
    expect(policyScores([])).toMatchObject({
      conflictBySource: {},
      deadlineBySource: {},
      conflictAlarms: { falseAlarms: 0, fromRoles: 0, recognizedOnly: 0, notRecorded: 0 },
    });
  });
});
