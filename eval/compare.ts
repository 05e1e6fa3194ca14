/**
 * `npm run eval -- --compare OLD.json`: what got better or worse against an earlier report, figure by figure
 * and item by item. The check to run before changing a prompt, a threshold or a model.
 */
import { POLICY_CHECKS, SCORED_FIELDS, ratio, type PolicyCheckName, type ScoredField } from './metrics';
import { computeFigures, type EvalReport, type ReportFigures, type ReportItem } from './report';
import type { ExpectedFields } from './runner-output';

/** Which way is good: `neutral` figures (escalated share, the baseline) only change. */
export type Direction = 'higher' | 'lower' | 'neutral';
/** `rate` is a share (shown as %), `score` a number in [0, 1] such as F1 or ECE, `usd` dollars. */
export type Unit = 'rate' | 'score' | 'usd';

export interface MetricDelta {
  group: string;
  metric: string;
  unit: Unit;
  good: Direction;
  previous: number | null;
  current: number | null;
  delta: number | null;
  verdict: 'better' | 'worse' | 'same' | 'changed' | 'n/a';
}

/** A shared item and the checks that flipped on it. */
export interface ItemFlip {
  id: string;
  checks: (ScoredField | PolicyCheckName)[];
}

/** Which run a report is: when, how many items, under which config and models. */
export interface ComparedRun {
  generatedAt: string;
  items: number;
  /** The config overlay (`--config`), or null for the config file alone. */
  configOverlay: string | null;
  models: Record<string, string>;
}

export interface ReportComparison {
  previous: ComparedRun;
  current: ComparedRun;
  /** The figures are computed over the items both reports hold (all items when they share none). */
  sharedItems: number;
  onlyInPrevious: string[];
  onlyInCurrent: string[];
  /** Shared items whose labels changed in between: their flips may be the corpus's doing, not the model's. */
  relabelled: string[];
  deltas: MetricDelta[];
  /** Items with at least one check right before and wrong now (an item can be in both lists). */
  rightToWrong: ItemFlip[];
  wrongToRight: ItemFlip[];
}

const SAME = 1e-9;

export function compareReports(previous: EvalReport, current: EvalReport): ReportComparison {
  const currentById = new Map(current.items.map((i) => [i.id, i]));
  const previousIds = new Set(previous.items.map((i) => i.id));
  const pairs = previous.items.flatMap((p) => {
    const c = currentById.get(p.id);
    return c ? [{ p, c }] : [];
  });
  const [before, after] =
    pairs.length > 0 ? [pairs.map(({ p }) => p), pairs.map(({ c }) => c)] : [previous.items, current.items];
  const flips = (from: boolean): ItemFlip[] =>
    pairs.flatMap(({ p, c }) => {
      const checks = [...SCORED_FIELDS, ...POLICY_CHECKS].filter(
        (k) => p.correct[k] === from && c.correct[k] !== from,
      );
      return checks.length > 0 ? [{ id: p.id, checks }] : [];
    });
  return {
    previous: comparedRun(previous),
    current: comparedRun(current),
    sharedItems: pairs.length,
    onlyInPrevious: previous.items.filter((i) => !currentById.has(i.id)).map((i) => i.id),
    onlyInCurrent: current.items.filter((i) => !previousIds.has(i.id)).map((i) => i.id),
    relabelled: pairs
      .filter(({ p, c }) => labelKey(p.expected) !== labelKey(c.expected))
      .map(({ p }) => p.id),
    deltas: deltas(before, after),
    rightToWrong: flips(true),
    wrongToRight: flips(false),
  };
}

interface Figure {
  group: string;
  metric: string;
  unit: Unit;
  good: Direction;
  read(f: ReportFigures, items: readonly ReportItem[]): number | null;
}

const FIGURES: Figure[] = [
  {
    group: 'overall',
    metric: 'error rate',
    unit: 'rate',
    good: 'lower',
    read: (_, items) => share(items, (i) => !i.correct.item),
  },
  {
    group: 'overall',
    metric: 'escalated',
    unit: 'rate',
    good: 'neutral',
    read: (_, items) => share(items, (i) => i.escalated),
  },
  {
    group: 'overall',
    metric: 'failed runs',
    unit: 'rate',
    good: 'lower',
    read: (_, items) => share(items, (i) => !i.predicted),
  },
  ...SCORED_FIELDS.map((field): Figure => ({
    group: 'fields',
    metric: `${field} accuracy`,
    unit: 'rate',
    good: 'higher',
    read: (f) => f.fields[field].accuracy,
  })),
  ...(['precision', 'recall', 'f1'] as const).map((m): Figure => ({
    group: 'fields',
    metric: `opposingParties ${m}`,
    unit: 'score',
    good: 'higher',
    read: (f) => f.fields.opposingParties[m],
  })),
  {
    group: 'matter type',
    metric: 'macro-F1',
    unit: 'score',
    good: 'higher',
    read: (f) => f.matterType.macroF1,
  },
  ...(['classifier', 'reasoner', 'drafter'] as const).map((agent): Figure => ({
    group: 'calibration',
    metric: `${agent} ECE`,
    unit: 'score',
    good: 'lower',
    read: (f) => f.calibration[agent].ece,
  })),
  ...(['conflict', 'deadline', 'mustReview'] as const).map((check): Figure => ({
    group: 'policy',
    metric: `${check} recall`,
    unit: 'rate',
    good: 'higher',
    read: (f) => f.policy[check].recall,
  })),
  { group: 'cost', metric: 'per item', unit: 'usd', good: 'lower', read: (f) => f.cost.perItemUsd },
  {
    group: 'cost',
    metric: 'naive baseline per item',
    unit: 'usd',
    good: 'neutral',
    read: (f) => f.cost.naiveBaselinePerItemUsd,
  },
  { group: 'cost', metric: 'share of baseline', unit: 'rate', good: 'lower', read: (f) => f.cost.ratio },
  // Where the answers came from, for agents with a cascade: what a cheaper first rung or a new rule changed.
  ...(['classifier', 'reasoner', 'drafter'] as const).map((agent): Figure => ({
    group: 'cascade',
    metric: `${agent} above rung 0`,
    unit: 'rate',
    good: 'neutral',
    read: (_f, items) => {
      const ran = items.filter((i) => i.rungs?.[agent] !== undefined);
      return share(ran, (i) => i.rungs![agent]! > 0);
    },
  })),
];

function deltas(before: readonly ReportItem[], after: readonly ReportItem[]): MetricDelta[] {
  const [fb, fa] = [computeFigures(before), computeFigures(after)];
  return FIGURES.map(({ read, ...figure }) => {
    const previous = read(fb, before);
    const current = read(fa, after);
    const delta = previous === null || current === null ? null : current - previous;
    return { ...figure, previous, current, delta, verdict: verdict(delta, figure.good) };
  });
}

function verdict(delta: number | null, good: Direction): MetricDelta['verdict'] {
  if (delta === null) return 'n/a';
  if (Math.abs(delta) < SAME) return 'same';
  if (good === 'neutral') return 'changed';
  return delta > 0 === (good === 'higher') ? 'better' : 'worse';
}

function share(items: readonly ReportItem[], test: (i: ReportItem) => boolean): number | null {
  return ratio(items.filter(test).length, items.length);
}

function labelKey(e: ExpectedFields): string {
  const { matterType, urgency, jurisdiction, clientName, opposingParties, conflict, deadline, mustReview } =
    e;
  return JSON.stringify([
    matterType,
    urgency,
    jurisdiction,
    clientName,
    [...opposingParties].sort(),
    !!conflict,
    !!deadline,
    !!mustReview,
  ]);
}

/** The comparison as the terminal shows it. */
function comparedRun(report: EvalReport): ComparedRun {
  return {
    generatedAt: report.meta.generatedAt,
    items: report.items.length,
    configOverlay: report.meta.configOverlay ?? null,
    models: report.meta.models,
  };
}

export function formatComparison(c: ReportComparison): string {
  const lines = [
    `Comparing ${c.previous.generatedAt} (${c.previous.items} items) with ${c.current.generatedAt} (${c.current.items} items)`,
  ];
  // What each run ran under, when the two differ: the point of comparing configurations.
  const setup = (run: ComparedRun) =>
    `${run.configOverlay ? `overlay ${run.configOverlay}` : 'the config file alone'}; ` +
    Object.entries(run.models)
      .map(([tier, model]) => `${tier} ${model}`)
      .join(', ');
  if (setup(c.previous) !== setup(c.current)) {
    lines.push(`  before: ${setup(c.previous)}`, `  now:    ${setup(c.current)}`);
  }
  if (c.sharedItems === 0) {
    lines.push("The reports share no items: each report's figures are over its own items.");
  } else if (c.onlyInPrevious.length > 0 || c.onlyInCurrent.length > 0) {
    const only = `only before: ${c.onlyInPrevious.length}, only now: ${c.onlyInCurrent.length}`;
    lines.push(`Figures over the ${c.sharedItems} items both hold (${only}).`);
  }
  const width = Math.max(...c.deltas.map((d) => d.metric.length)) + 2;
  const row = (name: string, cells: string[], verdict: string) =>
    `  ${name.padEnd(width)}${cells.map((s) => s.padStart(10)).join('  ')}  ${verdict}`.trimEnd();
  lines.push('', row('', ['before', 'now', 'change'], ''));
  let group = '';
  for (const d of c.deltas) {
    if (d.group !== group) lines.push('', (group = d.group));
    const cells = [show(d.previous, d.unit), show(d.current, d.unit), showDelta(d.delta, d.unit)];
    lines.push(row(d.metric, cells, d.verdict));
  }
  const flipLines = (title: string, flips: ItemFlip[]) => {
    lines.push('', `${title} (${flips.length})`);
    for (const f of flips) lines.push(`  ${f.id}: ${f.checks.join(', ')}`);
  };
  flipLines('Right → wrong', c.rightToWrong);
  flipLines('Wrong → right', c.wrongToRight);
  if (c.relabelled.length > 0) lines.push('', `Relabelled in the corpus since: ${c.relabelled.join(', ')}`);
  return lines.join('\n');
}

function show(v: number | null, unit: Unit): string {
  if (v === null) return 'n/a';
  if (unit === 'rate') return `${(v * 100).toFixed(1)}%`;
  if (unit === 'usd') return `$${v.toFixed(Math.abs(v) >= 1 ? 2 : 5)}`;
  return v.toFixed(3);
}

function showDelta(v: number | null, unit: Unit): string {
  if (v === null) return '';
  const sign = v > 0 ? '+' : v < 0 ? '-' : '±';
  if (unit === 'rate') return `${sign}${Math.abs(v * 100).toFixed(1)} pt`;
  return `${sign}${show(Math.abs(v), unit)}`;
}
