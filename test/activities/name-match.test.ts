import {
  CONFLICT_THRESHOLD,
  comparableName,
  matchNames,
  nameFromEmailPart,
  nameSimilarity,
} from '../../activities/tools/name-match';
import { normalizeName } from '../../db';

const similarity = (a: string, b: string) => nameSimilarity(normalizeName(a), normalizeName(b));

describe('nameSimilarity', () => {
  it('is 1 for the same name once legal forms and punctuation are set aside', () => {
    expect(similarity('Acme Freight', 'Acme Freight Inc.')).toBe(1);
    expect(similarity('NORTHWIND LOGISTICS, L.L.C.', 'Northwind Logistics LLC')).toBe(1);
  });

  it('scores a reordered or slightly misspelt name as a match, but below 1', () => {
    for (const [a, b] of [
      ['Gonzalez, Maria', 'Maria Gonzalez'],
      ['Northwind Logistic', 'Northwind Logistics LLC'],
    ]) {
      const score = similarity(a, b);
      expect(score).toBeGreaterThanOrEqual(CONFLICT_THRESHOLD);
      expect(score).toBeLessThan(1);
    }
  });

  it('keeps names that share a word apart', () => {
    expect(similarity('Acme Bakery', 'Acme Freight Inc.')).toBeLessThan(CONFLICT_THRESHOLD);
    expect(similarity('Daniel Whitaker', 'Sarah Whitaker')).toBeLessThan(CONFLICT_THRESHOLD);
    expect(similarity('Mark Klein', 'Robert Klein')).toBeLessThan(CONFLICT_THRESHOLD);
  });

  it('is 0 when either name is empty', () => {
    expect(nameSimilarity('', 'acme')).toBe(0);
    expect(nameSimilarity('acme', '')).toBe(0);
  });
});

describe('matchNames', () => {
  const exact = { kind: 'exact', score: 1 };

  it('returns null when either name is empty or blank', () => {
    expect(matchNames('', 'Daniel Whitaker')).toBeNull();
    expect(matchNames('Daniel Whitaker', '')).toBeNull();
    expect(matchNames('  ', ' , ')).toBeNull();
  });

  it('drops titles before comparing, in English, Spanish, French and Portuguese', () => {
    expect(matchNames('Dr. Daniel Whitaker', 'Daniel Whitaker')).toEqual(exact);
    expect(matchNames('Mrs Sarah Whitaker', 'Prof. Sarah Whitaker')).toEqual(exact);
    expect(matchNames('Sra. María González', 'Maria Gonzalez')).toEqual(exact);
    expect(matchNames('Doña Dolores Peña', 'Dolores Pena')).toEqual(exact);
    expect(matchNames('Mme Claire Dubois', 'Claire Dubois')).toEqual(exact);
    expect(matchNames('Hon. Judge Anne Lee', 'Anne Lee')).toEqual(exact);
  });

  it('drops generation and post-nominal suffixes after a name', () => {
    expect(matchNames('Daniel Whitaker Jr.', 'Daniel Whitaker')).toEqual(exact);
    expect(matchNames('Daniel Whitaker, Esq.', 'Daniel Whitaker')).toEqual(exact);
    expect(matchNames('Daniel Whitaker III', 'Daniel Whitaker')).toEqual(exact);
    expect(matchNames('Daniel Whitaker, MD, PhD', 'Daniel Whitaker')).toEqual(exact);
  });

  it('keeps a title word that may be a first name or an initial when only a surname follows', () => {
    expect(comparableName('Don Whitaker')).toBe('don whitaker');
    expect(matchNames('Don Whitaker', 'Donald Whitaker')).toEqual({ kind: 'nickname', score: 0.95 });
    expect(comparableName('Don José Peña')).toBe('jose pena');
    expect(comparableName('M. Jean Dupont')).toBe('jean dupont');
    expect(matchNames('M. Dupont', 'Michel Dupont')).toEqual({ kind: 'initials', score: 0.85 });
  });

  it('ignores accents, case, punctuation and legal forms', () => {
    expect(matchNames('Jose Pena', 'José Peña')).toEqual(exact);
    expect(matchNames('Acme Freight Inc.', 'ACME FREIGHT')).toEqual(exact);
    expect(matchNames('Northwind Logistics, L.L.C.', 'Northwind Logistics')).toEqual(exact);
    expect(matchNames('Smith & Co.', 'Smith')).toEqual(exact);
  });

  it('ignores Spanish, Latin American and European legal forms', () => {
    expect(matchNames('Transportes Peña S.A. de C.V.', 'Transportes Pena')).toEqual(exact);
    expect(matchNames('Constructora Andina Ltda.', 'Constructora Andina')).toEqual(exact);
    expect(matchNames('Grupo Norte, S. de R.L. de C.V.', 'Grupo Norte SA')).toEqual(exact);
    expect(matchNames('Müller Logistik GmbH', 'Muller Logistik AG')).toEqual(exact);
    expect(matchNames('Rotterdam Shipping B.V.', 'Rotterdam Shipping')).toEqual(exact);
  });

  it('keeps a surname that looks like a legal form after a particle', () => {
    expect(comparableName('Maria de Sá')).toBe('maria de sa');
  });

  it('reads "Last, First" as "First Last"', () => {
    expect(matchNames('Whitaker, Daniel', 'Daniel Whitaker')).toEqual(exact);
    expect(matchNames('Whitaker, Daniel J., Jr.', 'Daniel J. Whitaker')).toEqual(exact);
    expect(matchNames('Peña, Dr. José', 'José Peña')).toEqual(exact);
  });

  it('matches a nickname with the same last name, either way round, ignoring middle names', () => {
    const nickname = { kind: 'nickname', score: 0.95 };
    expect(matchNames('Bob Klein', 'Robert Klein')).toEqual(nickname);
    expect(matchNames('Robert Klein', 'Bob Klein')).toEqual(nickname);
    expect(matchNames('Dan J. Whitaker', 'Daniel Whitaker')).toEqual(nickname);
    expect(matchNames('Liz Whitaker', 'Elizabeth Anne Whitaker')).toEqual(nickname);
    expect(matchNames('Peggy Olson', 'Margaret Olson')).toEqual(nickname);
  });

  it('matches two short forms of the same formal name', () => {
    expect(matchNames('Bobby Klein', 'Rob Klein')).toEqual({ kind: 'nickname', score: 0.95 });
    expect(matchNames('Kate Moreno', 'Katie Moreno')).toEqual({ kind: 'nickname', score: 0.95 });
  });

  it('matches Spanish diminutives', () => {
    const nickname = { kind: 'nickname', score: 0.95 };
    expect(matchNames('Paco Hernández', 'Francisco Hernandez')).toEqual(nickname);
    expect(matchNames('Pepe Peña', 'José Peña')).toEqual(nickname);
    expect(matchNames('Memo Ruiz', 'Guillermo Ruiz')).toEqual(nickname);
    expect(matchNames('Chucho Ramos', 'Jesús Ramos')).toEqual(nickname);
    expect(matchNames('Lola Vega', 'Dolores Vega')).toEqual(nickname);
    expect(matchNames('Chayo Ortiz', 'Rosario Ortiz')).toEqual(nickname);
  });

  it('matches a short form with each of its formal names, but not two formal names sharing one', () => {
    expect(matchNames('Chris Young', 'Christine Young')).toEqual({ kind: 'nickname', score: 0.95 });
    expect(matchNames('Christopher Young', 'Christine Young')).toBeNull();
    expect(matchNames('Alexander Ruiz', 'Alejandro Ruiz')).toBeNull();
  });

  it('does not match a nickname when the last names differ', () => {
    expect(matchNames('Bob Klein', 'Robert Kline')).toBeNull();
  });

  it('matches a first-name initial with the same last name', () => {
    const initials = { kind: 'initials', score: 0.85 };
    expect(matchNames('D. Whitaker', 'Daniel Whitaker')).toEqual(initials);
    expect(matchNames('D Whitaker', 'Daniel Whitaker')).toEqual(initials);
    expect(matchNames('Daniel Whitaker', 'D. J. Whitaker')).toEqual(initials);
  });

  it('matches a middle name or initial on one side only as initials, a little below a nickname', () => {
    const middle = { kind: 'initials', score: 0.9 };
    expect(matchNames('Daniel J. Whitaker', 'Daniel Whitaker')).toEqual(middle);
    expect(matchNames('Daniel Whitaker', 'Daniel James Whitaker')).toEqual(middle);
    expect(matchNames('Daniel J. Whitaker', 'Daniel James Whitaker')).toEqual(middle);
  });

  it('does not treat initials alone or a surname alone as a match', () => {
    expect(matchNames('D.W.', 'Daniel Whitaker')).toBeNull();
    expect(matchNames('Mr. Whitaker', 'Daniel Whitaker')).toBeNull();
    expect(matchNames('Whitaker', 'Daniel Whitaker')).toBeNull();
    expect(matchNames('Daniel', 'Daniel Whitaker')).toBeNull();
  });

  it('matches an organisation signing as one of its departments', () => {
    for (const written of [
      'Acme Freight Legal Department',
      'Acme Freight Inc. Legal Dept.',
      'Legal Department, Acme Freight',
      'Legal Department of Acme Freight',
      'Acme Freight | Legal',
      'Acme Freight Office of the General Counsel',
    ]) {
      expect(matchNames(written, 'Acme Freight Inc.', 'organization')).toEqual(exact);
    }
    expect(matchNames('Claims Dept., Pacific Crest Insurance', 'Pacific Crest Insurance')).toEqual(exact);
    expect(matchNames('Pacific Crest Insurance – Claims', 'Pacific Crest Insurance')).toEqual(exact);
    expect(matchNames('Pacific Crest Insurance - Claims', 'Pacific Crest Insurance')).toEqual(exact);
    expect(matchNames('Accounts Payable, Lakeshore Manufacturing Corp.', 'Lakeshore Manufacturing')).toEqual(
      exact,
    );
    expect(matchNames('Departamento Jurídico, Transportes Peña', 'Transportes Peña S.A.')).toEqual(exact);
    expect(matchNames('Departamento Jurídico de Transportes Peña', 'Transportes Peña')).toEqual(exact);
  });

  it('drops department words only at either end of a name, never the whole name', () => {
    expect(comparableName('Legal & General')).toBe('legal and general');
    expect(comparableName('Risk Management Inc.')).toBe('risk management');
    expect(comparableName('Department of Justice')).toBe('department of justice');
    expect(comparableName('Legal Department')).toBe('legal department');
    expect(comparableName('Acme Claims Processing')).toBe('acme claims processing');
  });

  it('does not match a department alone against anything', () => {
    expect(matchNames('Legal Department', 'Acme Freight Inc.')).toBeNull();
    expect(matchNames('Legal Department', 'Acme Freight Legal Department')).toBeNull();
    expect(matchNames('Claims', 'Claims')).toBeNull();
  });

  it('matches a spaceless domain label or local part against a name of several words', () => {
    expect(matchNames('acmefreight', 'Acme Freight Inc.', 'organization')).toEqual(exact);
    expect(matchNames('danielwhitaker', 'Daniel Whitaker', 'person')).toEqual(exact);
    expect(matchNames('dwhitaker', 'Daniel Whitaker', 'person')).toEqual({ kind: 'initials', score: 0.85 });
    expect(matchNames('danielwhitaker', 'Daniel J. Whitaker', 'person')).toEqual({
      kind: 'initials',
      score: 0.9,
    });
  });

  it("matches a domain that keeps an organisation's first two words only, as a similar name", () => {
    expect(matchNames('pacificcrest', 'Pacific Crest Insurance Co.', 'organization')).toEqual({
      kind: 'fuzzy',
      score: 0.9,
    });
    expect(matchNames('pacific', 'Pacific Crest Insurance Co.', 'organization')).toBeNull();
    expect(matchNames('crestinsurance', 'Pacific Crest Insurance Co.', 'organization')).toBeNull();
  });

  it('does not read compact forms as initials for an organisation, or below six letters', () => {
    expect(matchNames('afreight', 'Acme Freight', 'organization')).toBeNull();
    expect(matchNames('dlee', 'Daniel Lee', 'person')).toBeNull();
    expect(matchNames('acme', 'Acme Freight Inc.')).toBeNull();
  });

  it('accepts a single one-letter typo in a long word when every other word is the same', () => {
    expect(matchNames('Daniel Whittaker', 'Daniel Whitaker')).toEqual({ kind: 'fuzzy', score: 0.9 });
    expect(matchNames('Danial Whitaker', 'Daniel Whitaker')?.kind).toBe('fuzzy');
    expect(matchNames('Danile Whitaker', 'Daniel Whitaker')).toEqual({ kind: 'fuzzy', score: 0.9 });
  });

  it('falls back to name similarity for misspellings and word order', () => {
    const match = matchNames('Northwind Logistic', 'Northwind Logistics LLC');
    expect(match?.kind).toBe('fuzzy');
    expect(match?.score).toBeGreaterThanOrEqual(CONFLICT_THRESHOLD);
    expect(matchNames('Whitaker Daniel', 'Daniel Whitaker')).toEqual({ kind: 'fuzzy', score: 0.99 });
  });

  it('keeps different people and organisations that share a word apart', () => {
    expect(matchNames('Acme Bakery', 'Acme Freight Inc.')).toBeNull();
    expect(matchNames('Daniel Whitaker', 'Sarah Whitaker')).toBeNull();
    expect(matchNames('Mark Klein', 'Robert Klein')).toBeNull();
    expect(matchNames('Dan Whitaker', 'Sarah Whitaker')).toBeNull();
    expect(matchNames('Harbor', 'Harbor Dental Group Inc.')).toBeNull();
  });

  it('treats surnames two edits apart as different: "Robert Kline" is not "Robert Klein"', () => {
    expect(matchNames('Robert Kline', 'Robert Klein')).toBeNull();
  });

  it('does not count a one-letter change in a short word as a typo', () => {
    expect(matchNames('Mark Lee', 'Mary Lee')).toBeNull();
  });

  it('does not count a changed or added final vowel as a typo ("Maria" and "Mario" are two people)', () => {
    expect(matchNames('Maria Gonzalez', 'Mario Gonzalez')).toBeNull();
    expect(matchNames('Antonia Ruiz', 'Antonio Ruiz')).toBeNull();
    expect(matchNames('Whitaker Logistic', 'Whitaker Logistics')?.kind).toBe('fuzzy');
  });

  it('leaves the first name to the person rules when told the row is an organisation', () => {
    expect(matchNames('D. Whitaker', 'Daniel Whitaker', 'organization')).toBeNull();
  });
});

describe('comparableName', () => {
  it('normalises and removes titles, suffixes and department words', () => {
    expect(comparableName('Dr. José Peña, Jr.')).toBe('jose pena');
    expect(comparableName('The Acme Freight Company – Legal Department')).toBe('acme freight');
  });
});

describe('nameFromEmailPart', () => {
  it('turns a local part with separators into words', () => {
    expect(nameFromEmailPart('daniel.whitaker')).toBe('daniel whitaker');
    expect(nameFromEmailPart('dan_whitaker')).toBe('dan whitaker');
    expect(nameFromEmailPart('Daniel-J.Whitaker')).toBe('daniel j whitaker');
    expect(nameFromEmailPart('acme-freight')).toBe('acme freight');
  });

  it('drops a sub-address tag, a domain and digits', () => {
    expect(nameFromEmailPart('daniel.whitaker+intake')).toBe('daniel whitaker');
    expect(nameFromEmailPart('daniel.whitaker@acmefreight.com')).toBe('daniel whitaker');
    expect(nameFromEmailPart('john.smith84')).toBe('john smith');
  });

  it('returns null for a spaceless or initial-and-surname local part', () => {
    expect(nameFromEmailPart('dwhitaker')).toBeNull();
    expect(nameFromEmailPart('d.whitaker')).toBeNull();
    expect(nameFromEmailPart('acmefreight')).toBeNull();
  });

  it('returns null for role and generic mailboxes', () => {
    for (const part of [
      'info',
      'legal',
      'office',
      'admin',
      'contact',
      'hello',
      'noreply',
      'no-reply',
      'legal.team',
    ]) {
      expect(nameFromEmailPart(part)).toBeNull();
    }
  });
});
