/**
 * How alike two normalised names are (db/names.ts normalizeName), from 0 to 1.
 *
 * Computed here rather than with pg_trgm: the directory is small (hundreds of rows, read whole per call),
 * the embedded PGlite would need the extension loaded at construction, and one TypeScript function gives
 * the same answer on PGlite and PostgreSQL and is unit-testable. A directory of tens of thousands would
 * pre-filter candidates in SQL (pg_trgm's `%`) and still score them here.
 */

/** A score at or above this is a potential conflict; tuned so 'Acme Bakery' does not hit 'Acme Freight Inc.'. */
export const CONFLICT_THRESHOLD = 0.8;

/**
 * 1 only for the same normalised name. Otherwise the better of two views, capped below 1: token Jaccard
 * (word order: 'gonzalez maria' ~ 'maria gonzalez') and pg_trgm-style trigram similarity (spelling:
 * 'northwind logistic' ~ 'northwind logistics'). Rounded to two decimals so results read cleanly.
 */
export function nameSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  const score = Math.max(
    jaccard(new Set(a.split(' ')), new Set(b.split(' '))),
    jaccard(trigrams(a), trigrams(b)),
  );
  return Math.min(0.99, Math.round(score * 100) / 100);
}

/** Trigrams as pg_trgm forms them: each word padded with two spaces in front and one behind. */
function trigrams(name: string): Set<string> {
  const set = new Set<string>();
  for (const word of name.split(' ')) {
    const padded = `  ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) set.add(padded.slice(i, i + 3));
  }
  return set;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}
