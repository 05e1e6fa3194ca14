import type { Candidate } from '../candidates';
import { findDirectoryNames, type DirectoryEntry } from './directory';
import { findNamesByPhrase } from './phrases';
import { findFormFieldNames } from './forms';
import { findDisplayNames } from './headers';
import { findOrganisationsByWords } from './organisations';
import { findNamesByRecognizer } from './recognizer';
import { findSenderSignatureNames, findSignatureNames } from './signature';
import { canonicalNames, findKnownNames, idOf, type KnownName } from './variants';

export type { DirectoryEntry } from './directory';
export type { KnownName } from './variants';

/**
 * Names of people and organisations the text itself shows: from sender and thread headers, form fields,
 * signature blocks, the client directory, phrases around names, organisation words and compromise's
 * recognizer. They depend on the text and directory alone, so an intake's second pass reuses them.
 */
export function findDirectNames(text: string, directory: readonly DirectoryEntry[]): Candidate[] {
  return [
    ...findDisplayNames(text),
    ...findFormFieldNames(text),
    ...findSignatureNames(text),
    ...findDirectoryNames(text, directory),
    ...findNamesByPhrase(text),
    ...findOrganisationsByWords(text),
    ...findNamesByRecognizer(text),
  ];
}

/**
 * The direct finds with shorter forms tied to their full names, and every other occurrence and safe
 * variant of those names and of the `known` ones (the mapping's).
 */
export function withKnownNames(
  text: string,
  direct: readonly Candidate[],
  knownBefore: readonly KnownName[],
): Candidate[] {
  const known: KnownName[] = [...knownBefore];
  for (const candidate of direct) {
    const value = candidate.value ?? text.slice(candidate.start, candidate.end);
    // the recognizer's one-word finds are not trusted enough to look for elsewhere
    if ((candidate.rank ?? 9) > 2 && !/\s/.test(value.trim())) continue;
    if (candidate.key && (candidate.category === 'PERSON' || candidate.category === 'ORG')) {
      known.push({ category: candidate.category, key: candidate.key, value });
    }
  }
  // a shorter form found on its own ("Mr. Osei") takes the token of the full name ("Kevin Osei")
  const canonical = canonicalNames(known);
  const merged = direct.map((candidate): Candidate => {
    if (candidate.category !== 'PERSON' && candidate.category !== 'ORG') return candidate;
    const head = candidate.key
      ? canonical.get(idOf({ category: candidate.category, key: candidate.key }))
      : undefined;
    return head && head.key !== candidate.key ? { ...candidate, key: undefined, aliasOf: head } : candidate;
  });
  return [...merged, ...findKnownNames(text, known)];
}

/** The people and organisations in the signature of the message's own writer, as written, once each. */
export function senderSignatureNames(text: string): string[] {
  const names = findSenderSignatureNames(text).map((c) => (c.value ?? text.slice(c.start, c.end)).trim());
  return [...new Set(names.filter(Boolean))];
}
