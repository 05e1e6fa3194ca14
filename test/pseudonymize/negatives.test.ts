import { pseudonymize } from '../../pseudonymize';

describe('what must stay in clear', () => {
  it.each([
    [
      'incident and deadline dates',
      'The accident happened on 03/14/2026 and the hearing is on November 30, 2026.',
    ],
    ['money amounts', 'Damages of $184,220.50, a $12,000 deposit and $22.50/hr.'],
    ['statutes and rules', 'Under 42 U.S.C. § 1983, Cal. Civ. Code § 1793.2, UCC 2-309 and section 335.1.'],
    [
      'product names and model numbers',
      'My Instant Pot Duo 7-in-1, model IP-DUO60, serial 2104-66-1180, and a 2026 Tesla Model Y.',
    ],
    [
      'street-like phrases that are not addresses',
      'Near the 500 block of Main Street, off Exit 12 on I-95, on Route 9.',
    ],
    [
      'invoice, purchase order, permit and trademark numbers',
      'Invoice 88123, PO 4500012231, Permit no. BLD2026-08812, Reg. No. 5,123,456.',
    ],
    [
      'public bodies and places',
      'Filed with the EEOC in Cook County; hearing at Franklin County Municipal Court in Columbus, Ohio.',
    ],
    [
      'ages, counts and durations',
      "I'm 67, missed 3 months of work, 14 stitches, a 3-day notice, 180-day deadline.",
    ],
    ['the last digits of an account', 'Paid by ACH from the account ending 7731.'],
    ['a licence plate', 'Plate: AZ CKT4491'],
  ])('keeps %s', (_what, text) => {
    expect(pseudonymize(text).text).toBe(text);
  });
});
