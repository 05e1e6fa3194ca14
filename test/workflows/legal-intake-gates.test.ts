import {
  reasoner,
  type Assessment,
  type CheckConflictsResult,
  type Classification,
  type Draft,
} from '../../agents';
import { daysBetween, type GateResult, type ReviewRecord } from '../../domain';
import type { ConflictCheckRun, LegalIntakeChecks, LimitationCheckRun } from '../../workflows/legal-intake';
import {
  assessmentGate,
  classificationGate,
  deadlineReasons,
  draftGate,
  filingGate,
  type AssessmentGateSettings,
} from '../../workflows/legal-intake/gates';
import { classificationWith } from '../support/outputs';

type ConflictHit = CheckConflictsResult['hits'][number];

const TODAY = '2026-11-25';
const FAR_DEADLINE = '2028-09-14';

const classification: Classification = classificationWith();

const assessment: Assessment = {
  conflictStatus: 'clear',
  conflictDetails: null,
  existingClientId: null,
  recommendedQueue: 'personal-injury',
  priority: 'p3',
  limitationDeadline: FAR_DEADLINE,
  risks: [],
  missingInformation: [],
  confidence: 0.9,
  rationale: 'clear',
};

const draft: Draft = {
  matterSummary: 'summary',
  clientAcknowledgement: {
    subject: 'We received your enquiry',
    body: 'An attorney will review it and contact you.',
  },
  confidence: 0.9,
  rationale: 'ok',
};

/** Bayview Movers LLC was the firm's client: acting against them is a conflict. */
const bayviewHit: ConflictHit = {
  party: 'Bayview Movers LLC',
  matchedName: 'Bayview Movers LLC',
  relation: 'adverse_party_is_client',
  matterId: 'M-2024-017',
  score: 1,
};

function conflictRun(
  hits: ConflictHit[],
  options: { source?: 'workflow' | 'reasoner'; parties?: string[]; missing?: string[] } = {},
): ConflictCheckRun {
  return {
    source: options.source ?? 'workflow',
    at: TODAY,
    result: {
      status: hits.length > 0 ? 'potential_conflict' : 'clear',
      hits,
      checkedParties: options.parties ?? ['Jordan Reyes', 'Bayview Movers LLC'],
    },
    missing: options.missing ?? [],
  };
}

/** A limitation check that ran on `asOf` and found `deadline` (null: no deadline). */
function limitationRun(
  deadline: string | null,
  options: { source?: 'workflow' | 'reasoner'; asOf?: string; missing?: string[] } = {},
): LimitationCheckRun {
  const asOf = options.asOf ?? TODAY;
  return {
    source: options.source ?? 'workflow',
    at: asOf,
    args: { jurisdiction: 'US-CA', matterType: 'personal_injury', incidentDate: '2026-09-14' },
    result: {
      known: deadline !== null,
      periodMonths: 24,
      deadline,
      daysRemaining: deadline ? daysBetween(asOf, deadline) : null,
      basis: 'Cal. Code Civ. Proc. § 335.1: two years.',
      asOf,
    },
    missing: options.missing ?? [],
  };
}

function checks(parts: Partial<LegalIntakeChecks> = {}): LegalIntakeChecks {
  return {
    conflicts: parts.conflicts ?? [conflictRun([])],
    limitation: parts.limitation ?? [limitationRun(FAR_DEADLINE)],
  };
}

const settings: AssessmentGateSettings = {
  threshold: 0.7,
  limitationWarningDays: 30,
  whenCheckIncomplete: { conflicts: 'escalate', limitation: 'escalate' },
};

const context = {
  today: TODAY,
  toolsCalled: ['checkConflicts', 'limitationPeriod'] as const,
  requiredTools: reasoner.requiredTools,
};

const codes = (gate: GateResult) => gate.reasons.map((reason) => reason.code);
const reason = (gate: GateResult, code: string) => gate.reasons.find((r) => r.code === code);

describe('classificationGate', () => {
  it('passes a confident classification', () => {
    expect(classificationGate(classification, 0.75)).toEqual({ passed: true, reasons: [] });
  });

  it('escalates when the classifier is unsure', () => {
    const gate = classificationGate({ ...classification, confidence: 0.5 }, 0.75);
    expect(gate.passed).toBe(false);
    expect(codes(gate)).toEqual(['low_confidence']);
    expect(gate.reasons[0].message).toMatch(/0\.50 is below the threshold 0\.75/);
    expect(gate.reasons[0].evidence).toEqual({ confidence: 0.5, threshold: 0.75 });
  });
});

describe('assessmentGate', () => {
  it('passes a confident assessment that agrees with clear checks, with no reasons', () => {
    expect(assessmentGate(assessment, checks(), settings, context)).toEqual({ passed: true, reasons: [] });
  });

  describe('conflicts', () => {
    it('escalates a conflict hit with the hits as evidence, however confident the reasoner is', () => {
      const gate = assessmentGate(
        { ...assessment, conflictStatus: 'potential_conflict' },
        checks({ conflicts: [conflictRun([bayviewHit])] }),
        settings,
        context,
      );
      expect(gate.passed).toBe(false);
      expect(codes(gate)).toEqual(['potential_conflict']);
      expect(gate.reasons[0].message).toContain('Bayview Movers LLC');
      expect(gate.reasons[0].evidence).toEqual({ hits: [bayviewHit] });
    });

    it("keeps the workflow's hit when the reasoner's later, narrower check came back clear", () => {
      const gate = assessmentGate(
        { ...assessment, conflictStatus: 'potential_conflict' },
        checks({
          conflicts: [
            conflictRun([bayviewHit]),
            conflictRun([], { source: 'reasoner', parties: ['Jordan Reyes'] }),
          ],
        }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['potential_conflict']);
      expect(reason(gate, 'potential_conflict')?.evidence).toEqual({ hits: [bayviewHit] });
    });

    it('accumulates the hits of every run, each hit once', () => {
      const senderHit: ConflictHit = {
        party: 'Jordan Reyes',
        matchedName: 'Jordan Reyes',
        relation: 'client_is_adverse_party',
        matterId: 'M-2025-101',
        score: 0.95,
      };
      const gate = assessmentGate(
        { ...assessment, conflictStatus: 'potential_conflict' },
        checks({
          conflicts: [
            conflictRun([bayviewHit]),
            conflictRun([senderHit], { parties: ['Jordan Reyes'] }),
            conflictRun([bayviewHit], { source: 'reasoner' }),
          ],
        }),
        settings,
        context,
      );
      expect(reason(gate, 'potential_conflict')?.evidence).toEqual({ hits: [bayviewHit, senderHit] });
      expect(reason(gate, 'potential_conflict')?.message).toContain('Bayview Movers LLC, Jordan Reyes');
    });

    it('says the reasoner contradicts the checks when it calls clear what a check found a hit in', () => {
      const gate = assessmentGate(
        { ...assessment, conflictStatus: 'clear' },
        checks({ conflicts: [conflictRun([bayviewHit]), conflictRun([], { source: 'reasoner' })] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['potential_conflict', 'assessment_contradicts_checks']);
      expect(reason(gate, 'assessment_contradicts_checks')?.evidence).toEqual({
        conflictStatus: 'clear',
        hits: 1,
      });
    });

    it('escalates a conflict the reasoner reports even when no check found a hit', () => {
      const gate = assessmentGate(
        { ...assessment, conflictStatus: 'potential_conflict' },
        checks(),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['potential_conflict']);
      expect(gate.reasons[0].evidence).toEqual({ conflictStatus: 'potential_conflict' });
    });
  });

  describe('limitation deadlines', () => {
    it('counts the days from today, not from when the check ran', () => {
      // The check ran 35 days before the deadline; the item waited, and today only 5 days are left.
      const deadline = '2026-11-30';
      const gate = assessmentGate(
        { ...assessment, limitationDeadline: deadline },
        checks({ limitation: [limitationRun(deadline, { asOf: '2026-10-26' })] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['limitation_imminent']);
      expect(gate.reasons[0].evidence).toMatchObject({ deadline, daysRemaining: 5, asOf: TODAY });
      expect(gate.reasons[0].message).toContain('in 5 days');
    });

    it('escalates a deadline that has already passed', () => {
      const gate = assessmentGate(
        { ...assessment, limitationDeadline: '2026-11-01' },
        checks({ limitation: [limitationRun('2026-11-01')] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['limitation_imminent']);
      expect(gate.reasons[0].message).toMatch(/ended on 2026-11-01/);
      expect(gate.reasons[0].evidence).toMatchObject({ deadline: '2026-11-01', daysRemaining: -24 });
    });

    it('does not escalate a deadline just outside the warning window', () => {
      const deadline = '2026-12-26'; // 31 days away, the window is 30
      const gate = assessmentGate(
        { ...assessment, limitationDeadline: deadline },
        checks({ limitation: [limitationRun(deadline)] }),
        settings,
        context,
      );
      expect(gate.passed).toBe(true);
    });

    it('escalates the earliest of several deadlines', () => {
      const gate = assessmentGate(
        assessment,
        checks({
          limitation: [limitationRun('2026-12-10', { source: 'reasoner' }), limitationRun(FAR_DEADLINE)],
        }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['limitation_imminent']);
      expect(gate.reasons[0].evidence).toMatchObject({ deadline: '2026-12-10', daysRemaining: 15 });
    });

    it("escalates an assessment whose deadline differs from the workflow's check", () => {
      const gate = assessmentGate(
        { ...assessment, limitationDeadline: '2029-01-01' },
        checks(),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['output_check_failed']);
      expect(gate.reasons[0].evidence).toEqual({ assessed: '2029-01-01', checked: FAR_DEADLINE });
    });

    it('escalates an assessment that gives no deadline when the check found one', () => {
      const gate = assessmentGate({ ...assessment, limitationDeadline: null }, checks(), settings, context);
      expect(codes(gate)).toEqual(['output_check_failed']);
    });
  });

  describe('incomplete mandatory checks', () => {
    it('escalates a conflict check that had no client to check, naming what it lacked', () => {
      const gate = assessmentGate(
        assessment,
        checks({ conflicts: [conflictRun([], { missing: ['client identity'] })] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['check_incomplete']);
      expect(gate.reasons[0].evidence).toEqual({ check: 'conflicts', missing: ['client identity'] });
    });

    it('escalates a limitation check that had no jurisdiction, naming what it lacked', () => {
      const gate = assessmentGate(
        { ...assessment, limitationDeadline: null },
        checks({ limitation: [limitationRun(null, { missing: ['jurisdiction'] })] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['check_incomplete']);
      expect(gate.reasons[0].evidence).toEqual({ check: 'limitation', missing: ['jurisdiction'] });
    });

    it("escalates a client conflict check that could not run even when the sender's check ran clear", () => {
      // conflictCheckArgs plans [client vs opposing parties, sender alone]; the workflow records them in
      // that order. The first was refused (a name over the tool's length limit), so the opposing parties
      // were never checked.
      const refused: ConflictCheckRun = {
        source: 'workflow',
        at: TODAY,
        result: null,
        missing: [
          'valid arguments (checkConflicts: invalid arguments: names must be at most 300 characters)',
        ],
      };
      const senderClear = conflictRun([], { parties: ['Jordan Reyes'] });
      const gate = assessmentGate(
        assessment,
        checks({ conflicts: [refused, senderClear] }),
        settings,
        context,
      );
      expect(codes(gate)).toEqual(['check_incomplete']);
      expect(gate.reasons[0].evidence).toEqual({ check: 'conflicts', missing: refused.missing });
    });

    it('proceeds past an incomplete check when policy says proceed for that check', () => {
      const proceed: AssessmentGateSettings = {
        ...settings,
        whenCheckIncomplete: { conflicts: 'proceed', limitation: 'escalate' },
      };
      const incomplete = checks({ conflicts: [conflictRun([], { missing: ['client identity'] })] });
      expect(assessmentGate(assessment, incomplete, proceed, context)).toEqual({ passed: true, reasons: [] });
    });

    it("does not count the reasoner's own incomplete run as a mandatory check", () => {
      const gate = assessmentGate(
        assessment,
        checks({
          conflicts: [conflictRun([]), conflictRun([], { source: 'reasoner', missing: ['client identity'] })],
        }),
        settings,
        context,
      );
      expect(gate.passed).toBe(true);
    });
  });

  it('escalates when a required tool was never called', () => {
    const gate = assessmentGate(assessment, checks(), settings, {
      ...context,
      toolsCalled: ['lookupClient'],
    });
    expect(codes(gate)).toEqual(['required_tool_missing', 'required_tool_missing']);
    expect(gate.reasons.map((r) => r.evidence)).toEqual([
      { tool: 'checkConflicts' },
      { tool: 'limitationPeriod' },
    ]);
  });

  it('escalates when the reasoner is unsure', () => {
    const gate = assessmentGate({ ...assessment, confidence: 0.5 }, checks(), settings, context);
    expect(codes(gate)).toEqual(['low_confidence']);
  });

  it('reports every reason at once', () => {
    const gate = assessmentGate(
      { ...assessment, confidence: 0.2, limitationDeadline: '2026-12-10' },
      checks({ conflicts: [conflictRun([bayviewHit])], limitation: [limitationRun('2026-12-01')] }),
      settings,
      { ...context, toolsCalled: [] },
    );
    expect(codes(gate)).toEqual([
      'low_confidence',
      'potential_conflict',
      'assessment_contradicts_checks',
      'limitation_imminent',
      'output_check_failed',
      'required_tool_missing',
      'required_tool_missing',
    ]);
  });
});

describe('deadlineReasons', () => {
  it('counts a deadline today as imminent with 0 days left', () => {
    expect(deadlineReasons(limitationRun(TODAY), 30, TODAY)[0].evidence).toMatchObject({ daysRemaining: 0 });
  });

  it('has nothing to say about a check without a deadline', () => {
    expect(deadlineReasons(limitationRun(null), 30, TODAY)).toEqual([]);
  });
});

describe('filingGate', () => {
  /** A decided review that saw this reason. */
  function decidedWith(reasons: ReviewRecord['reasons']): ReviewRecord {
    return {
      id: 'reason-1',
      stage: 'reason',
      reasons,
      confidence: 0.9,
      requestedAt: '2026-10-26T10:00:00.000Z',
      dueAt: '2026-10-27T10:00:00.000Z',
      escalatesAt: null,
      overdue: false,
      outputMissing: false,
      allowed: ['approve', 'reject', 'revise'],
      decision: 'approve',
      reviewer: 'alice',
      comment: null,
      corrections: null,
      decidedAt: '2026-11-24T10:00:00.000Z',
      via: 'update',
    };
  }

  const deadline = '2026-11-30';

  it('passes when the deadline is still far off after the wait', () => {
    expect(filingGate(limitationRun(FAR_DEADLINE), 30, TODAY, [])).toEqual({ passed: true, reasons: [] });
  });

  it('escalates a deadline that came within the window while the item waited', () => {
    const reviewedForLowConfidence = decidedWith([
      { code: 'low_confidence', message: 'reasoner unsure', evidence: { confidence: 0.5, threshold: 0.7 } },
    ]);
    const gate = filingGate(limitationRun(deadline), 30, TODAY, [reviewedForLowConfidence]);
    expect(codes(gate)).toEqual(['limitation_imminent']);
    expect(gate.reasons[0].evidence).toMatchObject({ deadline, daysRemaining: 5 });
  });

  it('does not escalate again a deadline a reviewer already decided with in view', () => {
    const sawIt = decidedWith(deadlineReasons(limitationRun(deadline), 30, '2026-11-20'));
    expect(filingGate(limitationRun(deadline), 30, TODAY, [sawIt])).toEqual({ passed: true, reasons: [] });
  });

  it('escalates a different deadline than the one the reviewer saw', () => {
    const sawAnother = decidedWith(deadlineReasons(limitationRun('2026-12-20'), 30, '2026-11-20'));
    expect(codes(filingGate(limitationRun(deadline), 30, TODAY, [sawAnother]))).toEqual([
      'limitation_imminent',
    ]);
  });

  it('escalates again when the deadline has passed since the reviewer saw it with days left', () => {
    const sawDaysLeft = decidedWith(deadlineReasons(limitationRun(deadline), 30, '2026-11-20'));
    const gate = filingGate(limitationRun(deadline), 30, '2026-12-02', [sawDaysLeft]);
    expect(codes(gate)).toEqual(['limitation_imminent']);
    expect(gate.reasons[0].message).toMatch(/ended on 2026-11-30/);
  });

  it('does not escalate a passed deadline the reviewer already saw as passed', () => {
    const sawPassed = decidedWith(deadlineReasons(limitationRun(deadline), 30, '2026-12-01'));
    expect(filingGate(limitationRun(deadline), 30, '2026-12-02', [sawPassed]).passed).toBe(true);
  });
});

describe('draftGate', () => {
  it('passes a plain acknowledgement', () => {
    expect(draftGate(draft, 0.6)).toEqual({ passed: true, reasons: [] });
  });

  it.each([
    'We guarantee a settlement.',
    'Do not worry: you will win this case.',
    'We have agreed to represent you.',
  ])('escalates an acknowledgement that says %j', (body) => {
    const gate = draftGate({ ...draft, clientAcknowledgement: { subject: 'Re: your enquiry', body } }, 0.6);
    expect(codes(gate)).toEqual(['output_check_failed']);
  });

  it('escalates a promise made in the subject line', () => {
    const gate = draftGate(
      { ...draft, clientAcknowledgement: { subject: 'Guaranteed compensation', body: draft.matterSummary } },
      0.6,
    );
    expect(codes(gate)).toEqual(['output_check_failed']);
  });

  it('escalates when the drafter is unsure', () => {
    expect(codes(draftGate({ ...draft, confidence: 0.4 }, 0.6))).toEqual(['low_confidence']);
  });
});
