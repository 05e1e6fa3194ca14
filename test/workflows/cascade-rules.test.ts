/**
 * Which rung a cascade's call is made on, decided from what the stage knows: before any call the highest
 * rung whose rules hold, after an answer the lowest rung above it whose rules hold on that answer. Reasons
 * no higher model answers (an identifier in clear, a provider down, the budget) never climb.
 */
import type { CascadeRung } from '../../domain';
import { firstRung, nextRung, type BeforeCall, type StageCascade } from '../../workflows/cascade';

const rungs: CascadeRung[] = [
  { tier: 'fast' },
  { tier: 'reasoning', model: 'o4-mini-2025-04-16', when: { policy: true, lowConfidence: true } },
  { tier: 'reasoning', when: { urgency: ['critical'], failedCheck: true } },
];
const quiet: BeforeCall = { urgency: 'normal', documentTokens: 800, policy: false };
const cascade = (before: Partial<BeforeCall> = {}): StageCascade => ({
  rungs,
  policyCodes: ['potential_conflict'],
  before: () => ({ ...quiet, ...before }),
});
const answered = (reasonCodes: string[]) => ({
  output: { conflictStatus: 'clear' },
  reasonCodes,
  urgency: 'normal',
});

it('starts on the first rung, or on the highest rung whose rules already hold', () => {
  expect(firstRung(cascade())).toEqual({ tier: 'fast', index: 0, of: 3 });
  expect(firstRung(cascade({ policy: true }))).toMatchObject({ index: 1, climbedFor: ['policy'] });
  expect(firstRung(cascade({ policy: true, urgency: 'critical' }))).toMatchObject({
    tier: 'reasoning',
    index: 2,
    climbedFor: ['urgency'],
  });
});

it('climbs to the lowest rung above whose rules hold on the answer, or stays', () => {
  const first = firstRung(cascade());
  expect(nextRung(cascade(), first, answered([]))).toBeNull();
  expect(nextRung(cascade(), first, answered(['low_confidence']))).toMatchObject({
    model: 'o4-mini-2025-04-16',
    index: 1,
    climbedFor: ['low_confidence'],
  });
  // A failed check skips the middle rung, whose rules do not name it.
  expect(nextRung(cascade(), first, answered(['required_tool_missing']))).toMatchObject({
    index: 2,
    climbedFor: ['failed_check'],
  });
  const middle = nextRung(cascade(), first, answered(['potential_conflict']))!;
  expect(middle).toMatchObject({ index: 1, climbedFor: ['policy'] });
  expect(nextRung(cascade(), middle, answered(['potential_conflict', 'low_confidence']))).toBeNull();
  expect(nextRung(cascade(), middle, answered(['schema_invalid']))).toMatchObject({ index: 2 });
});

it('never climbs on a leak, a provider down or the budget', () => {
  for (const code of ['pii_leak', 'provider_unavailable', 'budget_exceeded']) {
    expect(nextRung(cascade(), firstRung(cascade()), answered([code]))).toBeNull();
  }
});
