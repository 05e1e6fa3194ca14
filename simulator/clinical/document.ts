/**
 * A clinical document cut into the pieces the reader works on: each labelled line ("Allergies: …"), list
 * item and prose sentence, with the section it sits in, so that a drug named on the allergy line is not
 * read as a medication and a date on the follow-up line is read as a due date.
 */
import { findDates } from '../reading/dates';

export type Section =
  | 'medications'
  | 'allergies'
  | 'problems'
  | 'labs'
  | 'pending'
  | 'followUp'
  | 'redFlags'
  | 'header'
  | 'prose';

export interface Segment {
  text: string;
  section: Section;
  /** The section's label as written, lower case ("discharge medications"); null in unlabelled prose. */
  label: string | null;
  /** A list item or a labelled line: read as a list, where each drug is its own entry. */
  listItem: boolean;
}

export interface ClinicalDocument {
  segments: Segment[];
  /** Headings and labels, lower case, in order. */
  labels: string[];
}

const LABEL = /^\s*([A-Za-z][A-Za-z /&()-]{0,40}?)\s*:\s*(.*)$/;
const BULLET = /^\s*(?:[-•*]|\d{1,2}[.)])\s+/;
const SENTENCE_END = /(?<=[.!?])\s+(?=[A-Z[(])/;

/** What a label says its section holds; the first rule that matches wins. */
const SECTIONS: ReadonlyArray<[RegExp, Section]> = [
  [/allerg/, 'allergies'],
  [/pending/, 'pending'],
  [/red flag|warning sign|return precaution|when to (seek|call|return)/, 'redFlags'],
  [/follow|appointment|disposition|next visit/, 'followUp'],
  [/diagnos|problem|impression|reason for|^assessment$/, 'problems'],
  [/medic|\bmeds\b|prescri|\brx\b|\bdrugs?\b/, 'medications'],
  [/^labs?\b|results?\b|vitals?\b|findings?\b|investigations?\b/, 'labs'],
  [
    /^(patient|name|mrn|dob|date of birth|admitted|discharged|date|seen|collected|reported|provider|attending|physician|referring|referred to|to|from|re|signed|phone)\b/,
    'header',
  ],
];

export function sectionOf(label: string): Section {
  return SECTIONS.find(([pattern]) => pattern.test(label))?.[1] ?? 'prose';
}

/**
 * The document's lines as segments. A label with its content on the line ("Allergies: penicillin (hives).")
 * holds that line, and the next ones while its sentence runs on; a heading ("Discharge medications:") holds
 * each line under it, up to a blank line or the next label; other lines are prose, joined into paragraphs
 * and cut into sentences.
 */
export function readDocument(body: string): ClinicalDocument {
  const segments: Segment[] = [];
  const labels: string[] = [];
  let section: Section = 'prose';
  let label: string | null = null;
  let paragraph: string[] = [];
  let runningOn = false;
  const push = (text: string, listItem: boolean) => segments.push({ text, section, label, listItem });
  const flush = () => {
    const text = paragraph.join(' ').trim();
    paragraph = [];
    for (const sentence of text ? text.split(SENTENCE_END) : [])
      push(sentence.trim(), section === 'medications');
    if (runningOn) [section, label, runningOn] = ['prose', null, false];
  };
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const heading = line ? headingOf(line) : null;
    const labelled = line && heading === null ? LABEL.exec(line) : null;
    if (!line || heading !== null || labelled || BULLET.test(line)) flush();
    if (!line) {
      [section, label] = ['prose', null];
    } else if (heading !== null || labelled) {
      label = (heading ?? labelled?.[1] ?? '').toLowerCase().replace(/\s+/g, ' ').trim();
      labels.push(label);
      section = sectionOf(label);
      const rest = labelled?.[2].trim() ?? '';
      if (!rest) continue;
      paragraph.push(rest);
      runningOn = true;
      if (section === 'header' || /[.!?]$/.test(rest)) flush();
    } else if (BULLET.test(line)) {
      push(line.replace(BULLET, ''), true);
    } else if (runningOn) {
      paragraph.push(line);
      if (/[.!?]$/.test(line)) flush();
    } else if (section !== 'prose') {
      push(line, section === 'medications');
    } else {
      paragraph.push(line);
    }
  }
  flush();
  return { segments, labels };
}

/**
 * A line in capitals with no colon ("DISCHARGE SUMMARY", "MEDICATIONS"): a heading, when it names a section
 * or has two words or more (a lone "NKDA" under "Allergies:" is that section's content).
 */
function headingOf(line: string): string | null {
  const text = line.trim();
  if (text.length > 60 || /[:\d[]/.test(text) || !/[A-Z]{3}/.test(text) || text !== text.toUpperCase())
    return null;
  const words = text.split(/\s+/).length;
  if (words > 6 || (words === 1 && sectionOf(text.toLowerCase()) === 'prose')) return null;
  return text;
}

/** A calendar date as documents write it: ISO, US slashes or the month spelled out. */
export const DATE =
  /\b(?:\d{4}-\d{2}-\d{2}|\d{1,2}\/\d{1,2}\/\d{4}|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4})\b/g;

/** The date as YYYY-MM-DD, or null when it names no real day. */
export function isoDate(written: string): string | null {
  return findDates(written)[0]?.date ?? null;
}

/** The items of a labelled list: split on semicolons, and on commas outside parentheses when there is none. */
export function listItems(text: string): string[] {
  const separator = text.includes(';') ? /;/ : /,(?![^(]*\))/;
  return text
    .split(separator)
    .map((item) => item.trim().replace(/[.\s]+$/, ''))
    .filter(Boolean);
}

export function wordCount(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
