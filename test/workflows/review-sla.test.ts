import { reviewDueMs } from '../../workflows/review/sla';

const HOUR = 3_600_000;

/** `review.sla` as durationMs turns it into milliseconds. */
const sla = {
  default: 24 * HOUR,
  reason: 12 * HOUR,
  critical: 2 * HOUR,
  'reason.critical': 1 * HOUR,
};

describe('reviewDueMs', () => {
  it('uses the stage and urgency together when config names both', () => {
    expect(reviewDueMs(sla, 'reason', 'critical')).toBe(1 * HOUR);
  });

  it('prefers the urgency to the stage', () => {
    const { default: fallback, reason, critical } = sla;
    expect(reviewDueMs({ default: fallback, reason, critical }, 'reason', 'critical')).toBe(2 * HOUR);
  });

  it('uses the urgency for a stage without its own time', () => {
    expect(reviewDueMs(sla, 'draft', 'critical')).toBe(2 * HOUR);
  });

  it('uses the stage when the urgency has no time of its own', () => {
    expect(reviewDueMs(sla, 'reason', 'normal')).toBe(12 * HOUR);
  });

  it('falls back to the default', () => {
    expect(reviewDueMs(sla, 'draft', 'normal')).toBe(24 * HOUR);
  });

  it('uses the stage, then the default, when the item has no urgency yet', () => {
    expect(reviewDueMs(sla, 'reason')).toBe(12 * HOUR);
    expect(reviewDueMs(sla, 'classify', null)).toBe(24 * HOUR);
  });

  it('does not read a stage-and-urgency key without an urgency', () => {
    expect(reviewDueMs({ default: 24 * HOUR, 'classify.critical': HOUR }, 'classify')).toBe(24 * HOUR);
  });
});
