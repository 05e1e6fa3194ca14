import { Tier, type Candidate } from '../candidates';
import { normaliseOrgName, normalisePersonName } from '../normalise';
import { accentInsensitive, escapeRegExp, matchAll } from '../text';
import { looksLikeOrganization, wordsOf } from './classify';
import { GENERIC_ORG_TAIL, LEGAL_SUFFIXES, LEGAL_SUFFIX_SOURCE } from './vocabulary';

/** A name from the firm's client directory; a plain string is classified by its words. */
export type DirectoryEntry = string | { name: string; kind?: 'person' | 'organization' };

/**
 * The firm's client directory names wherever they appear, in any letter case and as whole words. An
 * organisation also matches with another spelling of its legal form or none ("NORTHWIND LOGISTICS,
 * L.L.C.", "Northwind Logistics") and without a generic last word ("Harbor Dental" for "Harbor Dental
 * Group Inc."); a person also as "Last, First". Every spelling takes the directory name's token.
 */
export function findDirectoryNames(text: string, entries: readonly DirectoryEntry[]): Candidate[] {
  const found: Candidate[] = [];
  for (const entry of entries) {
    const name = typeof entry === 'string' ? entry : entry.name;
    if (!name.trim()) continue;
    const organisation =
      typeof entry === 'string' || !entry.kind ? looksLikeOrganization(name) : entry.kind === 'organization';
    const source = organisation ? organisationSource(name) : personSource(name);
    if (!source) continue;
    const category = organisation ? 'ORG' : 'PERSON';
    const key = organisation ? normaliseOrgName(name) : normalisePersonName(name);
    for (const match of matchAll(
      text,
      new RegExp(`(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`, 'giu'),
    )) {
      let end = match.index + match[0].length;
      // a legal form ending in a full stop keeps it ("Co."), a bare name leaves the sentence's
      if (text[end - 1] === '.' && !/(?:inc|co|corp|ltd|l\.?l\.?c|l\.?p|p\.?c)\.$/i.test(match[0])) end -= 1;
      found.push({ start: match.index, end, category, tier: Tier.names, rank: 0, key, value: name.trim() });
    }
  }
  return found;
}

/** Words of a name as a regex: any whitespace between words, either apostrophe. */
function wordsSource(words: readonly string[]): string {
  return words.map((word) => accentInsensitive(escapeRegExp(word)).replace(/['’]/g, "['’]")).join('\\s+');
}

function organisationSource(name: string): string | undefined {
  const words = name.trim().split(/\s+/);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1].toLowerCase().replace(/[.,]/g, '')))
    words.pop();
  if (words.length && words[words.length - 1].endsWith(','))
    words[words.length - 1] = words[words.length - 1].slice(0, -1);
  const base = [...words];
  const tail: string[] = [];
  while (base.length > 2 && GENERIC_ORG_TAIL.has(base[base.length - 1].toLowerCase().replace(/\./g, ''))) {
    tail.unshift(base.pop()!);
  }
  if (wordsOf(base.join(' ')).length === 0) return undefined;
  const optionalTail = tail.length ? `(?:\\s+${wordsSource(tail)})?` : '';
  return `${wordsSource(base)}${optionalTail}(?:,?\\s+${LEGAL_SUFFIX_SOURCE})?`;
}

function personSource(name: string): string | undefined {
  const words = normalisePersonName(name).split(' ').filter(Boolean);
  if (words.length === 0) return undefined;
  const natural = wordsSource(words);
  if (words.length < 2) return natural;
  const reversed = `${wordsSource([words[words.length - 1]])},\\s*${wordsSource(words.slice(0, -1))}`;
  return `${natural}|${reversed}`;
}
