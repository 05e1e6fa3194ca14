import { Tier, type Candidate } from '../candidates';
import { accentInsensitive, escapeRegExp, matchAll, startsSentence } from '../text';
import { isKnownFirstName, isKnownOrdinaryWord } from './classify';
import { GENERIC_NAME_WORDS, GENERIC_ORG_TAIL, ORG_UNIT_WORDS } from './vocabulary';

/** A name already known for this intake: from its mapping or found in this text. */
export interface KnownName {
  category: 'PERSON' | 'ORG';
  /** normalised: "maria lopez", "acme freight" */
  key: string;
  value: string;
}

/**
 * Which known name each known name is a shorter form of: "Osei" and "E. Delgado" of "Kevin Osei" and
 * "Ernesto Delgado", "Acme Freight" of "Acme Freight Logistics". A shorter form that fits two names
 * ("Whitaker" with Sarah and Daniel Whitaker both known) is nobody's: it stands for itself.
 */
export function canonicalNames(known: readonly KnownName[]): Map<string, KnownName> {
  const names = dedupe(known);
  const canonical = new Map<string, KnownName>();
  for (const name of names) {
    const containers = names.filter(
      (other) => other !== name && other.category === name.category && contains(other, name),
    );
    const largest = containers.filter((c) => !containers.some((d) => d !== c && contains(d, c)));
    canonical.set(idOf(name), largest.length === 1 ? largest[0] : name);
  }
  return canonical;
}

export function idOf(name: { category: string; key: string }): string {
  return `${name.category}:${name.key}`;
}

/**
 * Every other occurrence of a known name, and its variants where they are safe, under the name's token:
 * "Maria Lopez" → "maria lopez", "Lopez, Maria", "Ms. Lopez" (the title stays), "Maria", "the Lopezes";
 * "Acme Freight Inc." → "Acme Freight", "ACME FREIGHT"; "Evergreen Software Inc." → "Evergreen" where it
 * stands alone. A first or last name shared by two known people is no one's variant: it gets its own token.
 * One-word variants must be capitalised unless they are not ordinary words ("brenda", but not "mark"), and
 * a capitalised ordinary word that opens a sentence ("Will you…") is not taken.
 */
export function findKnownNames(text: string, known: readonly KnownName[]): Candidate[] {
  const canonical = canonicalNames(known);
  const names = dedupe(known);
  const heads = names.filter((name) => canonical.get(idOf(name)) === name);
  const owners = partOwners(heads);
  const found: Candidate[] = [];
  const add = (span: { start: number; end: number }, head: KnownName) =>
    found.push({ ...span, category: head.category, tier: Tier.names, rank: 1, aliasOf: head });

  for (const name of names) {
    const head = canonical.get(idOf(name))!;
    const words = name.key.split(' ');
    if (name.category === 'PERSON') {
      for (const span of wholeMatches(text, wordsSource(words))) add(span, head);
      if (words.length > 1) {
        const reversed = `${wordsSource(words.slice(-1))},\\s*${wordsSource(words.slice(0, -1))}`;
        for (const span of wholeMatches(text, reversed)) add(span, head);
      }
    } else {
      const withForm = `${wordsSource(words)}(?:,?\\s+(?:Inc\\.?|LLC|L\\.L\\.C\\.|Corp\\.?|Co\\.?|Ltd\\.?|LLP|LP))?`;
      for (const span of wholeMatches(text, withForm)) add(span, head);
    }
  }

  for (const head of heads) {
    const words = head.key.split(' ');
    if (head.category === 'PERSON') {
      const parts = words.length > 1 ? [words[0], words[words.length - 1]] : words;
      for (const part of new Set(parts)) {
        if (part.replace(/[^\p{L}]/gu, '').length < 2) continue;
        const shared = (owners.get(part)?.size ?? 0) > 1;
        for (const span of singleWord(text, part, part === words[words.length - 1])) {
          if (shared) found.push({ ...span, category: 'PERSON', tier: Tier.names, rank: 1, key: part });
          else add(span, head);
        }
      }
      if (words.length > 1) for (const span of nicknames(text, words[0], owners)) add(span, head);
    } else {
      const base = [...words];
      while (base.length > 2 && GENERIC_ORG_TAIL.has(base[base.length - 1])) base.pop();
      if (base.length < words.length)
        for (const span of wholeMatches(text, wordsSource(base))) add(span, head);
      if (words.length > 1 && distinctive(words[0])) {
        for (const span of singleWord(text, words[0], false)) {
          // "Bluebonnet wants…", "Lakeshore Legal Department", but not "Evergreen Planner"
          const next = /^\s+(\p{Lu}\p{L}*)/u.exec(text.slice(span.end, span.end + 30));
          if (next && !ORG_UNIT_WORDS.has(next[1].toLowerCase())) continue;
          if (!/^\p{Lu}/u.test(text.slice(span.start))) continue;
          add(span, head);
        }
      }
    }
  }
  return found;
}

/** `small` is a shorter form of `big`: its words in order, initials allowed ("e delgado" of "ernesto delgado"). */
function contains(big: KnownName, small: KnownName): boolean {
  const b = big.key.split(' ');
  const s = small.key.split(' ');
  if (small.key === big.key || s.length > b.length) return false;
  if (big.category === 'ORG') {
    const prefix = s.every((word, i) => word === b[i]);
    return prefix && (s.length > 1 || distinctive(s[0]));
  }
  // "Sam" of "Samantha Reid"
  if (s.length === 1 && b.length > 1 && s[0].length >= 3 && b[0].startsWith(s[0]) && isKnownFirstName(s[0]))
    return true;
  let i = 0;
  let fullWords = 0;
  for (const word of s) {
    const initial = /^\p{L}\.?$/u.test(word);
    while (i < b.length && !(b[i] === word || (initial && b[i].startsWith(word[0])))) i++;
    if (i === b.length) return false;
    if (!initial) fullWords++;
    i++;
  }
  return fullWords > 0;
}

function dedupe(known: readonly KnownName[]): KnownName[] {
  const byKey = new Map<string, KnownName>();
  for (const name of known) {
    if (name.key && !byKey.has(idOf(name))) byKey.set(idOf(name), name);
  }
  return [...byKey.values()];
}

/** Which people each first or last name belongs to. */
function partOwners(names: readonly KnownName[]): Map<string, Set<string>> {
  const owners = new Map<string, Set<string>>();
  for (const name of names) {
    if (name.category !== 'PERSON') continue;
    const words = name.key.split(' ');
    for (const part of words.length > 1 ? [words[0], words[words.length - 1]] : words) {
      if (!owners.has(part)) owners.set(part, new Set());
      owners.get(part)!.add(name.key);
    }
  }
  return owners;
}

function wholeMatches(text: string, source: string): Array<{ start: number; end: number }> {
  const regex = new RegExp(`(?<![\\p{L}\\p{N}_])(?:${source})(?![\\p{L}\\p{N}_])`, 'giu');
  return [...matchAll(text, regex)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
  }));
}

/** Occurrences of one word of a name that are safe to take (and its plural, for a family name). */
function singleWord(text: string, word: string, plural: boolean): Array<{ start: number; end: number }> {
  const source = `${accentInsensitive(escapeRegExp(word)).replace(/['’]/g, "['’]")}${plural ? '(?:e?s)?' : ''}`;
  const spans: Array<{ start: number; end: number }> = [];
  const ordinary = isKnownOrdinaryWord(word);
  for (const match of matchAll(
    text,
    new RegExp(`(?<![\\p{L}\\p{N}_'’-])${source}(?![\\p{L}\\p{N}_-])`, 'giu'),
  )) {
    const capitalised = /^\p{Lu}/u.test(match[0]);
    if (!capitalised && ordinary) continue;
    if (capitalised && ordinary && startsSentence(text, match.index)) continue;
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/**
 * Short forms of a first name that are first names themselves ("Meg" for Megan, "Sam" for Samantha), when
 * no other known person's first name starts the same way.
 */
function nicknames(
  text: string,
  first: string,
  owners: Map<string, Set<string>>,
): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  for (const match of matchAll(text, /(?<![\p{L}\p{N}_'’-])\p{Lu}\p{Ll}{2,}(?![\p{L}\p{N}_-])/gu)) {
    const word = match[0].toLowerCase();
    if (word.length >= first.length || !first.startsWith(word) || !isKnownFirstName(word)) continue;
    const others = [...owners.keys()].filter((part) => part !== first && part.startsWith(word));
    if (others.length) continue;
    spans.push({ start: match.index, end: match.index + match[0].length });
  }
  return spans;
}

/** An organisation's first word that can stand for it alone: not generic, not an ordinary word. */
function distinctive(word: string): boolean {
  return word.length >= 4 && !GENERIC_NAME_WORDS.has(word) && !isKnownOrdinaryWord(word);
}

function wordsSource(words: readonly string[]): string {
  return words.map((word) => accentInsensitive(escapeRegExp(word)).replace(/['’]/g, "['’]")).join('\\s+');
}
