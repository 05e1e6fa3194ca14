import { Tier, type Candidate } from '../candidates';
import type { PiiCategory } from '../categories';
import { escapeRegExp, matchAll } from '../text';

/** A regex source matching `word` in any letter case (the rest of the pattern stays case-sensitive). */
export function anyCase(word: string): string {
  return word.replace(/\p{L}/gu, (letter) => {
    const lower = letter.toLowerCase();
    const upper = letter.toUpperCase();
    return lower === upper ? letter : `[${lower}${upper}]`;
  });
}

/** What may stand between a keyword and its value: "No.", "number", "#", ":", "is". */
const LINK = `(?:\\s*(?:${anyCase('no')}\\.?|${anyCase('number')}|${anyCase('num')}\\.?|${anyCase('nbr')}|#|${anyCase('id')}))?\\.?\\s*[:#]?\\s*(?:(?:${anyCase('is')}|${anyCase('was')}|${anyCase('es')})\\s+)?`;

export interface KeyedRule {
  category: PiiCategory;
  /** keywords in plain text; spaces match any whitespace, case is ignored */
  keywords: readonly string[];
  /** the value's regex source */
  value: string;
  /** true when the value must hold a digit (reference numbers, not words) */
  needsDigit?: boolean;
  /** at least this many letters and digits */
  minLength?: number;
  /** true when a value written like a phone number (213-555-0187) is one ("Phone on file 213-555-0187") */
  notPhone?: boolean;
}

/** Values introduced by a keyword: "Case No. 2024-D-004512", "acct 00190045127", "SSN 123-45-6789". */
export function findKeyed(text: string, rules: readonly KeyedRule[]): Candidate[] {
  const found: Candidate[] = [];
  for (const rule of rules) {
    const keywords = rule.keywords
      .map((keyword) => anyCase(escapeRegExp(keyword)).replace(/ /g, '\\s+'))
      .join('|');
    // a value that must hold a digit says so up front, so a word after the keyword is not taken and the
    // search goes on from the next keyword ("dispute reference is DSP-2026-77812")
    const digitAhead = rule.needsDigit ? '(?=[A-Za-z0-9:/. -]{0,12}\\d)' : '';
    const regex = new RegExp(
      `(?<![\\p{L}\\p{N}])(?:${keywords})(?![\\p{L}])${LINK}(${digitAhead}${rule.value})`,
      'gdu',
    );
    for (const match of matchAll(text, regex)) {
      const [start, end] = match.indices![1]!;
      const value = match[1];
      const alnum = value.replace(/[^\p{L}\p{N}]/gu, '');
      if (rule.needsDigit && !/\d/.test(value)) continue;
      if (alnum.length < (rule.minLength ?? 4)) continue;
      if (DATE_LIKE.test(value)) continue;
      if (rule.notPhone && PHONE_LIKE.test(value)) continue;
      found.push({ start, end, category: rule.category, tier: Tier.keyed });
    }
  }
  return found;
}

const PHONE_LIKE = /^(?:\+?1[-. ]?)?\(?\d{3}\)?[-. ]?\d{3}[-. ]\d{4}$/;
const DATE_LIKE = /^(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}-\d{1,2}-\d{1,2})$/;

/** A reference: letters, digits and inner separators ("PCI-2026-448812", "1:26-cv-04417", "26W-884102"). */
export const REFERENCE = `[A-Za-z0-9](?:[A-Za-z0-9]|[-/:.](?=[A-Za-z0-9])){2,40}`;
