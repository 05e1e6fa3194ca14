/**
 * A clinical summary run as the clinical eval scores it: the parts of its status (the pipeline status of
 * `GET /v1/workflows/clinical-summary-<externalId>`) that the metrics read, kept in report.json so every
 * figure can be recomputed from it.
 *
 * What is read where:
 * - medications and allergies: `results.outputs.extractor` (null when the extractor gave no output);
 * - reason codes: every gate reason of every stage (`results.gates`), of the pending review and of the
 *   reviews decided, each once: what a person was asked about;
 * - checked: which mandatory checks ran (`results.checks.labs`; the medications and follow-ups on the text and
 *   the record before the extractor, `documentMedications` and `documentFollowUps`, and again with the
 *   extraction before the reasoner, `medications` and `followUps`); `checkFlags`: the clinical codes their
 *   results hold (a medication row's flags, a critical lab, an overdue follow-up);
 * - confidence: each agent's output's `confidence`; cost: `usage.total.costUsd` and `usage.byAgent`.
 */
import { z } from 'zod';

const Reason = z.object({ code: z.string() });
const Gate = z.object({ reasons: z.array(Reason) }).nullable();
const Scored = z.object({ confidence: z.number() }).nullable().optional();
const Reconciliation = z
  .object({ rows: z.array(z.object({ flags: z.array(z.object({ code: z.string() })) })) })
  .nullable()
  .optional();
const FollowUps = z
  .object({ items: z.array(z.object({ overdue: z.boolean() })) })
  .nullable()
  .optional();

/** The parts of a clinical summary status the eval reads; anything else in it is left alone. */
const ReadStatus = z.object({
  status: z.string(),
  stage: z.string(),
  review: z.object({ reasons: z.array(Reason) }).nullable(),
  reviewHistory: z.array(z.object({ reasons: z.array(Reason) })),
  results: z.object({
    outputs: z.object({
      extractor: z
        .object({
          medications: z.array(
            z.object({
              name: z.string(),
              dose: z.number().nullable(),
              unit: z.string().nullable(),
              status: z.string(),
            }),
          ),
          allergies: z.array(z.object({ substance: z.string() })),
          confidence: z.number(),
        })
        .nullable()
        .optional(),
      reasoner: Scored,
      drafter: Scored,
    }),
    checks: z.object({
      documentMedications: Reconciliation,
      medications: Reconciliation,
      labs: z
        .object({ results: z.array(z.object({ critical: z.boolean() })) })
        .nullable()
        .optional(),
      documentFollowUps: FollowUps,
      followUps: FollowUps,
    }),
    gates: z.record(z.string(), Gate),
  }),
  result: z.object({ documentReferenceId: z.string() }).nullable().optional(),
  usage: z.object({
    total: z.object({ costUsd: z.number() }),
    byAgent: z.record(z.string(), z.object({ costUsd: z.number() })).optional(),
  }),
  error: z.string().nullable(),
});

export const CLINICAL_AGENTS = ['extractor', 'reasoner', 'drafter'] as const;
export type ClinicalAgent = (typeof CLINICAL_AGENTS)[number];

export const ObservedMedication = z.object({
  name: z.string(),
  dose: z.number().nullable(),
  unit: z.string().nullable(),
  status: z.string(),
});
export type ObservedMedication = z.infer<typeof ObservedMedication>;

/** What a run showed, as report.json keeps it. */
export const ClinicalObserved = z.object({
  /** Where the run settled: completed, awaiting_review (the eval approves nothing), rejected or failed. */
  status: z.string(),
  stage: z.string(),
  /** Null when the extractor gave no output. */
  medications: z.array(ObservedMedication).nullable(),
  allergies: z.array(z.string()).nullable(),
  /** Every gate reason code the run gave, each once, in order. */
  reasonCodes: z.array(z.string()),
  checked: z.object({ medications: z.boolean(), labs: z.boolean(), followUps: z.boolean() }),
  checkFlags: z.array(z.string()),
  /** The run asked a person. */
  escalated: z.boolean(),
  confidence: z.object({
    extractor: z.number().optional(),
    reasoner: z.number().optional(),
    drafter: z.number().optional(),
  }),
  costUsd: z.number(),
  agentCostUsd: z.record(z.string(), z.number()),
  documentReferenceId: z.string().nullable(),
});
export type ClinicalObserved = z.infer<typeof ClinicalObserved>;

/** A status the eval cannot read: the workflow's status shape and the eval disagree. */
export class StatusShapeError extends Error {
  override readonly name = 'StatusShapeError';
}

/** The run as the metrics read it. Throws a StatusShapeError naming the first field it cannot read. */
export function observeStatus(status: unknown): ClinicalObserved {
  const parsed = ReadStatus.safeParse(status);
  if (!parsed.success) {
    const [issue] = parsed.error.issues;
    throw new StatusShapeError(`the status has no readable ${issue.path.join('.')}: ${issue.message}`);
  }
  const s = parsed.data;
  const { extractor, reasoner, drafter } = s.results.outputs;
  const { documentMedications, medications, labs, documentFollowUps, followUps } = s.results.checks;
  const reconciliations = [documentMedications, medications].filter((r) => !!r);
  const followUpChecks = [documentFollowUps, followUps].filter((f) => !!f);
  const reviews = [...s.reviewHistory, ...(s.review ? [s.review] : [])];
  const codes = [
    ...Object.values(s.results.gates).flatMap((gate) => gate?.reasons ?? []),
    ...reviews.flatMap((r) => r.reasons),
  ].map((r) => r.code);
  const checkFlags = [
    ...reconciliations.flatMap((r) => r.rows.flatMap((row) => row.flags.map((f) => f.code))),
    ...(labs?.results.some((r) => r.critical) ? ['critical_result'] : []),
    ...(followUpChecks.some((f) => f.items.some((i) => i.overdue)) ? ['follow_up_overdue'] : []),
  ];
  const confidence: ClinicalObserved['confidence'] = {};
  if (extractor) confidence.extractor = extractor.confidence;
  if (reasoner) confidence.reasoner = reasoner.confidence;
  if (drafter) confidence.drafter = drafter.confidence;
  return {
    status: s.status,
    stage: s.stage,
    medications: extractor
      ? extractor.medications.map(({ name, dose, unit, status }) => ({ name, dose, unit, status }))
      : null,
    allergies: extractor ? extractor.allergies.map((a) => a.substance) : null,
    reasonCodes: [...new Set(codes)],
    checked: { medications: reconciliations.length > 0, labs: !!labs, followUps: followUpChecks.length > 0 },
    checkFlags: [...new Set(checkFlags)],
    escalated: reviews.length > 0,
    confidence,
    costUsd: s.usage.total.costUsd,
    agentCostUsd: Object.fromEntries(Object.entries(s.usage.byAgent ?? {}).map(([a, u]) => [a, u.costUsd])),
    documentReferenceId: s.result?.documentReferenceId ?? null,
  };
}
