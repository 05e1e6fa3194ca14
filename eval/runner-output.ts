/**
 * What the eval runner hands over: each corpus item after its run, and what it knows about the run. The
 * scoring (metrics.ts) and the report (report.ts) both read it.
 */
import { z } from 'zod';
import { Jurisdiction, MatterType, Urgency } from '../domain';

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
  /**
   * The models that answered each agent's calls (usage `model`), first answer first, without repeats: which
   * model an item reached. Absent in report.json files written before it was recorded.
   */
  models: perAgent(z.array(z.string())).optional(),
  /**
   * The cascade rung that gave each agent's answer (the highest its calls reached; 0 is the first), for the
   * agents that ran with a cascade. Absent for the others, and in report.json files written before cascades.
   */
  rungs: perAgent(z.number().int().nonnegative()).optional(),
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
  /** The config overlay the run used (`--config`), as the command named it; absent or null: the config file alone. */
  configOverlay: z.string().nullable().optional(),
  /** Model per tier, e.g. `{ fast: 'gpt-4o-mini-…' }`. */
  models: z.record(z.string(), z.string()),
  simulator: z.boolean(),
  confidenceThresholds: perAgent(z.number()).optional(),
});
export type RunInfo = z.infer<typeof RunInfo>;
