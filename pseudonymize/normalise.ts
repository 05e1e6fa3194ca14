import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { PiiCategory } from './categories';
import { HONORIFICS, LEGAL_SUFFIXES, NAME_SUFFIXES } from './names/vocabulary';
import { fold, withoutAccents } from './text';
import { isoDate } from './detect/dates';

/**
 * The form a value is compared in, so that spellings of one identifier share a token: a person's name
 * without titles and in "first last" order, an organisation's without its legal form, a phone number in
 * E.164, a date of birth as an ISO date, account and case numbers without separators.
 */
export function normaliseValue(category: PiiCategory, value: string): string {
  switch (category) {
    case 'PERSON':
      return normalisePersonName(value);
    case 'ORG':
      return normaliseOrgName(value);
    case 'EMAIL':
      return fold(value);
    case 'PHONE':
      return normalisePhone(value);
    case 'DOB':
      return isoDate(value) ?? fold(value);
    case 'ID':
    case 'ACCOUNT':
    case 'CASE':
      return value.toUpperCase().replace(/[^\p{L}\p{N}]/gu, '');
    case 'ADDRESS':
      return fold(value).replace(/[.,#]/g, ' ').replace(/\s+/g, ' ').trim();
  }
}

/** "Dr. Maria Lopez", "Lopez, Maria" and "maria lopez" all become "maria lopez". */
export function normalisePersonName(value: string): string {
  let name = withoutAccents(value).replace(/["“”]/g, '').trim();
  const comma = /^([^,]+),\s*([^,]+)$/.exec(name);
  if (comma && !NAME_SUFFIXES.has(comma[2].replace(/\./g, '').toLowerCase()))
    name = `${comma[2]} ${comma[1]}`;
  const words = fold(name)
    .replace(/['’]s$/, '')
    .split(' ')
    .map((word) => word.replace(/[.,]+$/g, ''))
    .filter(Boolean);
  while (words.length > 1 && HONORIFICS.has(words[0])) words.shift();
  while (words.length > 1 && NAME_SUFFIXES.has(words[words.length - 1])) words.pop();
  return words.join(' ');
}

/** "Acme Freight Inc.", "ACME FREIGHT, INC" and "Acme Freight" all become "acme freight". */
export function normaliseOrgName(value: string): string {
  const words = fold(withoutAccents(value))
    .replace(/['’]s$/, '')
    .replace(/[,]/g, ' ')
    .split(' ')
    .filter(Boolean);
  while (words.length > 1 && LEGAL_SUFFIXES.has(words[words.length - 1].replace(/\./g, ''))) words.pop();
  if (words[0] === 'the' && words.length > 1) words.shift();
  return words.join(' ').replace(/\.$/, '');
}

function normalisePhone(value: string): string {
  const parsed = parsePhoneNumberFromString(value, { defaultCountry: 'US', extract: true });
  if (!parsed) return value.replace(/[^\d+]/g, '');
  return parsed.ext ? `${parsed.number};ext=${parsed.ext}` : parsed.number;
}
