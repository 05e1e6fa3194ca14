import nlp from 'compromise';
import { Tier, type Candidate } from '../candidates';
import { normaliseOrgName, normalisePersonName } from '../normalise';
import {
  COMMON_WORD_NAMES,
  HONORIFICS,
  LEGAL_SUFFIXES,
  NAME_SUFFIXES,
  NOT_A_SIGNATURE,
  NOT_PARTIES,
  ORG_WORDS,
  PUBLIC_BODY_WORDS,
  ROLE_WORDS,
  STREET_SUFFIXES,
  US_STATE_NAMES,
} from './vocabulary';

/** A name's words, lower case, without surrounding punctuation. */
export function wordsOf(name: string): string[] {
  return name
    .toLowerCase()
    .split(/[\s,|/]+/)
    .map((word) => word.replace(/^[^\p{L}\p{N}&]+|[^\p{L}\p{N}&]+$/gu, '').replace(/['’]s$/, ''))
    .filter(Boolean);
}

/** An organisation word or legal form anywhere in the name ("Desert Sun Health Partners", "Duarte & Bell"). */
export function looksLikeOrganization(name: string): boolean {
  const words = wordsOf(name);
  return (
    words.some((word) => ORG_WORDS.has(word) || LEGAL_SUFFIXES.has(word.replace(/\./g, ''))) ||
    (/&/.test(name) && !COUPLE.test(name.trim()))
  );
}

/** A court, an agency, a police force or a law: these stay in clear, the checks need them. */
function isPublicBody(name: string): boolean {
  return wordsOf(name).some((word) => PUBLIC_BODY_WORDS.has(word));
}

/** Words compromise's lexicon knows as first names ("derek", "brenda"), which may stand lower case. */
export function isKnownFirstName(word: string): boolean {
  const tag = lexicon()[word.toLowerCase()];
  const tags = Array.isArray(tag) ? tag : tag ? [tag] : [];
  return tags.some((t) => t === 'FirstName' || t === 'MaleName' || t === 'FemaleName');
}

/** A word the lexicon knows as something other than a name ("rich", "will", "target"). */
export function isKnownOrdinaryWord(word: string): boolean {
  const tag = lexicon()[word.toLowerCase()];
  if (!tag) return COMMON_WORD_NAMES.has(word.toLowerCase());
  const tags = Array.isArray(tag) ? tag : [tag];
  const nameTags = [
    'FirstName',
    'MaleName',
    'FemaleName',
    'LastName',
    'Person',
    'Organization',
    'ProperNoun',
  ];
  return COMMON_WORD_NAMES.has(word.toLowerCase()) || !tags.some((t) => nameTags.includes(t));
}

/** compromise's word list: word → its tags ("derek" → "MaleName"). */
function lexicon(): Record<string, string | string[]> {
  const model = (
    nlp as unknown as { model(): { one: { lexicon: Record<string, string | string[]> } } }
  ).model();
  return model.one.lexicon;
}

/**
 * A name candidate over `text[start, end)`, cleaned: surrounding punctuation, a leading title ("Dr."), a
 * trailing "'s", letters after a name (", DDS") and a sentence's full stop are left out of the span.
 * Undefined when what is left is not a plausible name of the asked kind. A person's name that holds an
 * organisation word ("Edward Hospital") is taken as an organisation.
 */
export function nameCandidate(
  text: string,
  start: number,
  end: number,
  category: 'PERSON' | 'ORG' | 'AUTO',
  rank: number,
): Candidate | undefined {
  end = sentenceEnd(text, start, end);
  ({ start, end } = trimSpan(text, start, end));
  // leading titles and determiners
  for (;;) {
    const head = /^(\p{L}+)\.?\s+/u.exec(text.slice(start, end));
    if (!head) break;
    const word = head[1].toLowerCase();
    if (!HONORIFICS.has(word) && !['the', 'a', 'an'].includes(word)) break;
    start += head[0].length;
  }
  // trailing possessive, letters after a name, a sentence's full stop
  for (;;) {
    const span = text.slice(start, end);
    const possessive = /['’]s$/.exec(span);
    const suffix = /,?\s+(\p{L}+)\.?$/u.exec(span);
    if (possessive) end -= possessive[0].length;
    else if (
      suffix &&
      NAME_SUFFIXES.has(suffix[1].toLowerCase()) &&
      !LEGAL_SUFFIXES.has(suffix[1].toLowerCase())
    )
      end -= suffix[0].length;
    else if (span.endsWith('.') && !endsWithAbbreviation(span)) end -= 1;
    else break;
    ({ start, end } = trimSpan(text, start, end));
  }
  const name = text.slice(start, end);
  // two people: coupleCandidates gives each their own token
  if (COUPLE.test(name)) return undefined;
  const words = wordsOf(name);
  if (words.length === 0 || words.length > 8 || !/\p{L}/u.test(name) || /[\d@<>]/.test(name))
    return undefined;
  const organisation = category === 'ORG' || looksLikeOrganization(name);
  if (isPublicBody(name) || NOT_PARTIES.has(words.join(' '))) return undefined;
  if (words.every((word) => ROLE_WORDS.has(word) || NOT_A_SIGNATURE.has(word) || HONORIFICS.has(word)))
    return undefined;
  if (organisation) {
    // "a New York LLC", "a Delaware corporation": a place and a legal form are not a name
    const base = words.filter((word) => !LEGAL_SUFFIXES.has(word.replace(/\./g, ''))).join(' ');
    if (STATE_NAMES.has(base)) return undefined;
    return { start, end, category: 'ORG', tier: Tier.names, rank, key: normaliseOrgName(name) };
  }
  if (words.length > 5) return undefined;
  if (STREET_SUFFIXES.has(words[words.length - 1]) && words.length > 1) return undefined;
  if (/\sv\.?\s/.test(name)) return undefined;
  return { start, end, category: 'PERSON', tier: Tier.names, rank, key: normalisePersonName(name) };
}

const COUPLE = /^(\p{Lu}\p{Ll}+)\s+(?:&|and)\s+(\p{Lu}\p{Ll}+\s+(\p{Lu}[\p{L}'’-]+))$/u;

/**
 * "Greg & Tanya Wilkins", "Harold and Mae Jenkins": two people sharing a family name, each a candidate of
 * their own ("Greg" stands for Greg Wilkins). Undefined when the span is not written that way.
 */
export function coupleCandidates(
  text: string,
  start: number,
  end: number,
  rank: number,
): Candidate[] | undefined {
  const span = text.slice(start, end);
  const couple = COUPLE.exec(span.trim());
  if (!couple || looksLikeOrganization(couple[0].replace('&', ' '))) return undefined;
  const offset = start + span.indexOf(couple[0]);
  const [, first, second, family] = couple;
  const secondStart = offset + couple[0].length - second.length;
  return [
    {
      start: offset,
      end: offset + first.length,
      category: 'PERSON',
      tier: Tier.names,
      rank,
      key: normalisePersonName(`${first} ${family}`),
      value: `${first} ${family}`,
    },
    {
      start: secondStart,
      end: secondStart + second.length,
      category: 'PERSON',
      tier: Tier.names,
      rank,
      key: normalisePersonName(second),
    },
  ];
}

/**
 * Where a name running over a sentence's end stops: "Apex Roofing & Solar LLC. Paid $18,750" ends after
 * "LLC.", "Lone Star National Bank. Diane thinks" after "Bank". A title, an initial or "St." does not end
 * a sentence ("Dr. Alan Whitmore", "E. Delgado", "St. Jude").
 */
function sentenceEnd(text: string, start: number, end: number): number {
  const span = text.slice(start, end);
  for (const stop of span.matchAll(/([\p{L}]+)\.\s+(?=\p{Lu})/gu)) {
    const word = stop[1];
    const lower = word.toLowerCase();
    if (HONORIFICS.has(lower) || /^\p{Lu}$/u.test(word) || ['st', 'mt', 'ft'].includes(lower)) continue;
    const stopAt = start + stop.index! + word.length;
    return LEGAL_SUFFIXES.has(lower) ? stopAt + 1 : stopAt;
  }
  return end;
}

const STATE_NAMES = new Set(US_STATE_NAMES.map((name) => name.toLowerCase()));

const ABBREVIATIONS = new Set([
  'st',
  'co',
  'inc',
  'corp',
  'ltd',
  'ltda',
  'bros',
  'mt',
  'ft',
  'jr',
  'sr',
  'l.l.c',
  'l.p',
  'p.c',
  'n.a',
]);

export function endsWithAbbreviation(span: string): boolean {
  const last = /([\p{L}.]+)\.$/u.exec(span);
  return (
    !!last &&
    (ABBREVIATIONS.has(last[1].toLowerCase()) ||
      /^(?:\p{L}\.)+\p{L}$/u.test(last[1]) ||
      /^\p{Lu}$/u.test(last[1]))
  );
}

function trimSpan(text: string, start: number, end: number): { start: number; end: number } {
  while (start < end && /[\s,;:()[\]"“”'’|*>-]/.test(text[start])) start++;
  while (end > start && /[\s,;:()[\]"“”|!?*-]/.test(text[end - 1])) end--;
  return { start, end };
}
