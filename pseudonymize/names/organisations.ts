import type { Candidate } from '../candidates';
import { matchAll } from '../text';
import { endsWithAbbreviation, nameCandidate, wordsOf } from './classify';
import { LEGAL_SUFFIXES, NOT_OWN_NAME_WORDS, ORG_WORDS } from './vocabulary';

/**
 * Organisations by their words: a run of capitalised words (joined by spaces, "&" or "of") that holds an
 * organisation word or a legal form ("Valley Fresh Growers Inc.", "Tulsa Tool & Die Inc.", "Bay Mutual
 * Auto", "St. Jude Medical Center") and at least one word of its own ("Medical Center" alone is not a name).
 */
export function findOrganisationsByWords(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of matchAll(text, RUN)) {
    for (const piece of splitAtSentenceEnds(match[0], match.index)) {
      let { start } = piece;
      const { end } = piece;
      // drop words that open a sentence or a phrase rather than the name: "The", "Our", "Re"
      for (;;) {
        const head = /^(\p{L}+)\s+/u.exec(text.slice(start, end));
        if (!head || !LEADING_WORDS.has(head[1].toLowerCase())) break;
        start += head[0].length;
      }
      const words = wordsOf(text.slice(start, end));
      const hasOrgWord = words.some(
        (word) => ORG_WORDS.has(word) || LEGAL_SUFFIXES.has(word.replace(/\./g, '')),
      );
      const hasOwnWord = words.some(
        (word) =>
          !ORG_WORDS.has(word) &&
          !LEGAL_SUFFIXES.has(word.replace(/\./g, '')) &&
          !NOT_OWN_NAME_WORDS.has(word) &&
          word !== '&',
      );
      if (!hasOrgWord || !hasOwnWord) continue;
      const candidate = nameCandidate(text, start, end, 'ORG', 2);
      if (candidate) found.push(candidate);
    }
  }
  return found;
}

const TOKEN = "\\p{Lu}[\\p{L}\\p{N}'’-]*\\.?";
const RUN = new RegExp(
  `(?<![\\p{L}\\p{N}])${TOKEN}(?:(?:[ \\t]+|[ \\t]*&[ \\t]*|[ \\t]+of[ \\t]+)${TOKEN})*`,
  'gu',
);

const LEADING_WORDS = new Set(
  'the a an our my your their his her its at from re dear hi hello to for with by in on and or but if when thanks contact'.split(
    ' ',
  ),
);

/** A run cut after a word whose full stop ends a sentence ("Harbor Dental Group. Our landlord"). */
function splitAtSentenceEnds(run: string, offset: number): Array<{ start: number; end: number }> {
  const pieces: Array<{ start: number; end: number }> = [];
  let start = 0;
  for (const word of run.matchAll(/\S+/g)) {
    const end = word.index! + word[0].length;
    if (word[0].endsWith('.') && !endsWithAbbreviation(word[0]) && end < run.length) {
      pieces.push({ start: offset + start, end: offset + end });
      start = end + 1;
      while (start < run.length && /\s/.test(run[start])) start++;
    }
  }
  pieces.push({ start: offset + start, end: offset + run.length });
  return pieces;
}
