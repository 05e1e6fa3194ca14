/**
 * Calendar arithmetic on YYYY-MM-DD dates, in UTC so the answer does not depend on the worker's time
 * zone. Pure: the limitation tool and the workflow gates (workflow time) use it; nothing here reads the clock.
 */

const DAY_MS = 86_400_000;
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** True for a date that exists ('2024-02-29' yes, '2023-02-29' no). Years before 1000 are not accepted. */
export function isCalendarDate(text: string): boolean {
  return parse(text) !== null;
}

/**
 * `months` calendar months after `date`, the day clamped to the end of a shorter month:
 * 2024-01-31 + 1 → 2024-02-29, 2024-02-29 + 12 → 2025-02-28.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseOrThrow(date);
  const index = year * 12 + (month - 1) + months;
  const newYear = Math.floor(index / 12);
  const newMonth = (index % 12) + 1;
  return format({ year: newYear, month: newMonth, day: Math.min(day, daysInMonth(newYear, newMonth)) });
}

/** Whole days from `from` to `to`: positive when `to` is later, negative when it has passed. */
export function daysBetween(from: string, to: string): number {
  return Math.round((utcMs(parseOrThrow(to)) - utcMs(parseOrThrow(from))) / DAY_MS);
}

function parse(text: string): CalendarDate | null {
  const match = PATTERN.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  // Date.UTC reads years 0–99 as 1900–1999; no limitation question needs them.
  if (year < 1000 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

function parseOrThrow(text: string): CalendarDate {
  const date = parse(text);
  if (!date) throw new RangeError(`not a calendar date: ${text}`);
  return date;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function utcMs({ year, month, day }: CalendarDate): number {
  return Date.UTC(year, month - 1, day);
}

function format({ year, month, day }: CalendarDate): string {
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
