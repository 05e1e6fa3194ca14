import { DATE_KINDS } from './keywords';

/** A date the text mentions, what it seems to be, and the sentence it came from. */
export interface DateMention {
  date: string;
  kind: string;
  description: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const MONTH =
  '(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)';

/** Each format: a pattern and how its groups become year, month, day. */
const FORMATS: Array<{ regex: RegExp; parts: (m: RegExpExecArray) => [number, number, number] }> = [
  { regex: /\b(\d{4})-(\d{2})-(\d{2})\b/g, parts: (m) => [+m[1], +m[2], +m[3]] },
  {
    regex: new RegExp(`\\b${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})\\b`, 'gi'),
    parts: (m) => [+m[3], monthNumber(m[1]), +m[2]],
  },
  {
    regex: new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}\\.?,?\\s+(\\d{4})\\b`, 'gi'),
    parts: (m) => [+m[3], monthNumber(m[2]), +m[1]],
  },
  // US order (MM/DD/YYYY) unless the first number cannot be a month.
  {
    regex: /\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g,
    parts: (m) => (+m[1] > 12 ? [+m[3], +m[2], +m[1]] : [+m[3], +m[1], +m[2]]),
  },
];

/** Dates in the text, in order of appearance, each once per kind. */
export function findDates(text: string): DateMention[] {
  const found: Array<DateMention & { index: number }> = [];
  for (const { regex, parts } of FORMATS) {
    for (const match of text.matchAll(regex)) {
      const date = isoDate(...parts(match as RegExpExecArray));
      if (!date) continue;
      const index = match.index ?? 0;
      found.push({
        date,
        index,
        kind: kindNear(text, index, match[0].length),
        description: sentenceAround(text, index),
      });
    }
  }
  found.sort((a, b) => a.index - b.index);
  const seen = new Set<string>();
  return found
    .filter((d) => !seen.has(`${d.date}/${d.kind}`) && seen.add(`${d.date}/${d.kind}`))
    .map(({ date, kind, description }) => ({ date, kind, description }));
}

function monthNumber(name: string): number {
  return MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;
}

function isoDate(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return date.toISOString().slice(0, 10);
}

/** The kind whose keyword is nearest the date: before it within 120 characters, or (weighted) after within 60. */
function kindNear(text: string, index: number, length: number): string {
  const before = text.slice(Math.max(0, index - 120), index).toLowerCase();
  const after = text.slice(index + length, index + length + 60).toLowerCase();
  let best = { kind: 'other', distance: Infinity };
  for (const [kind, words] of Object.entries(DATE_KINDS)) {
    for (const word of words) {
      const pattern = wordPattern(word);
      for (const m of before.matchAll(pattern)) {
        const distance = before.length - (m.index ?? 0);
        if (distance < best.distance) best = { kind, distance };
      }
      const m = pattern.exec(after.replace(/\s+/g, ' '));
      if (m && (m.index + 1) * 1.5 < best.distance) best = { kind, distance: (m.index + 1) * 1.5 };
    }
  }
  return best.kind;
}

const wordPatterns = new Map<string, RegExp>();

function wordPattern(word: string): RegExp {
  let pattern = wordPatterns.get(word);
  if (!pattern) {
    pattern = new RegExp(`\\b${word.replace(/\s+/g, '\\s+')}`, 'g');
    wordPatterns.set(word, pattern);
  }
  pattern.lastIndex = 0;
  return pattern;
}

/** The sentence (or line) holding position `index`, whitespace collapsed. */
function sentenceAround(text: string, index: number): string {
  const boundary = /[.!?](?=\s)|\n/g;
  let start = 0;
  let end = text.length;
  for (const m of text.matchAll(boundary)) {
    const at = m.index ?? 0;
    if (at < index) start = at + 1;
    else {
      end = at + 1;
      break;
    }
  }
  return text.slice(start, end).replace(/\s+/g, ' ').trim();
}
