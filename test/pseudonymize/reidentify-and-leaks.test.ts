import { findLeaks, pseudonymize, reidentify } from '../../pseudonymize';

const intake = [
  'Hello, my name is Maria Lopez (DOB 04/22/1981). Call (213) 555-0187 or write maria.lopez@example.com.',
  'My SSN is 529-44-1203. I live at 1740 W. Sunset Blvd, Apt 12, Los Angeles, CA 90026.',
  'Acme Freight Inc. hit me; Ms. Lopez needs help. Case No. 2:24-cv-01234.',
].join('\n');

describe('reidentify', () => {
  it('puts every value back: a round trip gives the original text', () => {
    const { text, mapping } = pseudonymize(intake);
    expect(text).not.toContain('Lopez');
    expect(reidentify(text, mapping)).toBe(intake.replace('Ms. Lopez', 'Ms. Maria Lopez'));
  });

  it("puts values back into a model's text that uses the tokens in its own way", () => {
    const { mapping } = pseudonymize(intake);
    expect(reidentify('[PERSON_1] was hit by [ORG_1]; reach [PERSON_1] at [PHONE_1].', mapping)).toBe(
      'Maria Lopez was hit by Acme Freight Inc.; reach Maria Lopez at (213) 555-0187.',
    );
  });

  it('leaves a token the mapping does not know as it is', () => {
    const { mapping } = pseudonymize(intake);
    expect(reidentify('[PERSON_9] and [EMAIL_1]', mapping)).toBe('[PERSON_9] and maria.lopez@example.com');
  });
});

describe('findLeaks', () => {
  const { mapping } = pseudonymize(intake);

  it('finds nothing in pseudonymized text', () => {
    expect(findLeaks(pseudonymize(intake).text, mapping)).toEqual([]);
  });

  it('returns the tokens of the values that appear in clear, in any letter case, never the values (in category order)', () => {
    const leaks = findLeaks('Summary: MARIA LOPEZ was injured; write to Maria.Lopez@Example.com.', mapping);
    expect(leaks).toEqual(['[PERSON_1]', '[EMAIL_1]']);
  });

  it('finds a variant of a name the intake used ("Lopez")', () => {
    expect(findLeaks('The client, Ms. Lopez, is credible.', mapping)).toEqual(['[PERSON_1]']);
  });

  it('matches whole words only', () => {
    expect(findLeaks('Lopezville and Marianne are elsewhere.', mapping)).toEqual([]);
  });

  it('finds numbers and dates written differently than in the intake', () => {
    const leaks = findLeaks('Call 213.555.0187; SSN 529 44 1203 on file; born April 22, 1981.', mapping);
    expect(leaks).toEqual(['[PHONE_1]', '[DOB_1]', '[ID_1]']);
  });

  it('does not flag a one-word name that is an ordinary word unless it is capitalised', () => {
    const { mapping: marks } = pseudonymize('Mark Klein moved in. Later, Mark said so.');
    expect(marks.forms['[PERSON_1]']).toEqual(['Mark Klein', 'Mark']);
    expect(findLeaks('Please mark the date.', marks)).toEqual([]);
    expect(findLeaks('I spoke to Mark.', marks)).toEqual(['[PERSON_1]']);
  });
});
