import type { ClinicalExpected } from '../../eval/clinical/corpus';
import {
  clinicalFigures,
  medicationCounts,
  scoreClinicalItem,
  type ClinicalEvaluatedItem,
} from '../../eval/clinical/metrics';
import { StatusShapeError, observeStatus } from '../../eval/clinical/outcome';
import { buildClinicalReport, formatClinicalSummary } from '../../eval/clinical/report';
import { renderClinicalReportHtml } from '../../eval/clinical/report-html';

/** A clinical summary status as `GET /v1/workflows/clinical-summary-<id>` answers it, reduced to what matters. */
function status(parts: {
  status?: string;
  stage?: string;
  medications?: Array<{ name: string; dose: number | null; unit: string | null; status: string }>;
  allergies?: string[];
  extractorConfidence?: number;
  reasonerConfidence?: number;
  drafterConfidence?: number;
  gates?: Record<string, string[]>;
  pending?: string[];
  flags?: string[];
  critical?: boolean;
  overdue?: boolean;
  checksRan?: boolean;
  costUsd?: number;
  documentReferenceId?: string;
}) {
  const ran = parts.checksRan ?? true;
  const reasons = (codes: string[]) => codes.map((code) => ({ code, message: code, evidence: {} }));
  const extracted = parts.medications !== undefined;
  return {
    workflowId: 'clinical-summary-x',
    externalId: 'x',
    status: parts.status ?? 'completed',
    stage: parts.stage ?? 'done',
    review: parts.pending ? { id: 'reasoner-1', stage: 'reasoner', reasons: reasons(parts.pending) } : null,
    reviewHistory: [],
    rejectedDecisions: [],
    results: {
      outputs: {
        extractor: extracted
          ? {
              medications: parts.medications!.map((m) => ({ ...m, route: null, frequency: null })),
              allergies: (parts.allergies ?? []).map((substance) => ({ substance, reaction: null })),
              confidence: parts.extractorConfidence ?? 0.9,
            }
          : null,
        reasoner: parts.reasonerConfidence === undefined ? null : { confidence: parts.reasonerConfidence },
        drafter: parts.drafterConfidence === undefined ? null : { confidence: parts.drafterConfidence },
      },
      checks: ran
        ? {
            patient: { found: true },
            medications: {
              patientFound: true,
              rows: [{ name: 'x', flags: (parts.flags ?? []).map((code) => ({ code, detail: code })) }],
              unverified: [],
            },
            labs: {
              results: [{ test: 'potassium', value: 6.8, unit: 'mmol/L', critical: parts.critical ?? false }],
            },
            followUps: {
              asOf: '2026-10-01',
              items: [{ what: 'x', dueDate: '2026-09-01', overdue: parts.overdue ?? false }],
            },
          }
        : {},
      gates: Object.fromEntries(
        Object.entries(parts.gates ?? {}).map(([stage, codes]) => [
          stage,
          { passed: codes.length === 0, reasons: reasons(codes) },
        ]),
      ),
    },
    result: parts.documentReferenceId ? { documentReferenceId: parts.documentReferenceId } : null,
    usage: {
      total: {
        calls: 3,
        inputTokens: 1,
        outputTokens: 1,
        reasoningTokens: 0,
        costUsd: parts.costUsd ?? 0.01,
      },
      byAgent: {
        extractor: {
          calls: 1,
          inputTokens: 1,
          outputTokens: 1,
          reasoningTokens: 0,
          costUsd: parts.costUsd ?? 0.01,
        },
      },
      calls: [],
    },
    error: null,
  };
}

const WARFARIN = { name: 'warfarin', dose: 5, unit: 'mg', status: 'continued' as const };
const IBUPROFEN = { name: 'ibuprofen', dose: 400, unit: 'mg', status: 'new' as const };

function expected(parts: Partial<ClinicalExpected>): ClinicalExpected {
  return { medications: [], allergies: [], reasonCodes: [], mustReview: false, ...parts };
}

function item(
  id: string,
  exp: ClinicalExpected,
  raw: ReturnType<typeof status> | null,
): ClinicalEvaluatedItem {
  const observed = raw && observeStatus(raw);
  return { id, kind: 'visit_note', expected: exp, observed, escalated: observed?.escalated ?? false };
}

describe('clinical medication scoring', () => {
  it('matches a medication on its name whatever the case, its dose and its status', () => {
    const counts = medicationCounts(
      [WARFARIN, IBUPROFEN],
      [
        { name: 'Warfarin', dose: 5, unit: 'mg', status: 'continued' },
        { name: 'ibuprofen', dose: 200, unit: 'mg', status: 'new' },
        { name: 'omeprazole', dose: 20, unit: 'mg', status: 'new' },
      ],
    );
    expect(counts).toEqual({ truePositives: 1, falsePositives: 2, falseNegatives: 1 });
  });

  it('counts a drug at the wrong status as both extra and missed', () => {
    expect(medicationCounts([WARFARIN], [{ ...WARFARIN, status: 'stopped' }])).toEqual({
      truePositives: 0,
      falsePositives: 1,
      falseNegatives: 1,
    });
  });

  it('gives precision, recall and F1 over every item, a run without an extraction finding nothing', () => {
    const figures = clinicalFigures([
      item('a', expected({ medications: [WARFARIN, IBUPROFEN] }), status({ medications: [WARFARIN] })),
      item('b', expected({ medications: [IBUPROFEN] }), status({ checksRan: false })),
    ]);
    expect(figures.medications).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 2 });
    expect(figures.medications.precision).toBe(1);
    expect(figures.medications.recall).toBeCloseTo(1 / 3, 10);
    expect(figures.medications.f1).toBeCloseTo(0.5, 10);
  });

  it('finds a labelled allergy however the extraction cases or pluralizes it', () => {
    const figures = clinicalFigures([
      item(
        'a',
        expected({ allergies: ['penicillin', 'nsaids'] }),
        status({ medications: [], allergies: ['Penicillins'] }),
      ),
    ]);
    expect(figures.allergies).toEqual({ expected: 2, found: 1, recall: 0.5 });
  });
});

describe('clinical reason codes against the labels', () => {
  const items = [
    // Caught by the reasoner's gate.
    item(
      'conflict',
      expected({ reasonCodes: ['allergy_conflict'], mustReview: true }),
      status({
        status: 'awaiting_review',
        stage: 'reasoner',
        medications: [],
        pending: ['allergy_conflict'],
        flags: ['allergy_conflict'],
      }),
    ),
    // Missed: the run stopped at the extractor, so the medication check never ran.
    item(
      'stopped-early',
      expected({ reasonCodes: ['allergy_conflict', 'critical_result'], mustReview: true }),
      status({
        status: 'awaiting_review',
        stage: 'extractor',
        medications: [],
        pending: ['low_confidence'],
        checksRan: false,
      }),
    ),
    // A false alarm on a clean document, and a critical result missed although the check found it.
    item(
      'clean',
      expected({}),
      status({
        medications: [],
        gates: { reasoner: ['drug_interaction'] },
        critical: true,
        documentReferenceId: 'doc-1',
      }),
    ),
    item(
      'critical',
      expected({ reasonCodes: ['critical_result'], mustReview: true }),
      status({
        status: 'awaiting_review',
        stage: 'reasoner',
        medications: [],
        pending: ['critical_result'],
        critical: true,
      }),
    ),
  ];
  const figures = clinicalFigures(items);

  it('counts caught, missed, never checked and false alarms per code', () => {
    expect(figures.codes.allergy_conflict).toMatchObject({
      expected: 2,
      caught: 1,
      missed: 1,
      missedUnchecked: 1,
      falseAlarms: 0,
      recall: 0.5,
      deterministic: true,
    });
    expect(figures.codes.drug_interaction).toMatchObject({
      expected: 0,
      caught: 0,
      falseAlarms: 1,
      recall: null,
      precision: 0,
    });
    expect(figures.codes.critical_result).toMatchObject({
      expected: 2,
      caught: 1,
      missedUnchecked: 1,
      inCheckResults: 2,
    });
    expect(figures.codes.dose_out_of_range).toMatchObject({ expected: 0, deterministic: false });
  });

  it('reads the engine’s codes too but scores only the clinical ones', () => {
    const score = scoreClinicalItem(items[1]);
    expect(items[1].observed?.reasonCodes).toEqual(['low_confidence']);
    expect(score.codes.missed).toEqual(['allergy_conflict', 'critical_result']);
    expect(score.checks).toBe(false);
  });

  it('counts the items that asked a person, those that had to, and where runs settled', () => {
    expect(figures.escalation).toMatchObject({ escalated: 3, rate: 0.75 });
    expect(figures.escalation.mustReview).toEqual({
      expected: 3,
      caught: 3,
      missed: 0,
      unneeded: 0,
      recall: 1,
    });
    expect(figures.counts.byStatus).toEqual({ awaiting_review: 3, completed: 1 });
    expect(figures.counts.filed).toBe(1);
  });

  it('counts a gate that passed with reasons as a person asked only when a review was requested', () => {
    // `clean` raised drug_interaction at a gate but the status has no review: it did not ask a person.
    expect(items[2].observed?.escalated).toBe(false);
    expect(items[2].observed?.reasonCodes).toEqual(['drug_interaction']);
  });
});

describe('clinical calibration and cost', () => {
  it('calibrates each agent on its own outcome, as the legal eval does', () => {
    const right = item(
      'right',
      expected({ medications: [WARFARIN] }),
      status({
        medications: [WARFARIN],
        extractorConfidence: 0.95,
        reasonerConfidence: 0.9,
        drafterConfidence: 0.85,
      }),
    );
    const wrong = item(
      'wrong',
      expected({ medications: [WARFARIN] }),
      status({ medications: [], extractorConfidence: 0.95, reasonerConfidence: 0.9 }),
    );
    const figures = clinicalFigures([right, wrong]);
    // Extractor: both at 0.95, one right: |0.5 - 0.95|.
    expect(figures.calibration.extractor.ece).toBeCloseTo(0.45, 10);
    // Reasoner: no codes expected and none raised, so both right at 0.9.
    expect(figures.calibration.reasoner.ece).toBeCloseTo(0.1, 10);
    expect(figures.calibration.drafter).toMatchObject({ count: 1 });
    expect(figures.calibration.drafter.ece).toBeCloseTo(0.15, 10);
    expect(figures.escalationCurve.find((p) => p.threshold === 0.9)).toMatchObject({ escalationRate: 0.5 });
  });

  it('gives the cost per item from each status’s total, a run that never started costing nothing', () => {
    const figures = clinicalFigures([
      item('a', expected({}), status({ medications: [], costUsd: 0.3 })),
      item('b', expected({}), status({ medications: [], costUsd: 0.1 })),
      { ...item('c', expected({}), null), error: 'could not start' },
    ]);
    expect(figures.cost.totalUsd).toBeCloseTo(0.4, 10);
    expect(figures.cost.perItemUsd).toBeCloseTo(0.4 / 3, 10);
    expect(figures.cost.perAgent.extractor.costUsd).toBeCloseTo(0.4, 10);
    expect(figures.counts).toMatchObject({ items: 3, failed: 1, byStatus: { completed: 2, not_run: 1 } });
  });
});

describe('reading a clinical status', () => {
  it('names the field it cannot read when the status shape is not the one the eval knows', () => {
    const broken = { ...status({ medications: [] }), usage: { total: {} } };
    expect(() => observeStatus(broken)).toThrow(StatusShapeError);
    expect(() => observeStatus(broken)).toThrow(/usage\.total\.costUsd/);
  });
});

describe('the clinical report', () => {
  it('holds every item with its score and prints the deterministic codes’ bar', () => {
    const report = buildClinicalReport(
      [
        item(
          'conflict',
          expected({ reasonCodes: ['allergy_conflict'], mustReview: true, notes: 'Allergy: x' }),
          status({
            status: 'awaiting_review',
            stage: 'reasoner',
            medications: [],
            pending: ['allergy_conflict'],
          }),
        ),
        item(
          'missed',
          expected({ reasonCodes: ['critical_result'], mustReview: true, notes: 'Critical: x' }),
          status({ medications: [] }),
        ),
      ],
      {
        generatedAt: '2026-12-07T00:00:00.000Z',
        corpusFiles: ['c.jsonl'],
        models: {},
        simulator: true,
        thresholds: {},
      },
    );
    expect(report.meta).toMatchObject({ format: 1, workflow: 'clinical-summary', corpusFiles: ['c.jsonl'] });
    expect(report.items.map((i) => i.score.checks)).toEqual([true, false]);
    const text = formatClinicalSummary(report, 61_000);
    expect(text).toMatch(/2 documents in 1:01 \(simulator: not a model\)/);
    expect(text).toMatch(/allergy_conflict +1\/1 caught, 0 false alarms {2}ok/);
    expect(text).toMatch(/critical_result +0\/1 caught, 0 false alarms {2}MUST BE 100%/);
    expect(JSON.parse(JSON.stringify(report))).toEqual(report);
    const html = renderClinicalReportHtml(report, 61_000);
    expect(html).toContain('missed critical_result');
    expect(html).toContain("default-src 'none'");
  });

  it('escapes what documents bring into the page', () => {
    const hostile = {
      ...item('<script>alert(1)</script>', expected({}), null),
      error: '<img src=x onerror=alert(1)>',
    };
    const report = buildClinicalReport([hostile], {
      generatedAt: '2026-12-07T00:00:00.000Z',
      corpusFiles: [],
      models: {},
      simulator: false,
      thresholds: {},
    });
    const html = renderClinicalReportHtml(report, 1000);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;script&gt;');
  });
});
