/**
 * The report.json contract (DESIGN.md "Evaluation corpus format"): what the eval runner hands over for each
 * item, and the report built from those items. Every figure in a report is recomputable from its `items`.
 */
import { z } from 'zod';
import { Jurisdiction, MatterType, Urgency, type AgentName } from '../agents';
import {
  calibrationByAgent,
  costSummary,
  escalationCurve,
  fieldScores,
  latencyByStage,
  matterTypeScores,
  policyScores,
  ratio,
  scoreItem,
  type AgentCalibration,
  type CostSummary,
  type EscalationPoint,
  type FieldScores,
  type ItemCorrectness,
  type MatterTypeScores,
  type PolicyScores,
  type StageLatency,
} from './metrics';

/** A corpus item's labels. Absent `conflict`, `deadline` and `mustReview` mean "no". */
export const ExpectedFields = z.object({
  matterType: MatterType,
  urgency: Urgency,
  jurisdiction: Jurisdiction.nullable(),
  clientName: z.string().nullable(),
  opposingParties: z.array(z.string()),
  /** The firm has a conflict the policy checks must flag. */
  conflict: z.boolean().optional(),
  /** A limitation or court deadline is close enough that the policy checks must flag it. */
  deadline: z.boolean().optional(),
  /** A reviewer must see this item whatever the models' confidence. */
  mustReview: z.boolean().optional(),
  notes: z.string().optional(),
});
export type ExpectedFields = z.infer<typeof ExpectedFields>;

/** What the pipeline produced for the scored fields (client name as a reviewer sees it, re-identified). */
export const PredictedFields = ExpectedFields.pick({
  matterType: true,
  urgency: true,
  jurisdiction: true,
  clientName: true,
  opposingParties: true,
});
export type PredictedFields = z.infer<typeof PredictedFields>;

function perAgent<T extends z.ZodType>(value: T) {
  return z.object({ classifier: value.optional(), reasoner: value.optional(), drafter: value.optional() });
}

/** One corpus item after its run, as the eval runner hands it over. An agent that never ran has no entries. */
export const EvaluatedItem = z.object({
  id: z.string(),
  expected: ExpectedFields,
  /** Null when the run failed before a classification existed. */
  predicted: PredictedFields.nullable(),
  /** The run stopped for review at least once. */
  escalated: z.boolean(),
  escalationReasons: z.array(z.string()),
  confidence: perAgent(z.number()),
  costUsd: z.number(),
  agentCostUsd: perAgent(z.number()),
  tokens: perAgent(z.object({ input: z.number(), output: z.number() })),
  /** Milliseconds per stage (`classify`, `reason`, `draft`, `file`, and `total` if the runner measures it). */
  latencyMs: z.record(z.string(), z.number()),
  /**
   * Whether the run flagged a conflict / an imminent deadline; null when that check never ran. The sources
   * say where (eval/outcome.ts): for conflicts each hit's `source` (`sender`, `signature`, `model:client`,
   * `model:opposing`, `recognized`; `unlabelled` for a hit without one) and `reasoner:status`; for deadlines
   * `classified`, `recognized` or `gate`. Absent in report.json files written before they were recorded.
   */
  caught: z.object({
    conflict: z.boolean().nullable(),
    deadline: z.boolean().nullable(),
    conflictSources: z.array(z.string()).optional(),
    deadlineSources: z.array(z.string()).optional(),
  }),
  /** The same item with every call on the drafting tier and the whole document each time. */
  naiveBaselineUsd: z.number(),
  error: z.string().optional(),
});
export type EvaluatedItem = z.infer<typeof EvaluatedItem>;

/** What the runner knows about the run; the counts are added by `buildReport`. */
export const RunInfo = z.object({
  /** ISO time of the run (passed in: this module reads no clock). */
  generatedAt: z.string(),
  corpusFiles: z.array(z.string()),
  /** Model per tier, e.g. `{ fast: 'gpt-4o-mini-…' }`. */
  models: z.record(z.string(), z.string()),
  simulator: z.boolean(),
  confidenceThresholds: perAgent(z.number()).optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;

export const REPORT_FORMAT = 1;

export interface ReportMeta extends RunInfo {
  format: typeof REPORT_FORMAT;
  counts: {
    items: number;
    failed: number;
    escalated: number;
    escalatedShare: number | null;
    /** Items that needed no correction, and the complement's share. */
    correct: number;
    errorRate: number | null;
  };
}

export type ReportItem = EvaluatedItem & { correct: ItemCorrectness };

export interface ReportFigures {
  fields: FieldScores;
  matterType: MatterTypeScores;
  calibration: Record<AgentName, AgentCalibration>;
  escalationCurve: EscalationPoint[];
  policy: PolicyScores;
  cost: CostSummary;
  latency: Record<string, StageLatency>;
}

export interface EvalReport extends ReportFigures {
  meta: ReportMeta;
  items: ReportItem[];
}

/** Every figure of a report, from its items. */
export function computeFigures(items: readonly EvaluatedItem[]): ReportFigures {
  return {
    fields: fieldScores(items),
    matterType: matterTypeScores(items),
    calibration: calibrationByAgent(items),
    escalationCurve: escalationCurve(items),
    policy: policyScores(items),
    cost: costSummary(items),
    latency: latencyByStage(items),
  };
}

/** The report.json object; write it with `JSON.stringify(report, null, 2)`. */
export function buildReport(items: readonly EvaluatedItem[], run: RunInfo): EvalReport {
  const scored = items.map((item) => ({ ...item, correct: scoreItem(item) }));
  const escalated = items.filter((i) => i.escalated).length;
  const correct = scored.filter((i) => i.correct.item).length;
  return {
    meta: {
      format: REPORT_FORMAT,
      ...run,
      counts: {
        items: items.length,
        failed: items.filter((i) => i.predicted === null).length,
        escalated,
        escalatedShare: ratio(escalated, items.length),
        correct,
        errorRate: ratio(items.length - correct, items.length),
      },
    },
    items: scored,
    ...computeFigures(items),
  };
}

const StoredReport = z.object({
  meta: RunInfo.extend({ format: z.literal(REPORT_FORMAT) }),
  items: z.array(EvaluatedItem),
});

/**
 * A report.json read back (for `--compare`): its run info and items are checked, and every figure is
 * recomputed with today's rules, so a change of scoring rule never looks like a change of model.
 * Throws a `ZodError` naming the first bad path.
 */
export function readReport(json: unknown): EvalReport {
  const { meta, items } = StoredReport.parse(json);
  const run: RunInfo = {
    generatedAt: meta.generatedAt,
    corpusFiles: meta.corpusFiles,
    models: meta.models,
    simulator: meta.simulator,
    ...(meta.confidenceThresholds ? { confidenceThresholds: meta.confidenceThresholds } : {}),
  };
  return buildReport(items, run);
}
