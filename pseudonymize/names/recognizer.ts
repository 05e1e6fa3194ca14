import nlp from 'compromise';
import type { Candidate } from '../candidates';
import { coupleCandidates, isKnownOrdinaryWord, nameCandidate } from './classify';
import { HONORIFICS, NOT_A_SIGNATURE, STREET_SUFFIXES } from './vocabulary';

interface Term {
  text: string;
  tags: string[];
  offset: { start: number; length: number };
}

/**
 * People and organisations as compromise's recognizer sees them, cleaned of what it takes along: words
 * before the name ("brother Mark Klein", "Thanks Samantha"), titles, places ("Houston"), street names
 * ("Harbor Dr"), acronyms ("JFK"), citations ("Cal. Civ."), case names ("Smith v. Jones") and products
 * after a model year ("2019 Honda Civic"). Only capitalised words are taken: lower-case names are left to
 * the rules that know more about their context.
 */
export function findNamesByRecognizer(text: string): Candidate[] {
  const doc = nlp(text);
  const found: Candidate[] = [];
  const views: Array<['PERSON' | 'ORG', unknown]> = [
    ['PERSON', doc.people().json({ offset: true, terms: { offset: true } })],
    ['ORG', doc.organizations().json({ offset: true, terms: { offset: true } })],
  ];
  for (const [kind, matches] of views) {
    for (const match of matches as Array<{ terms: Term[] }>) {
      for (const run of nameRuns(text, match.terms)) {
        const start = run[0].offset.start;
        const last = run[run.length - 1];
        const end = last.offset.start + last.offset.length;
        if (!plausible(text, run, start, kind)) continue;
        const couple = coupleCandidates(text, start, end, 3);
        if (couple) {
          found.push(...couple);
          continue;
        }
        const candidate = nameCandidate(text, start, end, kind, 3);
        if (candidate) found.push(candidate);
      }
    }
  }
  return found;
}

/**
 * Runs of capitalised terms that are not titles or interjections. Punctuation between two terms ends a
 * run: "Greenleaf Market - Dana Whitfield" is a shop and a person, not one name.
 */
function nameRuns(text: string, terms: Term[]): Term[][] {
  const runs: Term[][] = [[]];
  let previousEnd: number | null = null;
  for (const term of terms) {
    const between = previousEnd === null ? '' : text.slice(previousEnd, term.offset.start);
    previousEnd = term.offset.start + term.offset.length;
    if (/[^\s.&'’]/u.test(between) && runs[runs.length - 1].length) runs.push([]);
    const word = term.text.replace(/[^\p{L}&'’.-]/gu, '');
    const usable =
      /^\p{Lu}/u.test(word) &&
      !term.tags.includes('Honorific') &&
      !term.tags.includes('Expression') &&
      !HONORIFICS.has(word.replace(/\.$/, '').toLowerCase()) &&
      !NOT_A_SIGNATURE.has(word.toLowerCase());
    if (usable || (term.text === '&' && runs[runs.length - 1].length)) runs[runs.length - 1].push(term);
    else if (runs[runs.length - 1].length) runs.push([]);
  }
  return runs.filter((run) => run.length > 0);
}

function plausible(text: string, run: Term[], start: number, kind: 'PERSON' | 'ORG'): boolean {
  const last = run[run.length - 1];
  const end = last.offset.start + last.offset.length;
  // each word as written, with the full stop after it if there is one ("Cal." in "Cal. Civ. Code")
  const words = run.map((term) => {
    const written = text.slice(term.offset.start, term.offset.start + term.offset.length);
    const next = text[term.offset.start + term.offset.length];
    return written.replace(/[^\p{L}.&'’-]/gu, '') + (next === '.' && !written.endsWith('.') ? '.' : '');
  });
  const after = text.slice(end, end + 40);
  const before = text.slice(Math.max(0, start - 40), start);
  // a street ("Harbor Dr", "Foster Rd"), a case name ("Smith v. Jones")
  const nextWord = /^\s+(\p{L}+)/u.exec(after)?.[1];
  if (nextWord && STREET_SUFFIXES.has(nextWord.toLowerCase()) && /^\p{Lu}/u.test(nextWord)) return false;
  if (/^\s+v(?:s)?\.?\s+\p{Lu}/u.test(after) || /\p{Lu}\p{L}*\s+v(?:s)?\.?\s+$/u.test(before)) return false;
  const places = ['Place', 'City', 'Country', 'Region', 'Address'];
  if (run.every((term) => term.tags.some((tag) => places.includes(tag)) && !term.tags.includes('Person')))
    return false;
  if (words.length === 1 && /^\p{Lu}{2,5}$/u.test(words[0])) return false;
  if (words.length > 1 && words.every((word) => /^\p{L}{1,4}\.$/u.test(word))) return false;
  if (/^(?:sir|madam|ma'am)$/i.test(words.join(' '))) return false;
  // one word that is also an ordinary word ("Will", "Rich") is left to rules that see its context
  if (words.length === 1 && isKnownOrdinaryWord(words[0].replace(/\.$/, ''))) return false;
  // a product after its model year: "2019 Honda Civic", "2026 Tesla Model Y"
  if (
    (kind === 'ORG' || words.length === 1) &&
    /(?:19|20)\d{2}\s+$/.test(before) &&
    /^\s+\p{Lu}/u.test(after)
  ) {
    return false;
  }
  return true;
}
