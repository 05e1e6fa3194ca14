import { Tier, matchesAs, type Candidate } from '../candidates';
import { findKeyed, REFERENCE, type KeyedRule } from './keyed';

/**
 * National and personal identity numbers (category ID): social security numbers, alien registration
 * numbers, passports, driver's licences, SEVIS ids, medical record numbers, UK National Insurance numbers.
 */
export function findIds(text: string): Candidate[] {
  return [...findKeyed(text, RULES), ...matchesAs(text, SHAPES, 'ID', Tier.keyed)];
}

const SSN_DIGITS = '\\d{3}(?<separator>[- ]?)\\d{2}\\k<separator>\\d{4}(?![\\d-])';

const RULES: KeyedRule[] = [
  {
    category: 'ID',
    keywords: ['ssn', 'ss#', 's.s.n.', 'social security', 'social security number', 'itin', 'tin', 'sin'],
    value: SSN_DIGITS,
  },
  {
    // "SSN (last 4): 4821", "last four of my SSN: 4821"
    category: 'ID',
    keywords: [
      'ssn (last 4)',
      'ssn last 4',
      'ssn (last four)',
      'last 4 of ssn',
      'last four of my ssn',
      'last 4 of my ssn',
    ],
    value: '\\d{4}(?![\\d-])',
  },
  {
    category: 'ID',
    keywords: [
      'a-number',
      'a number',
      'a#',
      'a #',
      'alien number',
      'alien registration number',
      'uscis number',
    ],
    value: 'A?[- ]?\\d{3}[- ]?\\d{3}[- ]?\\d{3}(?![\\d-])',
  },
  {
    category: 'ID',
    keywords: ['passport', 'passport no'],
    value: '[A-Z0-9]{6,10}(?![\\p{L}\\p{N}])',
    needsDigit: true,
  },
  {
    category: 'ID',
    keywords: [
      "driver's license",
      'drivers license',
      "driver's licence",
      'driver license',
      'dl',
      'cdl',
      'licencia',
    ],
    value: REFERENCE,
    needsDigit: true,
  },
  { category: 'ID', keywords: ['sevis', 'sevis id'], value: 'N?\\d{10}(?!\\d)' },
  {
    category: 'ID',
    keywords: ['medicare number', 'medicare id', 'medicare card', 'mbi', 'medicaid number', 'medicaid id'],
    value: REFERENCE,
    needsDigit: true,
    minLength: 8,
  },
  {
    category: 'ID',
    keywords: [
      'mrn',
      'medical record',
      'medical record number',
      'medical record no',
      'record number',
      'patient id',
      // Spanish clinical documents: número de historia (clínica), NHC.
      'número de historia',
      'numero de historia',
      'historia clínica',
      'nhc',
    ],
    value: REFERENCE,
    needsDigit: true,
    minLength: 5,
  },
  {
    category: 'ID',
    keywords: ['national id', 'national insurance', 'ni number', 'dni', 'nie', 'curp', 'cpf', 'id card'],
    value: REFERENCE,
    needsDigit: true,
  },
];

const SHAPES: RegExp[] = [
  // 123-45-6789, never issued with area 000, 666 or 9xx, group 00 or serial 0000
  /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g,
  // alien registration number written with its letter: A 212-345-678, A212345678
  /(?<![\p{L}\p{N}])A[- ]?\d{3}-?\d{3}-?\d{3}(?![\d-])/gu,
  // a social security number masked but for its last four: xxx-xx-4471
  /(?<![\p{L}\p{N}])[xX*]{3}-[xX*]{2}-\d{4}(?![\d-])/gu,
  // UK National Insurance number: AB 12 34 56 C
  /(?<![\p{L}\p{N}])[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D](?![\p{L}\p{N}])/gu,
];
