import { readingGrade } from '../../workflows/clinical-summary/readability';

describe('readingGrade', () => {
  it('reads short plain sentences as an easy letter and dense clinical prose as a hard one', () => {
    const plain = 'Take one pill each day. Call us if you feel sick. We will see you next week.';
    const dense =
      'Following comprehensive evaluation, the multidisciplinary team recommended continuation of anticoagulation therapy with subsequent reassessment of hepatic and renal parameters.';
    expect(readingGrade(plain)).toBeLessThanOrEqual(4);
    expect(readingGrade(dense)).toBeGreaterThan(14);
  });

  it('gives 0 for a text with no words', () => {
    expect(readingGrade('  ... ')).toBe(0);
  });
});
