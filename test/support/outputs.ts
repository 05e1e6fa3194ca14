/** Agent outputs as a test writes them: a whole valid value, with the fields a test cares about changed. */
import type { Classification } from '../../agents';

/** A confident personal-injury classification in California; `changes` replace top-level fields. */
export function classificationWith(changes: Partial<Classification> = {}): Classification {
  return {
    matterType: 'personal_injury',
    urgency: 'normal',
    jurisdiction: 'US-CA',
    client: { name: 'Jordan Reyes', email: 'jordan@example.com', phone: null, organization: null },
    opposingParties: ['Bayview Movers LLC'],
    keyDates: [{ kind: 'incident', date: '2026-09-14', description: 'crash' }],
    fieldConfidence: { matterType: 0.9, urgency: 0.8, jurisdiction: 0.9, client: 0.9, opposingParties: 0.8 },
    confidence: 0.9,
    rationale: 'clear',
    ...changes,
  };
}
