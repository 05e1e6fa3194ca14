/**
 * Legal-form words dropped from the end of a name, so 'Acme Freight Inc.' and 'Acme Freight' are the same
 * party. 'group', 'holdings', 'partners' stay: 'Acme Group' and 'Acme' are often different entities.
 */
export const CORPORATE_SUFFIXES: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'llc',
  'llp',
  'lllp',
  'pllc',
  'lp',
  'ltd',
  'limited',
  'corp',
  'corporation',
  'co',
  'company',
  'plc',
  'pc',
]);

/**
 * The form names are compared in: lowercase, accents and punctuation gone ('L.L.C.' → 'llc',
 * "O'Brien" → 'obrien', '&' → 'and'), a leading 'the' and trailing legal-form words dropped, single spaces.
 * Stored beside every directory name as `name_normalized`.
 */
export function normalizeName(name: string): string {
  const tokens = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  if (tokens.length > 1 && tokens[0] === 'the') tokens.shift();
  // A name that is nothing but a legal form keeps its last word rather than becoming empty.
  while (tokens.length > 1 && CORPORATE_SUFFIXES.has(tokens[tokens.length - 1])) tokens.pop();
  return tokens.join(' ');
}
