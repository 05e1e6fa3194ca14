import { Tier, matchesAs, type Candidate } from '../candidates';
import { matchAll } from '../text';
import { findKeyed, REFERENCE, type KeyedRule } from './keyed';

/**
 * Court, agency and claim references (category CASE): anything that reads as a reference after "Case
 * No.", "cause number", "docket", "claim #", "charge", "receipt", "report", "incident"…, and the shapes of
 * federal ("2:24-cv-01234"), California ("BC712345", "24STCV12345") and USCIS ("IOE0923456781") numbers.
 */
export function findCaseNumbers(text: string): Candidate[] {
  const found = findKeyed(text, RULES);
  // "Jackson County Family Court, No. 24JU-FC00412"
  for (const match of matchAll(text, COURT_NUMBER)) {
    const [start, end] = match.indices![1]!;
    found.push({ start, end, category: 'CASE', tier: Tier.keyed });
  }
  found.push(...matchesAs(text, SHAPES, 'CASE', Tier.shaped));
  return found;
}

const RULES: KeyedRule[] = [
  {
    category: 'CASE',
    keywords: [
      'case',
      'cause',
      'docket',
      'index',
      'claim',
      'charge',
      'complaint',
      'citation',
      'ticket',
      'reference',
      'ref',
      'dispute',
      'receipt',
      'petition',
      'report',
      'incident',
      'expediente',
    ],
    // "2026 CVG 031122": Ohio writes year, case type and number apart
    value: `${REFERENCE}(?: [A-Z]{2,5} \\d{3,})?`,
    needsDigit: true,
    notPhone: true,
  },
];

const COURT_NUMBER = new RegExp(
  `(?<![\\p{L}])(?:Court|Tribunal)\\b[^.\\n]{0,12}?(?:No\\.|Number|#)\\s*((?=[A-Za-z0-9-]{0,12}\\d)${REFERENCE})`,
  'gdu',
);

const SHAPES: RegExp[] = [
  // state courts that write the case type before the year: CV2026-012345 (Arizona), FL2024-001234
  /(?<![\p{L}\p{N}])(?:CV|CR|FC|FL|DR|DV|PB|JV|JD|TR|SC|LT|CC|CI|CP|MH|PR)\d{4}-\d{4,7}(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])\d{1,2}:\d{2}-[a-zA-Z]{2,4}-\d{3,6}(?:-[A-Z]{2,4}){0,3}(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}:-])\d{2}-(?:cv|cr|bk|mc|md|ap|CV|CR|BK|MC)-\d{3,6}(?:-[A-Z]{2,4}){0,3}(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])(?:BC|LC|SC|EC|PC|YC|VC|NC|KC|GC|TC|MC|BS|BP|BD|BQ|LS|NS|BV|SS)\d{6}(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])\d{2}[A-Z]{2,6}\d{4,7}(?![\p{L}\p{N}])/gu,
  /(?<![\p{L}\p{N}])[A-Z]{3}\d{10}(?![\p{L}\p{N}])/gu,
];
