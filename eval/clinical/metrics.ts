/**
 * The clinical eval's arithmetic: pure functions over each item's labels and what its run showed (outcome.ts
 * reads that from the status). Ratios with nothing to divide by are null, as in the legal eval (../metrics.ts),
 * whose calibration and escalation-curve helpers these reuse.
 */
import {
  calibration,
  escalationCurveOf,
  ratio,
  type CalibrationResult,
  type EscalationPoint,
} from '../metrics';
import { CLINICAL_REASON_CODES, type ClinicalExpected, type ClinicalReasonCode } from './corpus';
import {
  CLINICAL_AGENTS,
  type ClinicalAgent,
  type ClinicalObserved,
  type ObservedMedication,
} from './outcome';

/** One corpus item after its run. `observed` is null when the run could not start or be read. */
export interface ClinicalEvaluatedItem {
  id: string;
  kind: string;
  /** The run's workflow id, to look it up in Temporal; absent when it never started. */
  workflowId?: string;
  expected: ClinicalExpected;
  observed: ClinicalObserved | null;
  /** The run asked a person (`observed.escalated`; false when it never ran). */
  escalated: boolean;
  /** Start to settle, as the runner measured it. */
  elapsedMs?: number;
  error?: string;
}

/**
 * The codes whose checks read only the document, the tables and the record: a miss is a bug, so 100% caught
 * is the only acceptable figure (DESIGN.md).
 */
export const DETERMINISTIC_CODES: readonly ClinicalReasonCode[] = [
  'allergy_conflict',
  'drug_interaction',
  'critical_result',
];

/** The mandatory check whose result raises each code: a run that stopped before it never raised the code. */
const CHECK_OF: Record<ClinicalReasonCode, keyof ClinicalObserved['checked']> = {
  allergy_conflict: 'medications',
  drug_interaction: 'medications',
  dose_out_of_range: 'medications',
  unreconciled_medication: 'medications',
  critical_result: 'labs',
  follow_up_overdue: 'followUps',
};

const key = (name: string) => name.trim().toLowerCase().replace(/\s+/g, ' ');

/** A predicted medication matches a label when name (case-insensitively), dose and status are equal. */
export function sameMedication(
  expected: ClinicalExpected['medications'][number],
  predicted: ObservedMedication,
): boolean {
  return (
    key(expected.name) === key(predicted.name) &&
    expected.dose === predicted.dose &&
    expected.status === predicted.status
  );
}

export interface SetCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** Labelled against extracted medications, each matched once. A run without an extraction found none. */
export function medicationCounts(
  expected: ClinicalExpected['medications'],
  predicted: readonly ObservedMedication[] | null,
): SetCounts {
  const left = [...(predicted ?? [])];
  let truePositives = 0;
  for (const label of expected) {
    const at = left.findIndex((p) => sameMedication(label, p));
    if (at < 0) continue;
    truePositives += 1;
    left.splice(at, 1);
  }
  return {
    truePositives,
    falsePositives: left.length,
    falseNegatives: expected.length - truePositives,
  };
}

/** Labelled allergies the extraction lists (case-insensitively; a plural `s` ignored). */
export function allergiesFound(expected: readonly string[], predicted: readonly string[] | null): number {
  const norm = (s: string) => key(s).replace(/s$/, '');
  const got = new Set((predicted ?? []).map(norm));
  return expected.filter((a) => got.has(norm(a))).length;
}

/** What one item got right. */
export interface ClinicalItemScore {
  medications: SetCounts;
  allergies: { expected: number; found: number };
  codes: { caught: ClinicalReasonCode[]; missed: ClinicalReasonCode[]; falseAlarms: ClinicalReasonCode[] };
  /** The extraction needed no correction: every medication right, nothing extra, every allergy found. */
  extraction: boolean;
  /** The clinical codes raised are exactly the labelled ones. */
  checks: boolean;
  /** Both. */
  item: boolean;
}

export function scoreClinicalItem(
  item: Pick<ClinicalEvaluatedItem, 'expected' | 'observed'>,
): ClinicalItemScore {
  const { expected, observed } = item;
  const medications = medicationCounts(expected.medications, observed?.medications ?? null);
  const found = allergiesFound(expected.allergies, observed?.allergies ?? null);
  const raised = new Set(observed?.reasonCodes ?? []);
  const labelled = new Set<string>(expected.reasonCodes);
  const caught = CLINICAL_REASON_CODES.filter((c) => labelled.has(c) && raised.has(c));
  const missed = CLINICAL_REASON_CODES.filter((c) => labelled.has(c) && !raised.has(c));
  const falseAlarms = CLINICAL_REASON_CODES.filter((c) => !labelled.has(c) && raised.has(c));
  const extraction =
    observed?.medications != null &&
    medications.falsePositives === 0 &&
    medications.falseNegatives === 0 &&
    found === expected.allergies.length;
  const checks = observed !== null && missed.length === 0 && falseAlarms.length === 0;
  return {
    medications,
    allergies: { expected: expected.allergies.length, found },
    codes: { caught, missed, falseAlarms },
    extraction,
    checks,
    item: extraction && checks,
  };
}

export interface PrecisionRecall extends SetCounts {
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

/** One clinical code against the labels. */
export interface CodeScore {
  expected: number;
  caught: number;
  missed: number;
  /** Of the missed, those whose run stopped before the check that raises the code ran. */
  missedUnchecked: number;
  /** Labelled items whose run got as far as the check: `caught` of these is the check's own record. */
  checked: number;
  recallWhereChecked: number | null;
  /** Raised where the label does not expect it. */
  falseAlarms: number;
  /** Items whose check result holds the code (whatever the gates said). */
  inCheckResults: number;
  recall: number | null;
  precision: number | null;
  /** A deterministic code: anything under 100% caught is a bug. */
  deterministic: boolean;
}

export interface AgentCostFigure {
  costUsd: number;
  perItemUsd: number | null;
}

export interface ClinicalFigures {
  counts: {
    items: number;
    failed: number;
    /** Where the runs settled: completed, awaiting_review, rejected, failed (and `not_run` for failed starts). */
    byStatus: Record<string, number>;
    filed: number;
    correct: number;
    errorRate: number | null;
  };
  medications: PrecisionRecall;
  allergies: { expected: number; found: number; recall: number | null };
  codes: Record<ClinicalReasonCode, CodeScore>;
  /** Items that asked a person, over all items. */
  escalation: {
    escalated: number;
    rate: number | null;
    /** Labelled mustReview: how many asked a person. */
    mustReview: { expected: number; caught: number; missed: number; unneeded: number; recall: number | null };
  };
  calibration: Record<ClinicalAgent, CalibrationResult & { correctWhen: string }>;
  escalationCurve: EscalationPoint[];
  cost: { perItemUsd: number | null; totalUsd: number; perAgent: Record<string, AgentCostFigure> };
}

/** What "correct" means when each agent's confidence is calibrated. */
export const CLINICAL_CORRECT_WHEN: Record<ClinicalAgent, string> = {
  extractor: 'every labelled medication (name, dose, status) and allergy extracted, and no medication extra',
  reasoner: 'the clinical codes raised are exactly the labelled ones',
  drafter: 'the whole item needed no correction (extraction and codes), since the draft rests on both',
};

function agentCorrect(agent: ClinicalAgent, score: ClinicalItemScore): boolean {
  if (agent === 'extractor') return score.extraction;
  if (agent === 'reasoner') return score.checks;
  return score.item;
}

/** Every figure of a clinical report, from its items. */
export function clinicalFigures(items: readonly ClinicalEvaluatedItem[]): ClinicalFigures {
  const scored = items.map((item) => ({ item, score: scoreClinicalItem(item) }));
  const n = items.length;

  const med = scored.reduce(
    (sum, { score: { medications: m } }) => ({
      truePositives: sum.truePositives + m.truePositives,
      falsePositives: sum.falsePositives + m.falsePositives,
      falseNegatives: sum.falseNegatives + m.falseNegatives,
    }),
    { truePositives: 0, falsePositives: 0, falseNegatives: 0 },
  );
  const allergyExpected = sum(scored.map((s) => s.score.allergies.expected));
  const allergyFound = sum(scored.map((s) => s.score.allergies.found));

  const codes = Object.fromEntries(
    CLINICAL_REASON_CODES.map((code) => {
      const expected = items.filter((i) => i.expected.reasonCodes.includes(code));
      const caught = scored.filter((s) => s.score.codes.caught.includes(code)).length;
      const missed = expected.length - caught;
      const falseAlarms = scored.filter((s) => s.score.codes.falseAlarms.includes(code)).length;
      const missedUnchecked = scored.filter(
        (s) => s.score.codes.missed.includes(code) && !s.item.observed?.checked[CHECK_OF[code]],
      ).length;
      const score: CodeScore = {
        expected: expected.length,
        caught,
        missed,
        missedUnchecked,
        checked: expected.length - missedUnchecked,
        recallWhereChecked: ratio(caught, expected.length - missedUnchecked),
        falseAlarms,
        inCheckResults: items.filter((i) => i.observed?.checkFlags.includes(code)).length,
        recall: ratio(caught, expected.length),
        precision: ratio(caught, caught + falseAlarms),
        deterministic: DETERMINISTIC_CODES.includes(code),
      };
      return [code, score];
    }),
  ) as Record<ClinicalReasonCode, CodeScore>;

  const escalated = items.filter((i) => i.observed?.escalated).length;
  const must = items.filter((i) => i.expected.mustReview);
  const mustCaught = must.filter((i) => i.observed?.escalated).length;

  const byStatus: Record<string, number> = {};
  for (const item of items) {
    const status = item.observed?.status ?? 'not_run';
    byStatus[status] = (byStatus[status] ?? 0) + 1;
  }
  const correct = scored.filter((s) => s.score.item).length;

  const calibrationOf = (agent: ClinicalAgent) => ({
    correctWhen: CLINICAL_CORRECT_WHEN[agent],
    ...calibration(
      scored.flatMap(({ item, score }) => {
        const confidence = item.observed?.confidence[agent];
        return confidence === undefined ? [] : [{ confidence, correct: agentCorrect(agent, score) }];
      }),
    ),
  });

  const totalUsd = sum(items.map((i) => i.observed?.costUsd ?? 0));
  const agents = [
    ...new Set([...CLINICAL_AGENTS, ...items.flatMap((i) => Object.keys(i.observed?.agentCostUsd ?? {}))]),
  ];
  const perAgent = Object.fromEntries(
    agents.map((agent) => {
      const costUsd = round(sum(items.map((i) => i.observed?.agentCostUsd[agent] ?? 0)));
      return [agent, { costUsd, perItemUsd: ratio(costUsd, n) }];
    }),
  );

  return {
    counts: {
      items: n,
      failed: items.filter((i) => i.error !== undefined).length,
      byStatus,
      filed: items.filter((i) => i.observed?.documentReferenceId).length,
      correct,
      errorRate: ratio(n - correct, n),
    },
    medications: {
      ...med,
      precision: ratio(med.truePositives, med.truePositives + med.falsePositives),
      recall: ratio(med.truePositives, med.truePositives + med.falseNegatives),
      f1: ratio(2 * med.truePositives, 2 * med.truePositives + med.falsePositives + med.falseNegatives),
    },
    allergies: {
      expected: allergyExpected,
      found: allergyFound,
      recall: ratio(allergyFound, allergyExpected),
    },
    codes,
    escalation: {
      escalated,
      rate: ratio(escalated, n),
      mustReview: {
        expected: must.length,
        caught: mustCaught,
        missed: must.length - mustCaught,
        unneeded: items.filter((i) => !i.expected.mustReview && i.observed?.escalated).length,
        recall: ratio(mustCaught, must.length),
      },
    },
    calibration: {
      extractor: calibrationOf('extractor'),
      reasoner: calibrationOf('reasoner'),
      drafter: calibrationOf('drafter'),
    },
    // An item's confidence is the lowest any agent gave (0 with none); an error is any needed correction.
    escalationCurve: escalationCurveOf(
      scored.map(({ item, score }) => {
        const recorded = Object.values(item.observed?.confidence ?? {});
        return { minConfidence: recorded.length > 0 ? Math.min(...recorded) : 0, correct: score.item };
      }),
    ),
    cost: { perItemUsd: ratio(totalUsd, n), totalUsd: round(totalUsd), perAgent },
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** Dollars kept to 1e-8, as the status keeps them. */
function round(usd: number): number {
  return Math.round(usd * 1e8) / 1e8;
}
