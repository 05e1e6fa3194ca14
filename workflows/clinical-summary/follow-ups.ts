/**
 * Follow-up dates, read with the pseudonymizer's date reader (every form it knows: ISO, 10/30/2026,
 * "March 4, 2026", "4 de marzo de 2026"). Node-side: the activities run it; the workflow bundle never
 * imports the pseudonymizer.
 */
import { findEventDates } from '../../pseudonymize';
import type { FollowUpItem } from './checks';

/** The first date a text writes, as YYYY-MM-DD, or null. */
export function isoDateOf(text: string): string | null {
  return findEventDates(text)[0] ?? null;
}

const FOLLOW_UP_WORDS =
  /\bfollow[- ]?up\b|\bfollow\b|\bdue\b|\brecheck\b|\breturn visit\b|\bcontrol\b|\bcita\b/i;

/**
 * Follow-ups with a due date, from the text's follow-up sentences and the extraction, overdue when the date
 * is before `asOf` (the day the document was received, else today).
 */
export function overdueFollowUps(
  text: string,
  extracted: ReadonlyArray<{ what: string; dueDate: string | null }>,
  asOf: string,
): { asOf: string; items: FollowUpItem[] } {
  const items = new Map<string, FollowUpItem>();
  const add = (what: string, dueDate: string) => {
    if (!items.has(dueDate))
      items.set(dueDate, { what: what.slice(0, 200), dueDate, overdue: dueDate < asOf });
  };
  for (const sentence of text.split(/(?<!\d)[.](?!\d)|\n+/)) {
    if (!FOLLOW_UP_WORDS.test(sentence)) continue;
    for (const dueDate of findEventDates(sentence)) add(sentence.trim(), dueDate);
  }
  for (const followUp of extracted) if (followUp.dueDate) add(followUp.what, followUp.dueDate);
  return { asOf, items: [...items.values()] };
}
