/**
 * Medications as the clinical reader finds them: every drug its vocabulary knows, and any capitalised word
 * written with a dose ("Gabapentin 300 mg"), with the dose, route, frequency and status written near it.
 * Its three deliberate weaknesses are described (and tested) with the reader, in reading.ts.
 */
import type { ClinicalDocument, Segment } from './document';
import { wordCount } from './document';
import {
  DOSE,
  KNOWN_DRUG,
  STATUS_WORD,
  doseUnit,
  frequencyIn,
  genericName,
  routeIn,
  statusOf,
  type MedicationStatus,
} from './vocabulary';

export interface Medication {
  name: string;
  dose: number | null;
  unit: string | null;
  route: string | null;
  frequency: string | null;
  status: MedicationStatus;
  /** Whether a word in the document gave the status (otherwise it is the default, continued). */
  statusWritten: boolean;
  /** Read from a medication list rather than from prose. */
  fromList: boolean;
}

interface Mention {
  name: string;
  start: number;
  end: number;
}

/** Beyond this many words a prose sentence is long: the reader's attention fades after a list in it. */
export const LONG_SENTENCE_WORDS = 20;
/** A status verb ties to the drug named after it only with at most this many words between them. */
export const STATUS_REACH_WORDS = 2;

/** A capitalised word with a dose after it: a drug the vocabulary does not know. */
const DOSED_WORD = /\b([A-Z][a-z]{3,}(?:-[a-z]+)?)\s+(?=\d+(?:\.\d+)?\s*(?:mg|mcg|g|units?|mEq)\b(?!\s*\/))/g;
const NOT_DRUGS = new Set(
  'take takes taking give given dose doses total daily then was were received receive patient weight about approximately maximum each with plus also only tablet tablets capsule capsules'.split(
    ' ',
  ),
);
/** Verbs in their base form come before the drug they act on ("stop ibuprofen"); participles may follow it. */
const BASE_VERB =
  /^(start|begin|initiate|add|increase|decrease|change|adjust|reduce|titrate|stop|discontinue|hold|continue|resume)$/i;
const IS_STATUS_WORD = new RegExp(`^${STATUS_WORD.source}$`, 'i');
const AFTER_ALLERGY = /allerg\w*:?\s+(?:to\s+)?(?:[\w-]+\s+){0,2}$/i;
/** A note after a dash or colon in a list ("Atorvastatin 80 mg nightly - new") is about the drug before it. */
const LIST_NOTE = /[-–—:]\s*$/;
/** A course with a length ("for 7 days", "x 3 days") is a new prescription when no status is written. */
const COURSE = /\b(?:for|x|×)\s*\d+\s*(?:days?|weeks?)\b/i;
const CLAUSE_BREAK = /;|\band\b|\bbut\b|\bthen\b/i;

export function readMedications(document: ClinicalDocument): Medication[] {
  const found = new Map<string, Medication>();
  for (const segment of document.segments) {
    if (segment.section !== 'medications' && segment.section !== 'prose') continue;
    for (const medication of medicationsIn(segment)) {
      const known = found.get(medication.name);
      found.set(medication.name, known ? merge(known, medication) : medication);
    }
  }
  return [...found.values()];
}

function medicationsIn(segment: Segment): Medication[] {
  const { text } = segment;
  const mentions = mentionsIn(text);
  if (mentions.length === 0) return [];
  const statuses = statusesOf(text, mentions);
  const sectionStatus = segment.label?.match(STATUS_WORD)?.[0];
  const read = segment.listItem ? mentions : readBeforeAttentionFades(text, mentions);
  return read.map((mention) => {
    const next = mentions.find((m) => m.start >= mention.end);
    const clause = text.slice(mention.end, Math.min(next?.start ?? text.length, mention.end + 80));
    const written = statuses.get(mention) ?? sectionStatus;
    const course = written === undefined && COURSE.test(clause);
    return {
      name: mention.name,
      ...doseIn(clause),
      route: routeIn(clause),
      frequency: frequencyIn(clause),
      status: written ? statusOf(written) : course ? 'new' : 'continued',
      statusWritten: written !== undefined || course,
      fromList: segment.listItem,
    };
  });
}

function mentionsIn(text: string): Mention[] {
  const mentions: Mention[] = [];
  for (const match of text.matchAll(KNOWN_DRUG)) {
    const start = match.index ?? 0;
    mentions.push({ name: genericName(match[0]), start, end: start + match[0].length });
  }
  for (const match of text.matchAll(DOSED_WORD)) {
    const start = match.index ?? 0;
    const word = match[1];
    const end = start + word.length;
    if (NOT_DRUGS.has(word.toLowerCase()) || IS_STATUS_WORD.test(word) || /ed$/.test(word)) continue;
    if (mentions.some((m) => m.start < end && start < m.end)) continue;
    mentions.push({ name: word.toLowerCase(), start, end });
  }
  return mentions
    .filter((m) => !AFTER_ALLERGY.test(text.slice(Math.max(0, m.start - 40), m.start)))
    .sort((a, b) => a.start - b.start);
}

/**
 * The status word each mention has. A word ties forward to the next drug when at most STATUS_REACH_WORDS
 * words separate them ("start her on amoxicillin"); a participle or a note in parentheses ties back to the
 * drug before it in the same clause ("Lisinopril 10 mg daily, increased", "Warfarin 5 mg (continued)"), and
 * so does any word after a dash or colon ("Clopidogrel 75 mg daily - continue").
 * A word written after the drug wins over one before it.
 */
function statusesOf(text: string, mentions: readonly Mention[]): Map<Mention, string> {
  const before = new Map<Mention, string>();
  const after = new Map<Mention, string>();
  for (const match of text.matchAll(STATUS_WORD)) {
    const at = match.index ?? 0;
    const end = at + match[0].length;
    const next = mentions.find((m) => m.start >= end);
    const previous = [...mentions].reverse().find((m) => m.end <= at);
    const inParentheses = /\(\s*$/.test(text.slice(0, at)) && /^\s*\)/.test(text.slice(end));
    const listNote = previous !== undefined && LIST_NOTE.test(text.slice(previous.end, at));
    if (previous && (inParentheses || listNote)) {
      if (!after.has(previous)) after.set(previous, match[0]);
    } else if (next && wordCount(text.slice(end, next.start)) <= STATUS_REACH_WORDS) {
      before.set(next, match[0]);
    } else if (previous && !BASE_VERB.test(match[0]) && !CLAUSE_BREAK.test(text.slice(previous.end, at))) {
      if (!after.has(previous)) after.set(previous, match[0]);
    }
  }
  const statuses = new Map(before);
  for (const [mention, word] of after) statuses.set(mention, word);
  return statuses;
}

/**
 * Weakness: in a prose sentence longer than LONG_SENTENCE_WORDS, once a list of drugs has been read
 * (two or more names joined by commas or "and", a few words apart), a drug named later is missed.
 */
function readBeforeAttentionFades(text: string, mentions: readonly Mention[]): Mention[] {
  if (wordCount(text) <= LONG_SENTENCE_WORDS) return [...mentions];
  const joined = (a: Mention, b: Mention) => {
    const gap = text.slice(a.end, b.start);
    return wordCount(gap) <= 4 && /,|\band\b|\bor\b/.test(gap);
  };
  const first = mentions.findIndex((m, i) => i + 1 < mentions.length && joined(m, mentions[i + 1]));
  if (first < 0) return [...mentions];
  let last = first + 1;
  while (last + 1 < mentions.length && joined(mentions[last], mentions[last + 1])) last += 1;
  return mentions.slice(0, last + 1);
}

/**
 * The dose written after the drug: "from 10 mg to 20 mg" is the new dose. Weakness: a decimal dose is read
 * from its digits after the point (0.125 mg → 125 mg, 2.5 mg → 5 mg), as a reader that splits at the point.
 */
function doseIn(clause: string): { dose: number | null; unit: string | null } {
  const change = new RegExp(`from\\s+${DOSE.source}\\s+to\\s+(${DOSE.source})`, 'i').exec(clause);
  const match = DOSE.exec(change ? change[4] : clause);
  if (!match) return { dose: null, unit: null };
  const [, whole, decimals, unit] = match;
  const dose = Number(decimals ?? whole.replace(/,/g, ''));
  return dose > 0 ? { dose, unit: doseUnit(unit) } : { dose: null, unit: null };
}

/** Two mentions of one drug: the first one's details, completed by the second's; a written status wins. */
function merge(first: Medication, second: Medication): Medication {
  const status = first.statusWritten || !second.statusWritten ? first : second;
  return {
    name: first.name,
    dose: first.dose ?? second.dose,
    unit: first.dose !== null ? first.unit : second.unit,
    route: first.route ?? second.route,
    frequency: first.frequency ?? second.frequency,
    status: status.status,
    statusWritten: status.statusWritten,
    fromList: first.fromList || second.fromList,
  };
}
