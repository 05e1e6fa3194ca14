import { InvalidPatternError, pseudonymize, PseudonymizeSettings } from '../../pseudonymize';

const text = 'Maria Lopez, maria@example.com, 213-555-0187, member ID HX-99812, DOB 04/22/1981';

describe('categories switched off', () => {
  it('leaves the values of categories that are not enabled', () => {
    expect(pseudonymize(text, { categories: ['EMAIL', 'PHONE'] }).text).toBe(
      'Maria Lopez, [EMAIL_1], [PHONE_1], member ID HX-99812, DOB 04/22/1981',
    );
  });

  it('accepts the enabled categories as a set', () => {
    expect(pseudonymize(text, { categories: new Set(['DOB'] as const) }).text).toBe(
      'Maria Lopez, maria@example.com, 213-555-0187, member ID HX-99812, DOB [DOB_1]',
    );
  });

  it('replaces nothing when no category is enabled', () => {
    expect(pseudonymize(text, { categories: [] }).text).toBe(text);
  });
});

describe('extra patterns from config', () => {
  it('replaces what a pattern matches under its category', () => {
    const result = pseudonymize(text, { extraPatterns: [{ category: 'ID', pattern: 'HX-\\d{5}' }] });
    expect(result.text).toContain('member ID [ID_1]');
    expect(result.mapping.tokens['[ID_1]']).toBe('HX-99812');
  });

  it('replaces only the named group "value" when the pattern has one, and honours flags', () => {
    const result = pseudonymize('Matter ref: dk-4471 and Matter ref: DK-4472', {
      extraPatterns: [{ category: 'CASE', pattern: 'matter ref: (?<value>dk-\\d+)', flags: 'i' }],
    });
    expect(result.text).toBe('Matter ref: [CASE_1] and Matter ref: [CASE_2]');
  });

  it('wins over the built-in detectors where they overlap', () => {
    const result = pseudonymize('Badge 213-555-0187', {
      extraPatterns: [{ category: 'ID', pattern: 'Badge (?<value>[\\d-]+)' }],
    });
    expect(result.replacements.map((r) => r.category)).toEqual(['ID']);
  });

  it('throws a typed error that names the pattern by position, not by text', () => {
    expect(() => pseudonymize(text, { extraPatterns: [{ category: 'ID', pattern: '(' }] })).toThrow(
      new InvalidPatternError(0),
    );
  });
});

describe('settings as config holds them', () => {
  it('accepts categories and patterns, with no patterns by default', () => {
    expect(PseudonymizeSettings.parse({ categories: ['PERSON', 'EMAIL'] })).toEqual({
      categories: ['PERSON', 'EMAIL'],
      extraPatterns: [],
    });
  });

  it('refuses an unknown category, a pattern that does not compile and a flag it does not allow', () => {
    const result = PseudonymizeSettings.safeParse({
      categories: ['SHOE_SIZE'],
      extraPatterns: [
        { category: 'ID', pattern: '(' },
        { category: 'ID', pattern: 'x', flags: 'g' },
      ],
    });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((issue) => issue.path.join('.'))).toEqual([
      'categories.0',
      'extraPatterns.0.pattern',
      'extraPatterns.1.flags',
    ]);
  });
});
