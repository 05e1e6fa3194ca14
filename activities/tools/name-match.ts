/**
 * How alike two names are, and how an intake's name matches a directory name (exact once titles, legal
 * forms, departments and "Last, First" are set aside; a nickname; initials; a similar spelling). Here, not
 * in pg_trgm: the directory is small (read whole per call), PGlite would need the extension, and one
 * TypeScript function answers the same on PGlite and PostgreSQL and is unit-testable.
 */
import type { NameMatchKind } from '../../agents';
import { normalizeName } from '../../db';
import { NICKNAMES } from './nicknames';
import {
  TITLES,
  AMBIGUOUS_TITLES,
  SUFFIXES,
  LEGAL_FORMS,
  PARTICLES,
  DEPARTMENTS,
  DEPARTMENT_MARKERS,
  DEPARTMENT_WORDS,
  isDepartment,
  CONNECTIVES,
  ROLE_MAILBOXES,
} from './name-words';

/** A score at or above this is a potential conflict; tuned so 'Acme Bakery' does not hit 'Acme Freight Inc.'. */
export const CONFLICT_THRESHOLD = 0.8;

/** How a written name matched a directory name, and how sure the match is (1 for the same name). */
export interface NameMatch {
  kind: NameMatchKind;
  score: number;
}

/**
 * A nickname is nearly certain; a middle name on one side only or a one-letter typo a little less; an initial
 * least ('D. Whitaker' may be Diane), still above CONFLICT_THRESHOLD so a reviewer sees it.
 */
const EXACT: NameMatch = { kind: 'exact', score: 1 };
const NICKNAME: NameMatch = { kind: 'nickname', score: 0.95 };
/** A spaceless form of an organisation's first two words, as in its e-mail domain. */
const FIRST_WORDS: NameMatch = { kind: 'fuzzy', score: 0.9 };
const MIDDLE_NAME: NameMatch = { kind: 'initials', score: 0.9 };
const FIRST_INITIAL: NameMatch = { kind: 'initials', score: 0.85 };
const TYPO_SCORE = 0.9;
/** Compact forms ('acmefreight', 'dwhitaker') shorter than this are too likely to collide. */
const MIN_COMPACT_LENGTH = 6;
/** A one-edit difference counts as a typo only in words this long ('Mark'/'Mary' are different names). */
const MIN_TYPO_WORD_LENGTH = 5;

/** Between parts of a name: , ; | en and em dashes, and a hyphen set off by spaces (not 'Smith-Jones'). */
const SEPARATOR = /\s*([,;|–—]|\s-\s)\s*/;

/** Each normalised first name or short form → the formal names it stands for; built once at load. */
const FORMAL_NAMES = new Map<string, Set<string>>();
for (const [formal, shortForms] of Object.entries(NICKNAMES)) {
  const key = normalizeName(formal);
  for (const name of [formal, ...shortForms].map(normalizeName)) {
    const formals = FORMAL_NAMES.get(name) ?? new Set<string>();
    formals.add(key);
    FORMAL_NAMES.set(name, formals);
  }
}

/**
 * 1 only for the same normalised name. Otherwise the better of two views, capped below 1: token Jaccard
 * (word order: 'gonzalez maria' ~ 'maria gonzalez') and pg_trgm-style trigram similarity (spelling:
 * 'northwind logistic' ~ 'northwind logistics'). Rounded to two decimals so results read cleanly.
 */
export function nameSimilarity(a: string, b: string): number {
  if (!a || !b) return 0;
  if (a === b) return 1;
  return similarity(setsOf(a), setsOf(b));
}

interface NameSets {
  words: Set<string>;
  trigrams: Set<string>;
}
const setsOf = (name: string): NameSets => ({ words: new Set(name.split(' ')), trigrams: trigrams(name) });

/** nameSimilarity for two different names, from their sets (matchNames keeps them with each parsed name). */
function similarity(a: NameSets, b: NameSets): number {
  const score = Math.max(jaccard(a.words, b.words), jaccard(a.trigrams, b.trigrams));
  return Math.min(0.99, Math.round(score * 100) / 100);
}

/** A name with titles and department words removed, normalised, for comparisons and dedupe. */
export function comparableName(name: string): string {
  return parse(name).text;
}

/**
 * How a name written in an intake matches a directory name (both as written, not normalised), or null.
 * `kind` of the directory row when known: a person's first name may be a nickname or an initial; an
 * organisation may sign as one of its departments.
 */
export function matchNames(
  written: string,
  directoryName: string,
  kind?: 'person' | 'organization' | null,
): NameMatch | null {
  const a = parse(written);
  const b = parse(directoryName);
  // A department alone ('Legal Department') names no one; a bare surname fails the person rules below.
  if (!a.text || !b.text || a.generic || b.generic) return null;
  if (a.text === b.text) return EXACT;
  const person = kind !== 'organization';
  return (
    compactMatch(a, b, person) ??
    compactMatch(b, a, person) ??
    (person ? personMatch(a.tokens, b.tokens) : null) ??
    fuzzyMatch(a, b)
  );
}

/** The words of an e-mail local part or domain label ('dan_whitaker' → 'dan whitaker'); null if none. */
export function nameFromEmailPart(part: string): string | null {
  const local = part.toLowerCase().split('@')[0].split('+')[0]; // 'dan+intake@…': the tag is not a name
  const parts = local
    .split(EMAIL_SEPARATOR)
    .map((p) => p.replace(NON_LETTERS, ''))
    .filter(Boolean);
  if (ROLE_MAILBOXES.has(parts.join(''))) return null;
  const named = parts.filter((p) => p.length >= 2 && !ROLE_MAILBOXES.has(p));
  // 'dwhitaker' or 'd.whitaker' cannot be split reliably; matchNames compares such compact forms whole.
  return parts.length >= 2 && named.length >= 2 ? parts.join(' ') : null;
}

const EMAIL_SEPARATOR = /[._-]+/;
const NON_LETTERS = /[^\p{L}]+/gu;

interface Parsed extends NameSets {
  text: string;
  tokens: readonly string[];
  compact: string;
  /** Nothing but department words: 'Legal Department', 'Claims'. */
  generic: boolean;
}

/** ~100 names × ~200 rows per intake: each name parsed once, not per pair. Cleared when full (bounded). */
const parsedNames = new Map<string, Parsed>();
const PARSED_CACHE_SIZE = 2048;

function parse(name: string): Parsed {
  const cached = parsedNames.get(name);
  if (cached) return cached;
  const tokens = trimEnds(orderedTokens(name));
  const text = tokens.join(' ');
  const generic = tokens.length > 0 && isDepartment(tokens);
  const parsed: Parsed = { text, tokens, compact: tokens.join(''), generic, ...setsOf(text) };
  if (parsedNames.size >= PARSED_CACHE_SIZE) parsedNames.clear();
  parsedNames.set(name, parsed);
  return parsed;
}

const tokensOf = (text: string): string[] => normalizeName(text).split(' ').filter(Boolean);

/**
 * The words in order: a legal form after a comma rejoins the name ('Northwind, L.L.C.'), suffix and
 * department parts at either end go ('…, Jr.', 'Claims Dept., …'), "Last, First" (short parts) turns round.
 */
function orderedTokens(name: string): string[] {
  const pieces = name.split(SEPARATOR);
  const parts: { tokens: string[]; afterComma: boolean }[] = [];
  for (let i = 0; i < pieces.length; i += 2) {
    const tokens = tokensOf(pieces[i]);
    const previous = parts[parts.length - 1];
    if (!tokens.length) continue;
    if (!previous) parts.push({ tokens, afterComma: false });
    else if (stripLegalForms(['x', ...tokens]).length === 1) previous.tokens.push(...tokens);
    else if (!tokens.every((t) => SUFFIXES.has(t))) parts.push({ tokens, afterComma: pieces[i - 1] === ',' });
  }
  while (parts.length > 1 && isDepartment(parts[0].tokens)) parts.shift();
  while (parts.length > 1 && isDepartment(parts[parts.length - 1].tokens)) parts.pop();
  const [last, first] = parts;
  if (parts.length === 2 && first.afterComma && last.tokens.length <= 3 && first.tokens.length <= 3) {
    return [...first.tokens, ...last.tokens];
  }
  return parts.flatMap((p) => p.tokens);
}

/** Titles, suffixes, legal forms and departments off both ends, until none is left; never to nothing. */
function trimEnds(tokens: string[]): string[] {
  for (;;) {
    const next = stripDepartments(stripLegalForms(stripPersonal(tokens)));
    if (next.length === tokens.length) return next;
    tokens = next;
  }
}

/** Titles before the name and suffixes after it. */
function stripPersonal(tokens: string[]): string[] {
  let [start, end] = [0, tokens.length];
  const title = (t: string) => TITLES.has(t) || (AMBIGUOUS_TITLES.has(t) && end - start > 2);
  while (end - start > 1 && title(tokens[start])) start++;
  while (end - start > 1 && SUFFIXES.has(tokens[end - 1])) end--;
  return tokens.slice(start, end);
}

function stripLegalForms(tokens: string[]): string[] {
  for (;;) {
    const form = LEGAL_FORMS.find((f) => tokens.length > f.length && endsWith(tokens, f));
    if (!form || (form.length === 1 && PARTICLES.has(tokens[tokens.length - 2]))) return tokens;
    tokens = tokens.slice(0, -form.length);
  }
}

/** A department at the start ('Legal Department of …', 'Accounts Payable …') or end ('… Claims'). */
function stripDepartments(tokens: string[]): string[] {
  const rest = tokens.slice(leadingDepartmentLength(tokens));
  for (;;) {
    const phrase = DEPARTMENTS.find((p) => endsWith(rest, p));
    if (!phrase) break;
    let end = rest.length - phrase.length;
    while (end > 0 && CONNECTIVES.has(rest[end - 1])) end--; // 'Acme Legal and Compliance'
    if (isDepartment(rest.slice(0, end))) break;
    rest.length = end;
  }
  return isDepartment(rest) ? tokens : rest;
}

/**
 * Leading department words: a phrase ('Accounts Payable') or a marker with a qualifier ('Legal Dept',
 * 'Departamento Jurídico'), then connectives. 'Legal & General', 'Department of Justice' are names.
 */
function leadingDepartmentLength(tokens: readonly string[]): number {
  let end = DEPARTMENTS.find((p) => p.length > 1 && p.every((w, i) => tokens[i] === w))?.length ?? 0;
  for (let i = 0; i < tokens.length && DEPARTMENT_WORDS.has(tokens[i]); i++) {
    if (DEPARTMENT_MARKERS.has(tokens[i])) end = i + 1;
  }
  const qualifier = (t: string) =>
    DEPARTMENT_WORDS.has(t) && !DEPARTMENT_MARKERS.has(t) && !CONNECTIVES.has(t);
  if (end > 0 && end < tokens.length && qualifier(tokens[end])) end++;
  if (!tokens.slice(0, end).some(qualifier)) return 0;
  while (end < tokens.length && CONNECTIVES.has(tokens[end])) end++;
  return end;
}

function endsWith(tokens: readonly string[], phrase: readonly string[]): boolean {
  const offset = tokens.length - phrase.length;
  return offset >= 0 && phrase.every((w, i) => tokens[offset + i] === w);
}

/** A spaceless form ('acmefreight', 'danielwhitaker', 'dwhitaker') against a name of several words. */
function compactMatch(single: Parsed, several: Parsed, person: boolean): NameMatch | null {
  if (single.tokens.length !== 1 || several.tokens.length < 2 || single.compact.length < MIN_COMPACT_LENGTH) {
    return null;
  }
  if (single.compact === several.compact) return EXACT;
  // A domain often keeps the first words only ('pacificcrest' for Pacific Crest Insurance Co.)
  if (several.tokens.length > 2 && single.compact === several.tokens.slice(0, 2).join('')) return FIRST_WORDS;
  if (!person) return null;
  const first = several.tokens[0];
  const last = several.tokens[several.tokens.length - 1];
  if (single.compact === first + last) return MIDDLE_NAME;
  return single.compact === first[0] + last ? FIRST_INITIAL : null;
}

/** First and last name, for two names of at least two words with the same last name; middle names aside. */
function personMatch(a: readonly string[], b: readonly string[]): NameMatch | null {
  const last = a[a.length - 1];
  if (a.length < 2 || b.length < 2 || last.length < 2 || last !== b[b.length - 1]) return null;
  const [x, y] = [a[0], b[0]];
  if (x === y) return middlesAgree(a.slice(1, -1), b.slice(1, -1)) ? MIDDLE_NAME : null;
  if ((x.length === 1 || y.length === 1) && x[0] === y[0]) return FIRST_INITIAL;
  return nicknames(x, y) ? NICKNAME : null;
}

/** Middle names on one side only, or the same ones in full on one side and as initials on the other. */
function middlesAgree(a: readonly string[], b: readonly string[]): boolean {
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  const same = (x: string, y: string) => x === y || ((x.length === 1 || y.length === 1) && x[0] === y[0]);
  return short.every((x) => long.some((y) => same(x, y)));
}

/** Forms of one formal name: 'Bob' ~ 'Robert', 'Bobby' ~ 'Rob'; not 'Christopher' ~ 'Christine' ('Chris'). */
function nicknames(x: string, y: string): boolean {
  const formals = FORMAL_NAMES.get(x);
  const others = FORMAL_NAMES.get(y);
  return !!formals && !!others && [...formals].some((f) => others.has(f));
}

/** The similarity score, or a single one-edit typo in a long word when every other word is the same. */
function fuzzyMatch(a: Parsed, b: Parsed): NameMatch | null {
  if (oneTypo(a.tokens, b.tokens)) return { kind: 'fuzzy', score: Math.max(TYPO_SCORE, similarityOf(a, b)) };
  const score = similarityOf(a, b);
  return score >= CONFLICT_THRESHOLD ? { kind: 'fuzzy', score } : null;
}

/** nameSimilarity from cached sets; skips pairs whose set sizes alone fall short (Jaccard ≤ min/max). */
function similarityOf(a: Parsed, b: Parsed): number {
  const bound = (x: Set<string>, y: Set<string>) => Math.min(x.size, y.size) / Math.max(x.size, y.size);
  const reachable = CONFLICT_THRESHOLD - 0.005; // scores are rounded to two decimals
  if (bound(a.words, b.words) < reachable && bound(a.trigrams, b.trigrams) < reachable) return 0;
  return similarity(a, b);
}

function oneTypo(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  let typo = -1;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) continue;
    if (typo >= 0) return false;
    typo = i;
  }
  if (typo < 0) return false;
  const [x, y] = [a[typo], b[typo]];
  return Math.min(x.length, y.length) >= MIN_TYPO_WORD_LENGTH && withinOneEdit(x, y) && !otherEnding(x, y);
}

/** 'Maria'/'Mario', 'Daniel'/'Daniela': a changed or added final vowel makes another name, not a typo. */
function otherEnding(x: string, y: string): boolean {
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  const stem = long.slice(0, -1);
  return (
    FINAL_VOWEL.test(long) && (short === stem || (short.slice(0, -1) === stem && FINAL_VOWEL.test(short)))
  );
}
const FINAL_VOWEL = /[aeiou]$/;

/** One insertion, deletion, substitution or swap ('Whittaker', 'Danial', 'Danile'); no package: one pass. */
function withinOneEdit(x: string, y: string): boolean {
  if (Math.abs(x.length - y.length) > 1) return false;
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  if (x.length === y.length) {
    const swapped = x[i] === y[i + 1] && x[i + 1] === y[i] && x.slice(i + 2) === y.slice(i + 2);
    return swapped || x.slice(i + 1) === y.slice(i + 1);
  }
  return x.length > y.length ? x.slice(i + 1) === y.slice(i) : x.slice(i) === y.slice(i + 1);
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
