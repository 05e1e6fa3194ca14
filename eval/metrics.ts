/**
 * The evaluation's arithmetic: pure functions over evaluated items, no I/O. Every rule that decides whether
 * a prediction is right lives here, so report.json, report.html and `--compare` always agree.
 * Ratios with nothing to divide by are `null` (shown as "n/a"), never 0 or NaN.
 */
import type { AgentName } from '../agents';
import { MatterType } from '../domain';
import type { EvaluatedItem, ExpectedFields, PredictedFields } from './runner-output';

export const EVAL_AGENTS: readonly AgentName[] = ['classifier', 'reasoner', 'drafter'];
export const SCORED_FIELDS = [
  'matterType',
  'urgency',
  'jurisdiction',
  'clientName',
  'opposingParties',
] as const;
export type ScoredField = (typeof SCORED_FIELDS)[number];
export const POLICY_CHECKS = ['conflict', 'deadline'] as const;
export type PolicyCheckName = (typeof POLICY_CHECKS)[number];

/** `n / d`, or null when there is nothing to divide by. */
export function ratio(n: number, d: number): number | null {
  return d === 0 ? null : n / d;
}

const COMPANY_FORMS = new Set([
  ...['inc', 'incorporated', 'corp', 'corporation', 'co', 'company', 'ltd', 'limited'],
  ...['llc', 'llp', 'lp', 'plc', 'pc', 'pllc', 'gmbh'],
]);

/**
 * A name as scoring compares it. Ignored: accents, case, spacing, punctuation (periods and apostrophes are
 * dropped, so "L.L.C." is "llc" and "O'Brien" is "obrien"; other marks separate words), a leading "the", and
 * trailing company forms (Inc, Corp, Co, Ltd, LLC, LLP, LP, PLC, PC, PLLC, GmbH, with a dangling "and"), so
 * "The Acme Co., Inc." equals "ACME". "&" reads as "and". Word order and middle names still count:
 * "Doe, John" is not "John Doe". A blank name is null.
 */
export function normalizeName(name: string | null | undefined): string | null {
  if (name == null) return null;
  const words = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
  if (words.length > 1 && words[0] === 'the') words.shift();
  while (
    words.length > 1 &&
    (COMPANY_FORMS.has(words[words.length - 1]) || words[words.length - 1] === 'and')
  ) {
    words.pop();
  }
  return words.length > 0 ? words.join(' ') : null;
}

/** Opposing parties as the set of their normalised names (blanks and duplicates dropped). */
export function partySet(names: readonly string[]): Set<string> {
  return new Set(names.map(normalizeName).filter((n): n is string => n !== null));
}

/** Which checks an item got right. `item` is the item needing no correction at all. */
export type ItemCorrectness = Record<ScoredField | PolicyCheckName, boolean> & {
  classification: boolean;
  item: boolean;
};

/**
 * Scores one item. A failed run (no prediction) is wrong on every field. A policy check is right when the run
 * flagged it exactly when the corpus expects it (an absent `expected.conflict`/`deadline` means "no"; a check
 * that never ran, `caught: null`, flagged nothing): a missed conflict and a false alarm both need correcting.
 */
export function scoreItem(item: Pick<EvaluatedItem, 'expected' | 'predicted' | 'caught'>): ItemCorrectness {
  const fields = fieldCorrectness(item.expected, item.predicted);
  const conflict = (item.caught.conflict === true) === (item.expected.conflict === true);
  const deadline = (item.caught.deadline === true) === (item.expected.deadline === true);
  const classification = SCORED_FIELDS.every((f) => fields[f]);
  return { ...fields, conflict, deadline, classification, item: classification && conflict && deadline };
}

function fieldCorrectness(e: ExpectedFields, p: PredictedFields | null): Record<ScoredField, boolean> {
  if (!p)
    return {
      matterType: false,
      urgency: false,
      jurisdiction: false,
      clientName: false,
      opposingParties: false,
    };
  const expectedParties = partySet(e.opposingParties);
  const predictedParties = partySet(p.opposingParties);
  return {
    matterType: p.matterType === e.matterType,
    urgency: p.urgency === e.urgency,
    jurisdiction: p.jurisdiction === e.jurisdiction,
    clientName: normalizeName(p.clientName) === normalizeName(e.clientName),
    opposingParties:
      expectedParties.size === predictedParties.size &&
      [...expectedParties].every((n) => predictedParties.has(n)),
  };
}

export interface FieldAccuracy {
  correct: number;
  total: number;
  accuracy: number | null;
}

/** Opposing parties: `accuracy` is the share of items with exactly the right set; P/R/F1 are micro over names. */
export interface PartyScores extends FieldAccuracy {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export type FieldScores = Record<Exclude<ScoredField, 'opposingParties'>, FieldAccuracy> & {
  opposingParties: PartyScores;
};

/** Per-field accuracy over all items (failed runs count as wrong), opposing parties also as set P/R/F1. */
export function fieldScores(items: readonly EvaluatedItem[]): FieldScores {
  const scored = items.map(scoreItem);
  const accuracyOf = (field: ScoredField): FieldAccuracy => {
    const correct = scored.filter((s) => s[field]).length;
    return { correct, total: items.length, accuracy: ratio(correct, items.length) };
  };
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const item of items) {
    const expected = partySet(item.expected.opposingParties);
    const predicted = partySet(item.predicted?.opposingParties ?? []);
    const hits = [...predicted].filter((n) => expected.has(n)).length;
    tp += hits;
    fp += predicted.size - hits;
    fn += expected.size - hits;
  }
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  return {
    matterType: accuracyOf('matterType'),
    urgency: accuracyOf('urgency'),
    jurisdiction: accuracyOf('jurisdiction'),
    clientName: accuracyOf('clientName'),
    opposingParties: {
      ...accuracyOf('opposingParties'),
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision,
      recall,
      f1: ratio(2 * tp, 2 * tp + fp + fn),
    },
  };
}

export interface LabelScore {
  label: MatterType;
  support: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/**
 * `confusion[i][j]`: items expected `labels[i]` and predicted `labels[j]`. `noPrediction[i]`: failed runs of
 * expected `labels[i]` (missed, so they lower recall). `macroF1` averages F1 over the labels that occur as
 * expected or predicted; a label absent from both has no F1 and is left out rather than counted as 0.
 */
export interface MatterTypeScores {
  labels: MatterType[];
  confusion: number[][];
  noPrediction: number[];
  perLabel: LabelScore[];
  macroF1: number | null;
}

export function matterTypeScores(items: readonly EvaluatedItem[]): MatterTypeScores {
  const labels = [...MatterType.options];
  const confusion = labels.map(() => labels.map(() => 0));
  const noPrediction = labels.map(() => 0);
  for (const item of items) {
    const row = labels.indexOf(item.expected.matterType);
    if (item.predicted) confusion[row][labels.indexOf(item.predicted.matterType)] += 1;
    else noPrediction[row] += 1;
  }
  const perLabel = labels.map((label, i): LabelScore => {
    const tp = confusion[i][i];
    const support = confusion[i].reduce((a, b) => a + b, 0) + noPrediction[i];
    const predicted = confusion.reduce((sum, row) => sum + row[i], 0);
    return {
      label,
      support,
      precision: ratio(tp, predicted),
      recall: ratio(tp, support),
      f1: ratio(2 * tp, support + predicted),
    };
  });
  const f1s = perLabel.map((l) => l.f1).filter((f): f is number => f !== null);
  return { labels, confusion, noPrediction, perLabel, macroF1: ratio(sum(f1s), f1s.length) };
}

export interface ReliabilityBin {
  lower: number;
  upper: number;
  count: number;
  meanConfidence: number | null;
  accuracy: number | null;
}

export interface CalibrationResult {
  count: number;
  /** Σ over bins of (bin count / all) × |accuracy − mean confidence|; null with no confidences. */
  ece: number | null;
  bins: ReliabilityBin[];
}

/**
 * Expected calibration error over equal-width bins [0, 0.1), [0.1, 0.2), …, [0.9, 1.0] (1.0 falls in the
 * last bin), and the reliability diagram's data per bin.
 */
export function calibration(
  cases: readonly { confidence: number; correct: boolean }[],
  binCount = 10,
): CalibrationResult {
  const bins = Array.from({ length: binCount }, () => ({ n: 0, confidence: 0, correct: 0 }));
  for (const c of cases) {
    const confidence = Math.min(1, Math.max(0, c.confidence));
    const bin = bins[Math.min(binCount - 1, Math.floor(confidence * binCount))];
    bin.n += 1;
    bin.confidence += confidence;
    bin.correct += c.correct ? 1 : 0;
  }
  let ece = 0;
  for (const b of bins)
    if (b.n > 0) ece += (b.n / cases.length) * Math.abs(b.correct / b.n - b.confidence / b.n);
  return {
    count: cases.length,
    ece: cases.length > 0 ? ece : null,
    bins: bins.map((b, i) => ({
      lower: i / binCount,
      upper: (i + 1) / binCount,
      count: b.n,
      meanConfidence: ratio(b.confidence, b.n),
      accuracy: ratio(b.correct, b.n),
    })),
  };
}

/** What "correct" means when each agent's confidence is calibrated. */
export const CORRECT_WHEN: Record<AgentName, string> = {
  classifier:
    'every classification field is right: matter type, urgency, jurisdiction, client, opposing parties',
  reasoner:
    'the conflict and deadline outcomes match the corpus (flagged when expected, not flagged otherwise)',
  drafter:
    'the whole item needed no correction (all fields and both policy outcomes), since the draft rests on all',
};

function agentCorrect(agent: AgentName, c: ItemCorrectness): boolean {
  if (agent === 'classifier') return c.classification;
  if (agent === 'reasoner') return c.conflict && c.deadline;
  return c.item;
}

export type AgentCalibration = CalibrationResult & { correctWhen: string };

/** Calibration of each agent over the items where it recorded a confidence. */
export function calibrationByAgent(items: readonly EvaluatedItem[]): Record<AgentName, AgentCalibration> {
  const scored = items.map((item) => ({ item, correct: scoreItem(item) }));
  const of = (agent: AgentName): AgentCalibration => ({
    correctWhen: CORRECT_WHEN[agent],
    ...calibration(
      scored.flatMap(({ item, correct }) => {
        const confidence = item.confidence[agent];
        return confidence === undefined ? [] : [{ confidence, correct: agentCorrect(agent, correct) }];
      }),
    ),
  });
  return { classifier: of('classifier'), reasoner: of('reasoner'), drafter: of('drafter') };
}

export interface EscalationPoint {
  threshold: number;
  escalationRate: number | null;
  errorRateOfPassed: number | null;
}

/**
 * For thresholds 0, 0.05, …, 1: the share of items escalated (lowest confidence below the threshold) and the
 * error rate among the items that pass (null when none pass).
 */
export function escalationCurveOf(
  cases: readonly { minConfidence: number; correct: boolean }[],
  steps = 20,
): EscalationPoint[] {
  return Array.from({ length: steps + 1 }, (_, i) => {
    const threshold = i / steps;
    const passed = cases.filter((c) => !(c.minConfidence < threshold));
    return {
      threshold,
      escalationRate: ratio(cases.length - passed.length, cases.length),
      errorRateOfPassed: ratio(passed.filter((c) => !c.correct).length, passed.length),
    };
  });
}

/**
 * The escalation curve from recorded confidences, with no re-run: an item's confidence is the lowest any agent
 * recorded (an item with none, a run that failed before any agent answered, counts as 0); an item is an error
 * when it needed any correction (`scoreItem(...).item` is false).
 */
export function escalationCurve(items: readonly EvaluatedItem[]): EscalationPoint[] {
  return escalationCurveOf(
    items.map((item) => {
      const recorded = EVAL_AGENTS.map((a) => item.confidence[a]).filter((c): c is number => c !== undefined);
      return {
        minConfidence: recorded.length > 0 ? Math.min(...recorded) : 0,
        correct: scoreItem(item).item,
      };
    }),
  );
}

/** A policy check against the corpus: `expected` items should be flagged, `caught` of them were. */
export interface PolicyCheck {
  expected: number;
  caught: number;
  missed: number;
  falseAlarms: number;
  /** Items where the check never ran (`caught: null`), whatever was expected. */
  notChecked: number;
  recall: number | null;
  precision: number | null;
}

/** One source of a policy check's flags: the items it flagged that the corpus expects, and the others. */
export interface SourceCount {
  /** Items expected to be flagged (a conflict, a near deadline) where this source flagged. */
  caught: number;
  /** Items not expected to be flagged where this source flagged. */
  falseAlarms: number;
}

/**
 * The conflict false alarms by what raised them. `fromRoles`: false alarms with at least one flag from a
 * name with a role (the sender, the signature, the classifier's client or opposing parties), from a hit
 * without a source, or from the reasoner's own status. `recognizedOnly`: false alarms flagged by names
 * the recognizer found with no role and by nothing else (a client merely mentioned is flagged by design,
 * so its review says why). `notRecorded`: false alarms of items with no sources (older report.json files).
 */
export interface ConflictAlarms {
  falseAlarms: number;
  fromRoles: number;
  recognizedOnly: number;
  notRecorded: number;
}

export interface PolicyScores {
  conflict: PolicyCheck;
  deadline: PolicyCheck;
  /** Items the corpus says a reviewer must see against the items that were escalated. */
  mustReview: PolicyCheck;
  /** Per source in `caught.conflictSources`, in CONFLICT_SOURCES order, then any other by name. */
  conflictBySource: Record<string, SourceCount>;
  /** Per source in `caught.deadlineSources` (`classified`, `recognized`, `gate`). */
  deadlineBySource: Record<string, SourceCount>;
  /**
   * Where the conflict false alarms came from. Kept out of `conflict` so that every PolicyCheck has the
   * same fields; `conflictAlarms.falseAlarms` equals `conflict.falseAlarms`.
   */
  conflictAlarms: ConflictAlarms;
}

/** Where a conflict can be caught, in the order reports list them (see EvaluatedItem `caught`). */
export const CONFLICT_SOURCES = [
  'sender',
  'signature',
  'model:client',
  'model:opposing',
  'recognized',
  'unlabelled',
  'reasoner:status',
] as const;
/** The sources that give a name a role in the matter: a false alarm from one is the check misjudging a party. */
export const ROLE_CONFLICT_SOURCES: readonly string[] = CONFLICT_SOURCES.filter((s) => s !== 'recognized');
export const DEADLINE_SOURCES = ['classified', 'recognized', 'gate'] as const;

function policyCheck(cases: readonly { expected: boolean; flagged: boolean | null }[]): PolicyCheck {
  const expected = cases.filter((c) => c.expected).length;
  const caught = cases.filter((c) => c.expected && c.flagged === true).length;
  const falseAlarms = cases.filter((c) => !c.expected && c.flagged === true).length;
  return {
    expected,
    caught,
    missed: expected - caught,
    falseAlarms,
    notChecked: cases.filter((c) => c.flagged === null).length,
    recall: ratio(caught, expected),
    precision: ratio(caught, caught + falseAlarms),
  };
}

export function policyScores(items: readonly EvaluatedItem[]): PolicyScores {
  return {
    conflict: policyCheck(
      items.map((i) => ({ expected: i.expected.conflict === true, flagged: i.caught.conflict })),
    ),
    deadline: policyCheck(
      items.map((i) => ({ expected: i.expected.deadline === true, flagged: i.caught.deadline })),
    ),
    mustReview: policyCheck(
      items.map((i) => ({ expected: i.expected.mustReview === true, flagged: i.escalated })),
    ),
    conflictBySource: bySource(
      items.map((i) => ({ expected: i.expected.conflict === true, sources: i.caught.conflictSources ?? [] })),
      CONFLICT_SOURCES,
    ),
    deadlineBySource: bySource(
      items.map((i) => ({ expected: i.expected.deadline === true, sources: i.caught.deadlineSources ?? [] })),
      DEADLINE_SOURCES,
    ),
    conflictAlarms: conflictAlarms(items),
  };
}

function bySource(
  cases: readonly { expected: boolean; sources: readonly string[] }[],
  order: readonly string[],
): Record<string, SourceCount> {
  const counts = new Map<string, SourceCount>();
  for (const c of cases) {
    for (const source of new Set(c.sources)) {
      const count = counts.get(source) ?? { caught: 0, falseAlarms: 0 };
      if (c.expected) count.caught += 1;
      else count.falseAlarms += 1;
      counts.set(source, count);
    }
  }
  const rank = (s: string) => (order.includes(s) ? order.indexOf(s) : order.length);
  return Object.fromEntries(
    [...counts].sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0)),
  );
}

function conflictAlarms(items: readonly EvaluatedItem[]): ConflictAlarms {
  const alarms = items.filter((i) => i.expected.conflict !== true && i.caught.conflict === true);
  const sources = alarms.map((i) => i.caught.conflictSources ?? []);
  return {
    falseAlarms: alarms.length,
    fromRoles: sources.filter((s) => s.some((x) => ROLE_CONFLICT_SOURCES.includes(x))).length,
    recognizedOnly: sources.filter((s) => s.length > 0 && s.every((x) => x === 'recognized')).length,
    notRecorded: sources.filter((s) => s.length === 0).length,
  };
}

/** One agent's spend: totals, and means over every item of the corpus (so the agents add up to the item). */
export interface AgentCost {
  /** Items where the agent ran. */
  items: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  perItemUsd: number | null;
  inputTokensPerItem: number | null;
  outputTokensPerItem: number | null;
  /**
   * For each model that answered the agent, the share of the items where the agent ran (and its models were
   * recorded) that reached it: how many items went as far as o1, say. Empty for reports without the record.
   */
  answeredBy: Record<string, number>;
  /**
   * For each cascade rung (`0` the first), the share of the items where the agent ran with a cascade whose
   * answer came from that rung. Empty when the agent had no cascade.
   */
  answeredAtRung: Record<string, number>;
}

export interface CostSummary {
  perItemUsd: number | null;
  naiveBaselinePerItemUsd: number | null;
  /** Docket's cost as a share of the naive baseline (every call to the drafting tier with the whole document). */
  ratio: number | null;
  totalUsd: number;
  naiveBaselineTotalUsd: number;
  perAgent: Record<AgentName, AgentCost>;
}

export function costSummary(items: readonly EvaluatedItem[]): CostSummary {
  const n = items.length;
  const totalUsd = sum(items.map((i) => i.costUsd));
  const naiveBaselineTotalUsd = sum(items.map((i) => i.naiveBaselineUsd));
  const agent = (name: AgentName): AgentCost => {
    const used = items.filter((i) => i.tokens[name] !== undefined || i.agentCostUsd[name] !== undefined);
    const inputTokens = sum(items.map((i) => i.tokens[name]?.input ?? 0));
    const outputTokens = sum(items.map((i) => i.tokens[name]?.output ?? 0));
    const costUsd = sum(items.map((i) => i.agentCostUsd[name] ?? 0));
    const recorded = used.flatMap((i) => (i.models?.[name] ? [i.models[name]] : []));
    const rungs = used.flatMap((i) => (i.rungs?.[name] !== undefined ? [i.rungs[name]] : []));
    const atRung = new Map<number, number>();
    for (const rung of rungs) atRung.set(rung, (atRung.get(rung) ?? 0) + 1);
    const reached = new Map<string, number>();
    for (const models of recorded)
      for (const model of models) reached.set(model, (reached.get(model) ?? 0) + 1);
    return {
      items: used.length,
      inputTokens,
      outputTokens,
      costUsd,
      perItemUsd: ratio(costUsd, n),
      inputTokensPerItem: ratio(inputTokens, n),
      outputTokensPerItem: ratio(outputTokens, n),
      answeredBy: Object.fromEntries(
        [...reached].map(([model, count]) => [model, ratio(count, recorded.length) ?? 0]),
      ),
      answeredAtRung: Object.fromEntries(
        [...atRung]
          .sort(([a], [b]) => a - b)
          .map(([rung, count]) => [String(rung), ratio(count, rungs.length) ?? 0]),
      ),
    };
  };
  return {
    perItemUsd: ratio(totalUsd, n),
    naiveBaselinePerItemUsd: ratio(naiveBaselineTotalUsd, n),
    ratio: ratio(totalUsd, naiveBaselineTotalUsd),
    totalUsd,
    naiveBaselineTotalUsd,
    perAgent: { classifier: agent('classifier'), reasoner: agent('reasoner'), drafter: agent('drafter') },
  };
}

/** Nearest-rank percentile: the smallest value with at least p% of the values at or below it. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

export interface StageLatency {
  count: number;
  p50Ms: number | null;
  p95Ms: number | null;
  maxMs: number | null;
}

/** Latency per stage over the items that recorded the stage, stages in the order they first appear. */
export function latencyByStage(items: readonly EvaluatedItem[]): Record<string, StageLatency> {
  const byStage = new Map<string, number[]>();
  for (const item of items) {
    for (const [stage, ms] of Object.entries(item.latencyMs))
      byStage.set(stage, [...(byStage.get(stage) ?? []), ms]);
  }
  return Object.fromEntries(
    [...byStage].map(([stage, values]) => [
      stage,
      {
        count: values.length,
        p50Ms: percentile(values, 50),
        p95Ms: percentile(values, 95),
        maxMs: Math.max(...values),
      },
    ]),
  );
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}
