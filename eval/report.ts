/**
 * The report.json contract (DESIGN.md "Evaluation corpus format"): the report built from what the eval runner
 * hands over (runner-output.ts). Every figure in a report is recomputable from its `items`.
 */
import { z } from 'zod';
import type { AgentName } from '../agents';
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
import { EvaluatedItem, RunInfo } from './runner-output';

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
    ...(meta.configOverlay ? { configOverlay: meta.configOverlay } : {}),
    models: meta.models,
    simulator: meta.simulator,
    ...(meta.confidenceThresholds ? { confidenceThresholds: meta.confidenceThresholds } : {}),
  };
  return buildReport(items, run);
}
