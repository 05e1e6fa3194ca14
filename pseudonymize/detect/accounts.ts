import { Tier, type Candidate } from '../candidates';
import { matchAll } from '../text';
import { ibanValid, luhnValid } from './checksums';
import { findKeyed, REFERENCE, type KeyedRule } from './keyed';

/**
 * Bank accounts and payment cards (category ACCOUNT): card numbers anywhere when their Luhn checksum holds,
 * IBANs when their mod-97 checksum holds, account and routing numbers after a keyword, and insurance
 * policy numbers after "policy".
 */
export function findAccounts(text: string): Candidate[] {
  return [...findKeyed(text, RULES), ...findPolicies(text), ...findCards(text), ...findIbans(text)];
}

const ACCOUNT_DIGITS = '\\d(?:\\d|[- ](?=\\d)){5,22}(?![\\d-])';

const RULES: KeyedRule[] = [
  {
    category: 'ACCOUNT',
    keywords: [
      'account',
      'acct',
      'a/c',
      'checking',
      'checking account',
      'savings',
      'savings account',
      'routing',
      'aba',
      'bank account',
      'cuenta',
    ],
    value: ACCOUNT_DIGITS,
    minLength: 6,
  },
  {
    category: 'ACCOUNT',
    keywords: ['card', 'card number', 'credit card', 'debit card'],
    value: ACCOUNT_DIGITS,
    minLength: 12,
  },
  {
    category: 'ACCOUNT',
    keywords: [
      'policy',
      'pol',
      'pol.',
      'policy no',
      'member id',
      'member number',
      'subscriber id',
      'insurance id',
    ],
    value: `(?:[A-Z]{2,4} )?${REFERENCE}`,
    needsDigit: true,
    minLength: 5,
  },
];

/** "My policy with Granite Mutual Insurance is GM-7781204": the number further on in the same clause. */
function findPolicies(text: string): Candidate[] {
  const found: Candidate[] = [];
  const regex = new RegExp(
    `\\b[Pp]olicy\\b[^.\\n;\\d]{1,60}?\\b(?:is|:|#|no\\.|number)\\s*((?:[A-Z]{2,4} )?${REFERENCE})`,
    'gdu',
  );
  for (const match of matchAll(text, regex)) {
    if (!/\d/.test(match[1])) continue;
    const [start, end] = match.indices![1]!;
    found.push({ start, end, category: 'ACCOUNT', tier: Tier.keyed });
  }
  return found;
}

function findCards(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of matchAll(text, /(?<![\d-])[2-6]\d{3}(?:[ -]?\d){9,15}(?![\d-])/g)) {
    const digits = match[0].replace(/\D/g, '');
    if (digits.length < 13 || digits.length > 19 || !luhnValid(digits)) continue;
    found.push({
      start: match.index,
      end: match.index + match[0].length,
      category: 'ACCOUNT',
      tier: Tier.keyed,
    });
  }
  return found;
}

function findIbans(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of matchAll(text, /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}/gu)) {
    // The pattern may run on into the next word; the longest prefix with a valid checksum is the IBAN.
    for (let end = match[0].length; end >= 15; end--) {
      const candidate = match[0].slice(0, end);
      const cutsAGroup = /[A-Z0-9]/.test(match[0][end] ?? '');
      if (candidate.endsWith(' ') || cutsAGroup) continue;
      if (ibanValid(candidate)) {
        found.push({ start: match.index, end: match.index + end, category: 'ACCOUNT', tier: Tier.keyed });
        break;
      }
    }
  }
  return found;
}
