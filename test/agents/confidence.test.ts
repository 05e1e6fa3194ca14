/**
 * The computed confidence in plain language: the model's word can lower it, never raise it; the logprobs
 * of its choices and checks against what Docket knows can lower it too, each part kept for the reviewer.
 */
import {
  CHECK_PENALTIES,
  CONFIDENCE_FORMULA,
  classifierConfidence,
  drafterConfidence,
  reasonerConfidence,
  type Assessment,
  type Classification,
  type Draft,
  type LookupClientResult,
} from '../../agents';

const INTAKE =
  'From: [PERSON_1] <[EMAIL_1]>\nMy name is [PERSON_1]. On 2026-03-14 a van of [ORG_1] hit my car in Los Angeles.';
const TODAY = '2026-11-25';

const classification = (changes: Partial<Classification> = {}): Classification => ({
  matterType: 'personal_injury',
  urgency: 'normal',
  jurisdiction: 'US-CA',
  client: { name: '[PERSON_1]', email: '[EMAIL_1]', phone: null, organization: null },
  opposingParties: ['[ORG_1]'],
  keyDates: [{ kind: 'incident', date: '2026-03-14', description: 'the crash' }],
  fieldConfidence: { matterType: 0.95, urgency: 0.9, jurisdiction: 0.95, client: 0.95, opposingParties: 0.9 },
  confidence: 0.95,
  rationale: 'A car crash in California.',
  ...changes,
});

const KNOWN: LookupClientResult = {
  matches: [{ clientId: 'C-1', name: '[PERSON_1]', email: '[EMAIL_1]', kind: 'person', score: 1 }],
};
const UNKNOWN: LookupClientResult = { matches: [] };

const classify = (
  output: Classification,
  evidence: { choices?: Record<string, number>; clientLookup?: LookupClientResult | null } = {},
) =>
  classifierConfidence(output, {
    choices: evidence.choices,
    clientLookup: evidence.clientLookup === undefined ? KNOWN : evidence.clientLookup,
    sourceText: INTAKE,
    today: TODAY,
  });

describe('the classifier confidence', () => {
  it("is the model's own estimate when every check holds and there are no logprobs", () => {
    const computed = classify(classification());
    expect(computed.value).toBe(0.95);
    expect(computed.formula).toBe(CONFIDENCE_FORMULA);
    expect(computed.parts).toMatchObject({ model: 0.95, logprob: null });
    for (const check of Object.values(computed.parts.checks)) expect(check.factor).toBe(1);
  });

  it('is no higher than the least probable choice that counts, however sure the model says it is', () => {
    const computed = classify(classification({ confidence: 1 }), {
      choices: { matterType: 0.42, jurisdiction: 0.9, urgency: 0.2 },
    });
    expect(computed.value).toBe(0.42);
    expect(computed.parts.logprob).toBe(0.42);
    // Urgency is shown, but does not count: it sets a review's due time, not where the matter goes.
    expect(computed.parts.choices.urgency).toBe(0.2);
  });

  it('is no higher than the model says when the logprobs are surer than the model', () => {
    expect(classify(classification({ confidence: 0.6 }), { choices: { matterType: 0.99 } }).value).toBe(0.6);
  });

  it('lowers the classifier confidence when the directory does not know the client', () => {
    const computed = classify(classification(), { clientLookup: UNKNOWN });
    expect(computed.parts.checks.client).toMatchObject({ score: 0, factor: 1 - CHECK_PENALTIES.client });
    expect(computed.parts.checks.client.detail).toMatch(/does not know the client/);
    expect(computed.value).toBeCloseTo(0.95 * (1 - CHECK_PENALTIES.client), 4);
  });

  it('lowers it when there is no jurisdiction the firm serves', () => {
    const computed = classify(classification({ jurisdiction: null }));
    expect(computed.parts.checks.jurisdiction.score).toBe(0);
    expect(computed.value).toBeCloseTo(0.95 * (1 - CHECK_PENALTIES.jurisdiction), 4);
  });

  it('lowers it when a date is no calendar date, or an incident lies after today', () => {
    const computed = classify(
      classification({
        keyDates: [
          { kind: 'incident', date: '2026-02-30', description: 'no such day' },
          { kind: 'hearing', date: '2027-01-10', description: 'a hearing ahead is fine' },
          { kind: 'termination', date: '2026-12-24', description: 'not yet happened' },
          { kind: 'contract', date: '2025-03-02', description: 'signed' },
        ],
      }),
    );
    expect(computed.parts.checks.dates.score).toBe(0.5);
    expect(computed.parts.checks.dates.detail).toMatch(/incident 2026-02-30, termination 2026-12-24/);
    expect(computed.value).toBeCloseTo(0.95 * (1 - CHECK_PENALTIES.dates * 0.5), 4);
  });

  it('lowers it when the classification names a party the intake does not', () => {
    const computed = classify(classification({ opposingParties: ['[ORG_1]', '[ORG_7]'] }));
    // The client and two opposing parties: one of the three is not in the intake.
    expect(computed.parts.checks.parties.score).toBeCloseTo(2 / 3, 3);
    expect(computed.parts.checks.parties.detail).toMatch(/\[ORG_7\]/);
  });

  it('multiplies the failures: several doubts weigh more than one', () => {
    const one = classify(classification(), { clientLookup: UNKNOWN }).value;
    const two = classify(classification({ jurisdiction: null }), { clientLookup: UNKNOWN }).value;
    expect(two).toBeLessThan(one);
    expect(two).toBeCloseTo(0.95 * (1 - CHECK_PENALTIES.client) * (1 - CHECK_PENALTIES.jurisdiction), 4);
  });
});

const assessment = (changes: Partial<Assessment> = {}): Assessment => ({
  conflictStatus: 'clear',
  conflictDetails: null,
  existingClientId: null,
  recommendedQueue: 'personal-injury',
  priority: 'p3',
  limitationDeadline: '2028-03-14',
  risks: [],
  missingInformation: [],
  confidence: 0.9,
  rationale: 'Checked.',
  ...changes,
});

describe('the reasoner confidence', () => {
  const reason = (output: Assessment, clientLookup: LookupClientResult | null) =>
    reasonerConfidence(output, { clientLookup, sourceText: INTAKE, today: TODAY });

  it('stays at the model estimate without logprobs (o1) when its client id came from the directory', () => {
    const computed = reason(assessment({ existingClientId: 'C-1' }), KNOWN);
    expect(computed.parts.logprob).toBeNull();
    expect(computed.value).toBe(0.9);
  });

  it('drops when the reasoner names a client id the directory lookup never returned', () => {
    const computed = reason(assessment({ existingClientId: 'C-999' }), UNKNOWN);
    expect(computed.parts.checks.clientId.score).toBe(0);
    expect(computed.value).toBeCloseTo(0.9 * (1 - CHECK_PENALTIES.clientId), 4);
  });
});

describe('the drafter confidence', () => {
  const draft = (summary: string): Draft => ({
    matterSummary: summary,
    clientAcknowledgement: { subject: 'We received your enquiry', body: 'Dear [PERSON_1], thank you.' },
    confidence: 0.9,
    rationale: 'Restates the intake.',
  });

  it('holds when every name in the drafts is one the intake gives', () => {
    expect(
      drafterConfidence(draft('[PERSON_1] was hit by a van of [ORG_1].'), {
        sourceText: INTAKE,
        today: TODAY,
      }).value,
    ).toBe(0.9);
  });

  it('drops when the drafts name someone the intake does not', () => {
    const computed = drafterConfidence(draft('[PERSON_2] was hit by a van of [ORG_1].'), {
      sourceText: INTAKE,
      today: TODAY,
    });
    expect(computed.parts.checks.parties.detail).toMatch(/\[PERSON_2\]/);
    expect(computed.value).toBeLessThan(0.9);
  });
});
