import type {
  Assessment,
  CheckConflictsResult,
  Classification,
  Draft,
  LimitationPeriodResult,
} from '../../agents';
import { assessmentGate, classificationGate, draftGate } from '../../workflows/legal-intake/gates';

const classification: Classification = {
  matterType: 'personal_injury',
  urgency: 'normal',
  jurisdiction: 'US-CA',
  client: { name: 'Jordan Reyes', email: 'jordan@example.com', phone: null, organization: null },
  opposingParties: ['Bayview Movers LLC'],
  keyDates: [{ kind: 'incident', date: '2026-09-14', description: 'crash' }],
  fieldConfidence: { matterType: 0.9, urgency: 0.8, jurisdiction: 0.9, client: 0.9, opposingParties: 0.8 },
  confidence: 0.9,
  rationale: 'clear',
};

const assessment: Assessment = {
  conflictStatus: 'clear',
  conflictDetails: null,
  existingClientId: null,
  recommendedQueue: 'personal-injury',
  priority: 'p3',
  limitationDeadline: '2028-09-14',
  risks: [],
  missingInformation: [],
  confidence: 0.9,
  rationale: 'clear',
};

const clearConflicts: CheckConflictsResult = { status: 'clear', hits: [], checkedParties: ['Jordan Reyes'] };
const farDeadline: LimitationPeriodResult = {
  known: true,
  periodMonths: 24,
  deadline: '2028-09-14',
  daysRemaining: 659,
  basis: 'demo',
  asOf: '2026-11-25',
};
const settings = { threshold: 0.7, limitationWarningDays: 30 };

const draft: Draft = {
  matterSummary: 'summary',
  clientAcknowledgement: {
    subject: 'We received your enquiry',
    body: 'An attorney will review it and contact you.',
  },
  confidence: 0.9,
  rationale: 'ok',
};

const codes = (r: { reasons: { code: string }[] }) => r.reasons.map((x) => x.code);

describe('classificationGate', () => {
  it('passes a confident classification', () => {
    expect(classificationGate(classification, 0.75)).toEqual({ passed: true, reasons: [] });
  });
  it('escalates when the classifier is unsure', () => {
    const gate = classificationGate({ ...classification, confidence: 0.5 }, 0.75);
    expect(gate.passed).toBe(false);
    expect(codes(gate)).toEqual(['low_confidence']);
    expect(gate.reasons[0].message).toMatch(/0\.50 is below the threshold 0\.75/);
  });
});

describe('assessmentGate', () => {
  it('passes a confident assessment with clear tool evidence', () => {
    const gate = assessmentGate(
      assessment,
      { checkConflicts: clearConflicts, limitationPeriod: farDeadline },
      settings,
    );
    expect(gate).toEqual({ passed: true, reasons: [] });
  });

  it('escalates a conflict hit even when the model is confident and says clear', () => {
    const hit: CheckConflictsResult = {
      status: 'potential_conflict',
      hits: [
        {
          party: 'Acme Freight',
          matchedName: 'Acme Freight Inc.',
          relation: 'client_is_adverse_party',
          matterId: 'M-1',
          score: 1,
        },
      ],
      checkedParties: ['Acme Freight'],
    };
    const gate = assessmentGate(assessment, { checkConflicts: hit, limitationPeriod: farDeadline }, settings);
    expect(codes(gate)).toEqual(['potential_conflict']);
    expect(gate.reasons[0].message).toContain('Acme Freight Inc.');
  });

  it('escalates a deadline inside the warning window, and one already passed', () => {
    const soon = { ...farDeadline, deadline: '2026-12-10', daysRemaining: 15 };
    const gate = assessmentGate(
      { ...assessment, limitationDeadline: '2026-12-10' },
      { checkConflicts: clearConflicts, limitationPeriod: soon },
      settings,
    );
    expect(codes(gate)).toEqual(['limitation_imminent']);
    const passed = { ...farDeadline, deadline: '2026-11-01', daysRemaining: -24 };
    const late = assessmentGate(
      { ...assessment, limitationDeadline: '2026-11-01' },
      { checkConflicts: clearConflicts, limitationPeriod: passed },
      settings,
    );
    expect(late.reasons[0].message).toMatch(/ended on 2026-11-01/);
  });

  it('escalates when a required tool was never called', () => {
    const gate = assessmentGate(assessment, { checkConflicts: null, limitationPeriod: null }, settings);
    expect(codes(gate)).toEqual(['required_tool_missing', 'required_tool_missing']);
  });

  it("escalates when the model's deadline differs from the tool's", () => {
    const gate = assessmentGate(
      { ...assessment, limitationDeadline: '2029-01-01' },
      { checkConflicts: clearConflicts, limitationPeriod: farDeadline },
      settings,
    );
    expect(codes(gate)).toEqual(['output_check_failed']);
  });

  it('reports every reason at once', () => {
    const gate = assessmentGate(
      { ...assessment, confidence: 0.2, conflictStatus: 'potential_conflict' },
      { checkConflicts: clearConflicts, limitationPeriod: farDeadline },
      settings,
    );
    expect(codes(gate)).toEqual(['low_confidence', 'potential_conflict']);
  });
});

describe('draftGate', () => {
  it('passes a plain acknowledgement', () => {
    expect(draftGate(draft, 0.6).passed).toBe(true);
  });
  it.each([
    'We guarantee a settlement.',
    'Do not worry: you will win this case.',
    'We have agreed to represent you.',
  ])('escalates an acknowledgement that says %j', (body) => {
    const gate = draftGate({ ...draft, clientAcknowledgement: { subject: 'Re: your enquiry', body } }, 0.6);
    expect(codes(gate)).toEqual(['output_check_failed']);
  });
});
