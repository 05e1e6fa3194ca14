import { pseudonymize, tokenizeName, tokenizeValue } from '../../pseudonymize';

describe('tokens for values a tool returns', () => {
  const intake = pseudonymize('Maria Gonzalez <maria.gonzalez@example.com> of Acme Freight Inc. wrote.');

  it('gives a value the intake already named its token, in any written form and under either name kind', () => {
    expect(tokenizeValue(intake.mapping, 'PERSON', 'MARIA GONZALEZ').token).toBe('[PERSON_1]');
    expect(tokenizeValue(intake.mapping, 'EMAIL', 'Maria.Gonzalez@example.com').token).toBe('[EMAIL_1]');
    // A directory may file a business as a person or an organisation: the intake's token wins either way.
    expect(tokenizeValue(intake.mapping, 'PERSON', 'Acme Freight').token).toBe('[ORG_1]');
  });

  it('gives a new value a new token and extends a copy of the mapping, never the one given', () => {
    const before = JSON.stringify(intake.mapping);
    const { token, mapping } = tokenizeValue(intake.mapping, 'PERSON', 'Tyler Brooks');
    expect(token).toBe('[PERSON_2]');
    expect(mapping.tokens['[PERSON_2]']).toBe('Tyler Brooks');
    expect(JSON.stringify(intake.mapping)).toBe(before);
    expect(tokenizeValue(mapping, 'PERSON', 'tyler brooks').token).toBe('[PERSON_2]');
  });

  it('tells an organisation from a person by its words when nobody recorded which it is', () => {
    expect(tokenizeName(intake.mapping, 'Seaside Plaza Holdings LLC').token).toBe('[ORG_2]');
    expect(tokenizeName(intake.mapping, 'Daniel Whitaker').token).toBe('[PERSON_2]');
  });
});
