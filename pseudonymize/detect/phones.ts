import { findPhoneNumbersInText, type CountryCode, type NumberFound } from 'libphonenumber-js/max';
import { Tier, type Candidate } from '../candidates';
import { matchAll } from '../text';

/**
 * Phone numbers through libphonenumber's text matcher (a port of Google's PhoneNumberMatcher), with the
 * default country for numbers written without a country code.
 *
 * - The matcher treats a run of digits and punctuation as one candidate, so "DOB 03/14/1985. 1-800-555-0199"
 *   hides the phone number behind the date; it runs on each clause separately as well.
 * - Numbers written in international format ("+44 7700 900461") are taken when merely possible: writing a
 *   "+" is a strong sign of a phone number, and a number outside the numbering plan (a typo, a reserved
 *   range) still identifies someone.
 * - For North American numbers the digits must be grouped as such numbers are written (3-3-4, 1-3-3-4, or
 *   unbroken), so a serial number "2104-66-1180" is not taken for one (the Java library's STRICT_GROUPING,
 *   which libphonenumber-js does not port).
 * - Seven-digit local numbers ("555-0142") have no area code and so are not complete numbers for the
 *   library; they are taken when a phone word comes just before them.
 */
export function findPhones(text: string, defaultCountry: CountryCode = 'US'): Candidate[] {
  const found: Candidate[] = [];
  for (const { start, end } of clauses(text)) {
    const clause = text.slice(start, end);
    const matches = withoutStackTraces(() => [
      ...findPhoneNumbersInText(clause, { defaultCountry }),
      // Only what starts with '+' is kept of the second pass: a clause without one is not read again.
      ...(clause.includes('+')
        ? findPhoneNumbersInText(clause, { defaultCountry, extended: true }).filter((match) =>
            clause.slice(match.startsAt, match.endsAt).startsWith('+'),
          )
        : []),
    ]);
    for (const match of matches) {
      const written = clause.slice(match.startsAt, match.endsAt);
      if (!plausiblyGrouped(match, written)) continue;
      found.push({
        start: start + match.startsAt,
        end: start + match.endsAt,
        category: 'PHONE',
        tier: Tier.phone,
        key: match.number.ext ? `${match.number.number};ext=${match.number.ext}` : match.number.number,
      });
    }
  }
  for (const match of matchAll(text, LOCAL_NUMBER)) {
    const start = match.index + match[0].length - match[1].length;
    found.push({ start, end: start + match[1].length, category: 'PHONE', tier: Tier.phone });
  }
  return found;
}

/**
 * Runs `read` with V8 capturing no stack traces. The matcher throws, and catches itself, a ParseError for
 * every run of digits that is not a phone number (a date, a confidence, an amount), and V8 captures a stack
 * trace for each at construction that nobody reads: most of the matcher's time on a model's answer (0.55 →
 * 0.21 ms on a classifier's). An error that did escape the matcher would carry no stack.
 */
function withoutStackTraces<T>(read: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return read();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

const LOCAL_NUMBER =
  /\b(?:phone|tel|telephone|teléfono|telefono|cell|celular|mobile|móvil|home|casa|work|fax|call|text)\b[^\d\n]{0,12}(?<![\d-])(\d{3}[-. ]\d{4})(?![\d-])/giu;

/** Lines, cut again after sentence punctuation followed by a space. */
function clauses(text: string): Array<{ start: number; end: number }> {
  const spans: Array<{ start: number; end: number }> = [];
  // "ext. 4" and "No. 3" do not end a clause
  const boundary = /\n|(?<!\b(?:ext|Ext|EXT|no|No|NO|tel|Tel))[.;,!?](?=\s)/g;
  let start = 0;
  for (let match = boundary.exec(text); match; match = boundary.exec(text)) {
    spans.push({ start, end: match.index });
    start = match.index + 1;
  }
  spans.push({ start, end: text.length });
  return spans.filter((span) => span.end > span.start);
}

/** Digit groups of North American numbers as written: (213) 555-0187, 1-213-555-0187, 2135550187, (213)5550187. */
const NANP_GROUPINGS = new Set(['3-3-4', '1-3-3-4', '10', '11', '3-7', '1-10']);

function plausiblyGrouped(match: NumberFound, written: string): boolean {
  if (match.number.countryCallingCode !== '1') return true;
  const main = written.replace(/\s*(?:ext\.?|extension|x|#)\s*\d+\s*$/i, '');
  const groups = main
    .replace(/^\+/, '')
    .split(/[^\d]+/)
    .filter(Boolean)
    .map((group) => group.length)
    .join('-');
  return NANP_GROUPINGS.has(groups);
}
