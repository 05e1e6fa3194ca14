import { parseToken, PII_CATEGORIES, type PiiCategory } from './categories';
import { findAccounts } from './detect/accounts';
import { findCaseNumbers } from './detect/cases';
import { DATE_SOURCE, isoDate } from './detect/dates';
import { findEmails } from './detect/emails';
import { findIds } from './detect/ids';
import { findPhones } from './detect/phones';
import { mappingKey, type PseudonymMapping } from './mapping';
import { isKnownOrdinaryWord } from './names/classify';
import { normaliseValue } from './normalise';
import { matchAll, wholeWordSource } from './text';

/**
 * The tokens whose values appear in clear in `text` (a model's output, say), sorted: the evidence of a
 * `pii_leak`, safe to log because it holds tokens, never values.
 *
 * A value counts when it appears as a whole word in any letter case, in any form it was written in the
 * intake ("Maria Lopez", "Lopez"). A one-word form that is also an ordinary word ("Mark") counts only
 * capitalised. Phone numbers, identity, account and case numbers and dates of birth also count when written
 * differently ("213.555.0187" for "(213) 555-0187", "April 22, 1981" for "04/22/1981").
 */
export function findLeaks(text: string, mapping: PseudonymMapping): string[] {
  const leaked = new Set<string>();
  for (const [token, value] of Object.entries(mapping.tokens)) {
    const forms = new Set([value, ...(mapping.forms[token] ?? [])]);
    for (const form of forms) {
      if (appearsInClear(text, form)) {
        leaked.add(token);
        break;
      }
    }
  }
  const reformatted = [
    ...findEmails(text),
    ...findPhones(text),
    ...findIds(text),
    ...findAccounts(text),
    ...findCaseNumbers(text),
  ];
  for (const candidate of reformatted) {
    const written = text.slice(candidate.start, candidate.end);
    const key = candidate.key ?? normaliseValue(candidate.category, written);
    const token = lookupAnyCategory(mapping, key, candidate.category);
    if (token) leaked.add(token);
  }
  // a date of birth in any written form: "April 22, 1981" for "04/22/1981"
  for (const match of matchAll(text, new RegExp(DATE_SOURCE, 'g'))) {
    const iso = isoDate(match[0]);
    const token = iso && mapping.keys[mappingKey('DOB', iso)];
    if (token) leaked.add(token);
  }
  return [...leaked].sort(byCategoryAndNumber);
}

function appearsInClear(text: string, form: string): boolean {
  const trimmed = form.trim();
  if (trimmed.replace(/[^\p{L}\p{N}]/gu, '').length < 2) return false;
  const oneWord = !/\s/.test(trimmed);
  const ordinary = oneWord && /^\p{L}+$/u.test(trimmed) && isKnownOrdinaryWord(trimmed);
  const regex = new RegExp(wholeWordSource(trimmed), ordinary ? 'u' : 'iu');
  if (!ordinary) return regex.test(text);
  const capitalised = trimmed[0].toUpperCase() + trimmed.slice(1);
  return new RegExp(wholeWordSource(capitalised), 'u').test(text);
}

/** A number may be filed under another category than the one its new form suggests (an account read as a phone). */
function lookupAnyCategory(
  mapping: PseudonymMapping,
  key: string,
  category: PiiCategory,
): string | undefined {
  const direct = mapping.keys[mappingKey(category, key)];
  if (direct) return direct;
  const digits = key.replace(/\D/g, '');
  if (digits.length < 6) return undefined;
  for (const other of ['ID', 'ACCOUNT', 'CASE', 'PHONE'] as const) {
    const token = mapping.keys[mappingKey(other, other === 'PHONE' ? key : digits)];
    if (token) return token;
  }
  return undefined;
}

/** PERSON before ORG before EMAIL…, then by number: the order of PII_CATEGORIES. */
function byCategoryAndNumber(a: string, b: string): number {
  const x = parseToken(a);
  const y = parseToken(b);
  if (!x || !y) return a.localeCompare(b);
  return PII_CATEGORIES.indexOf(x.category) - PII_CATEGORIES.indexOf(y.category) || x.index - y.index;
}
