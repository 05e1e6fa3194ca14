import { Tier, type Candidate } from '../candidates';
import { matchAll } from '../text';
import { anyCase } from './keyed';

/**
 * Dates of birth: a date right after "born", "DOB", "date of birth", "birthday" (or before "(DOB)").
 * Any other date (an incident, a termination, a hearing) stays in clear: the limitation check needs it.
 */
export function findDatesOfBirth(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of matchAll(text, AFTER_KEYWORD)) {
    const [start, end] = match.indices![1]!;
    found.push({ start, end, category: 'DOB', tier: Tier.shaped, key: isoDate(match[1]) });
  }
  for (const match of matchAll(text, BEFORE_KEYWORD)) {
    const [start, end] = match.indices![1]!;
    found.push({ start, end, category: 'DOB', tier: Tier.shaped, key: isoDate(match[1]) });
  }
  return found;
}

/**
 * Every other date the text writes, as YYYY-MM-DD, once each in order of appearance: the candidates for when
 * a limitation period began, whatever a model read as the incident date.
 */
export function findEventDates(text: string): string[] {
  const births = findDatesOfBirth(text);
  const dates = new Set<string>();
  for (const match of matchAll(text, ANY_DATE)) {
    const start = match.index;
    const end = start + match[0].length;
    if (births.some((birth) => birth.start < end && start < birth.end)) continue;
    const date = isoDate(match[0]);
    if (date) dates.add(date);
  }
  return [...dates];
}

const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
const MONTH =
  '(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

/** Spanish and Portuguese month names, for "14 de marzo de 1990" / "14 de março de 1990". */
const ROMANCE_MONTHS: Record<string, number> = {
  enero: 1,
  janeiro: 1,
  febrero: 2,
  fevereiro: 2,
  marzo: 3,
  março: 3,
  abril: 4,
  mayo: 5,
  maio: 5,
  junio: 6,
  junho: 6,
  julio: 7,
  julho: 7,
  agosto: 8,
  septiembre: 9,
  setiembre: 9,
  setembro: 9,
  octubre: 10,
  outubro: 10,
  noviembre: 11,
  novembro: 11,
  diciembre: 12,
  dezembro: 12,
};

/** Dates as people write them: 04/22/1981, 3-8-1966, 1994-11-23, March 3, 1979, 3 March 1979, 3 de marzo de 1979. */
export const DATE_SOURCE = [
  '\\d{4}-\\d{1,2}-\\d{1,2}',
  `\\d{1,2}\\s+de\\s+(?:${Object.keys(ROMANCE_MONTHS).join('|')})\\s+(?:de\\s+)?\\d{4}`,
  '\\d{1,2}[/.-]\\d{1,2}[/.-](?:\\d{4}|\\d{2})',
  `${MONTH}\\.?\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}`,
  `\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+\\d{4}`,
]
  .map((source) => `(?:${source})`)
  .join('|');

const KEYWORDS = [
  'born',
  'dob',
  'd.o.b.',
  'd.o.b',
  'date of birth',
  'birth date',
  'birthdate',
  'birthday',
  'fecha de nacimiento',
  'nacido',
  'nacida',
  'nasci',
  'nascido',
  'nascida',
  'data de nascimento',
  'né',
  'née',
  'date de naissance',
]
  .map((word) => anyCase(word).replace(/\./g, '\\.').replace(/ /g, '\\s+'))
  .join('|');

/** Between the keyword and the date: punctuation, a format hint "(MM/DD/YYYY)", "is", "on"; never a new clause. */
const GAP =
  `[ \\t:,\\-–]*(?:\\([^)\\n]{0,25}\\)[ \\t:,\\-–]*)?` +
  // "born in Recife on …", "born at Mercy Hospital, …"
  `(?:(?:in|at|em|en)[ \\t]+\\p{Lu}[\\p{L}'’.-]*(?:[ \\t]+\\p{Lu}[\\p{L}'’.-]*){0,2},?[ \\t]+)?` +
  `(?:(?:is|was|on|in|of|el|le|em|en)[ \\t]+){0,2}`;

const AFTER_KEYWORD = new RegExp(
  `(?<![\\p{L}])(?:${KEYWORDS})(?![\\p{L}])${GAP}(${DATE_SOURCE})(?![\\p{N}])`,
  'gdu',
);
const BEFORE_KEYWORD = new RegExp(
  `(?<![\\p{N}])(${DATE_SOURCE})\\s*\\(\\s*(?:DOB|D\\.O\\.B\\.|[Dd]ate of birth|[Bb]orn)\\s*\\)`,
  'gdu',
);

const ANY_DATE = new RegExp(`(?<![\\p{N}])(?:${DATE_SOURCE})(?![\\p{N}])`, 'giu');

/** A written date as YYYY-MM-DD (numeric dates read month first, as in the US), or undefined. */
export function isoDate(value: string): string | undefined {
  const text = value.trim().replace(/(\d)(?:st|nd|rd|th)\b/g, '$1');
  for (const read of READERS) {
    const parts = read(text);
    if (!parts) continue;
    const [year, month, day] = parts;
    if (!month || month > 12 || !day || day > 31) return undefined;
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  }
  return undefined;
}

type Reader = (text: string) => [number, number | undefined, number] | undefined;

const READERS: Reader[] = [
  (text) => {
    const match = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
    return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
  },
  (text) => {
    const match = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})$/.exec(text);
    if (!match) return undefined;
    const year = Number(match[3]);
    return [year < 100 ? year + (year > 30 ? 1900 : 2000) : year, Number(match[1]), Number(match[2])];
  },
  (text) => {
    const match = /^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$/.exec(text);
    return match ? [Number(match[3]), monthNumber(match[1]), Number(match[2])] : undefined;
  },
  (text) => {
    const match = /^(\d{1,2})\s+de\s+(\p{L}+)\s+(?:de\s+)?(\d{4})$/u.exec(text);
    return match ? [Number(match[3]), ROMANCE_MONTHS[match[2].toLowerCase()], Number(match[1])] : undefined;
  },
  (text) => {
    const match = /^(\d{1,2})\s+(?:of\s+)?([A-Za-z]+)\.?,?\s+(\d{4})$/.exec(text);
    return match ? [Number(match[3]), monthNumber(match[2]), Number(match[1])] : undefined;
  },
];

function monthNumber(name: string): number | undefined {
  const index = MONTHS.findIndex((month) => month.startsWith(name.toLowerCase().slice(0, 3)));
  return index >= 0 ? index + 1 : undefined;
}
