import type { CountryCode } from 'libphonenumber-js/max';
import { resolveOverlaps, Tier, type Candidate } from './candidates';
import { parseToken, PII_CATEGORIES, tokenPattern, type PiiCategory } from './categories';
import { findAccounts } from './detect/accounts';
import { findAddresses } from './detect/addresses';
import { findCaseNumbers } from './detect/cases';
import { findDatesOfBirth } from './detect/dates';
import { findEmails } from './detect/emails';
import { findExtraPatterns } from './detect/extra';
import { findIds } from './detect/ids';
import { findPhones } from './detect/phones';
import { emptyMapping, MappingBuilder, type PseudonymMapping } from './mapping';
import { findDirectNames, withKnownNames, type DirectoryEntry, type KnownName } from './names';
import { normaliseValue } from './normalise';
import type { ExtraPattern } from './settings';
import { matchAll } from './text';

export interface PseudonymizeContext {
  /** the mapping of earlier texts of the same workflow, to extend (it is not changed) */
  mapping?: PseudonymMapping;
  /** the firm's client directory: names matched in any letter case, as whole words */
  directoryNames?: readonly DirectoryEntry[];
  /** the categories to replace; all when absent */
  categories?: Iterable<PiiCategory>;
  /** patterns of this workflow type, from config */
  extraPatterns?: readonly ExtraPattern[];
  /** the country of phone numbers written without a country code; US when absent */
  defaultCountry?: CountryCode;
}

/** Where a token replaced a span of the input (offsets into the input; no value, so it is log-safe). */
export interface Replacement {
  start: number;
  end: number;
  token: string;
  category: PiiCategory;
}

export interface PseudonymizeResult {
  text: string;
  mapping: PseudonymMapping;
  replacements: Replacement[];
}

/**
 * Replaces the identifiers in `text` with stable tokens ("[PERSON_1]", "[EMAIL_2]"…) and returns the text,
 * the mapping extended with what it replaced, and where it replaced. Pure: the same text and context give
 * the same result, and nothing is logged.
 */
export function pseudonymize(text: string, context: PseudonymizeContext = {}): PseudonymizeResult {
  return replaceIdentifiers(text, context, findInText(text, context));
}

/** What the detectors find in a text without the mapping: the same in both passes over an intake. */
interface TextFinds {
  fixed: Candidate[];
  /** null when neither PERSON nor ORG is replaced */
  names: Candidate[] | null;
}

function findInText(text: string, context: PseudonymizeContext): TextFinds {
  const enabled = enabledCategories(context);
  return {
    fixed: [
      ...existingTokens(text),
      ...findExtraPatterns(text, context.extraPatterns ?? []),
      ...findEmails(text),
      ...findIds(text),
      ...findAccounts(text),
      ...findPhones(text, context.defaultCountry ?? 'US'),
      ...findCaseNumbers(text),
      ...findDatesOfBirth(text),
      ...findAddresses(text),
    ],
    names:
      enabled.has('PERSON') || enabled.has('ORG')
        ? findDirectNames(text, context.directoryNames ?? [])
        : null,
  };
}

function enabledCategories(context: PseudonymizeContext): Set<PiiCategory> {
  return new Set<PiiCategory>(context.categories ?? PII_CATEGORIES);
}

function replaceIdentifiers(
  text: string,
  context: PseudonymizeContext,
  finds: TextFinds,
): PseudonymizeResult {
  const enabled = enabledCategories(context);
  const builder = new MappingBuilder(context.mapping);
  const candidates: Candidate[] = [...finds.fixed];
  if (finds.names) {
    const known = knownNames(context.mapping).filter((name) => enabled.has(name.category));
    candidates.push(...withKnownNames(text, finds.names, known));
  }
  const chosen = resolveOverlaps(
    candidates.filter((candidate) => candidate.keep || enabled.has(candidate.category)),
  );

  // tokens are numbered in the order their values first appear; a variant ("Ms. Lopez") takes the token
  // of the name it varies, created with that name's value if the name itself comes later
  const tokens = new Map<Candidate, string>();
  for (const candidate of chosen) {
    if (candidate.keep) continue;
    const written = text.slice(candidate.start, candidate.end);
    if (candidate.aliasOf) {
      const { category, key, value } = candidate.aliasOf;
      const token = builder.lookup(category, key) ?? builder.tokenFor(category, key, value, value);
      builder.alias(token, category, normaliseValue(category, written), written);
      tokens.set(candidate, token);
    } else {
      const key = candidate.key ?? normaliseValue(candidate.category, written);
      tokens.set(candidate, builder.tokenFor(candidate.category, key, candidate.value ?? written, written));
    }
  }

  let output = '';
  let at = 0;
  const replacements: Replacement[] = [];
  for (const candidate of chosen) {
    const token = tokens.get(candidate);
    if (!token) continue;
    output += text.slice(at, candidate.start) + token;
    at = candidate.end;
    replacements.push({ start: candidate.start, end: candidate.end, token, category: candidate.category });
  }
  output += text.slice(at);
  return { text: output, mapping: builder.build(), replacements };
}

/**
 * The texts of one intake (sender, subject, body…) under one mapping. Two passes, so that a name the body
 * makes known (a signature) is also replaced where an earlier text wrote it in a form found only by
 * knowing it ("kowalczyk" in the subject); the second pass keeps the first pass's tokens.
 */
export function pseudonymizeTexts(
  texts: readonly string[],
  context: PseudonymizeContext = {},
): { texts: string[]; mapping: PseudonymMapping; replacements: Replacement[][] } {
  let mapping = context.mapping ?? emptyMapping();
  const finds = texts.map((text) => findInText(text, context));
  texts.forEach((text, i) => {
    mapping = replaceIdentifiers(text, { ...context, mapping }, finds[i]).mapping;
  });
  const results = texts.map((text, i) => replaceIdentifiers(text, { ...context, mapping }, finds[i]));
  for (const result of results) mapping = mergeForms(mapping, result.mapping);
  return {
    texts: results.map((result) => result.text),
    mapping,
    replacements: results.map((result) => result.replacements),
  };
}

/** What the second pass adds: written forms and variant keys under tokens the first pass made. */
function mergeForms(base: PseudonymMapping, next: PseudonymMapping): PseudonymMapping {
  const forms = { ...base.forms };
  for (const [token, list] of Object.entries(next.forms)) {
    forms[token] = [...new Set([...(forms[token] ?? []), ...list])];
  }
  return { tokens: { ...base.tokens, ...next.tokens }, keys: { ...base.keys, ...next.keys }, forms };
}

/** Tokens already in the text stay as they are (a text pseudonymized twice does not change). */
function existingTokens(text: string): Candidate[] {
  return [...matchAll(text, tokenPattern())].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    category: parseToken(match[0])!.category,
    tier: Tier.fixed - 1,
    keep: true,
  }));
}

/** The people and organisations an earlier text of the intake named. */
function knownNames(mapping: PseudonymMapping | undefined): KnownName[] {
  const names: KnownName[] = [];
  for (const [token, value] of Object.entries(mapping?.tokens ?? {})) {
    const category = parseToken(token)?.category;
    if (category === 'PERSON' || category === 'ORG') {
      names.push({ category, key: normaliseValue(category, value), value });
    }
  }
  return names;
}
