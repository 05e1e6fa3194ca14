import { CONFLICT_THRESHOLD, nameSimilarity } from '../../activities/tools/name-match';
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
