import { normalizeName } from '../../db';

describe('normalizeName', () => {
  it.each([
    ['Acme Freight Inc.', 'acme freight'],
    ['ACME FREIGHT, INC', 'acme freight'],
    ['Acme Freight Incorporated', 'acme freight'],
    ['Northwind Logistics L.L.C.', 'northwind logistics'],
    ['Pacific Crest Insurance Co.', 'pacific crest insurance'],
    ['Lakeshore Manufacturing Corp', 'lakeshore manufacturing'],
    ['The Harbor Dental Group, Inc.', 'harbor dental group'],
    ["James O'Connor", 'james oconnor'],
    ['José  Álvarez-Núñez', 'jose alvarez nunez'],
    ['Smith & Jones LLP', 'smith and jones'],
    ['  Maria   Gonzalez ', 'maria gonzalez'],
  ])('%s → %s', (name, normalised) => {
    expect(normalizeName(name)).toBe(normalised);
  });

  it('keeps a name that is nothing but a legal form rather than emptying it', () => {
    expect(normalizeName('Company')).toBe('company');
    expect(normalizeName('The Co.')).toBe('co');
  });

  it('keeps words that tell entities apart, such as "group"', () => {
    expect(normalizeName('Acme Group')).not.toBe(normalizeName('Acme'));
  });

  it('gives an empty string for a name with no letters or digits', () => {
    expect(normalizeName(' — ')).toBe('');
  });
});
