/**
 * The fields a clinical document states under labels, or in a phrase a reader looks for: allergies,
 * problems with the ICD-10 codes written beside them, encounter dates, pending results, follow-ups and
 * red flags.
 */
import { DATE, isoDate, listItems, type ClinicalDocument, type Segment } from './document';

export interface Allergy {
  substance: string;
  reaction: string | null;
}

export interface AllergyReading {
  allergies: Allergy[];
  /** How the document stated them: a labelled list, "no known allergies", a phrase in prose, or not at all. */
  stated: 'list' | 'none' | 'prose' | null;
}

export type EncounterKind = 'admission' | 'discharge' | 'visit' | 'collection' | 'other';

const NO_ALLERGIES = /\b(?:NKDA|NKA|no known (?:drug )?allergies|none known|none)\b/i;
/** Said in a sentence of its own, outside an allergy section. */
const NO_ALLERGIES_SAID = /\b(?:NKDA|no known (?:drug )?allergies)\b/i;
const ALLERGIC_TO = /\ballerg(?:ic|y|ies)\s*(?:to\b|:)\s*([^.;]+)/i;
const ICD10 = /\((?:ICD-?10(?:-CM)?:?\s*)?([A-Z]\d{2}(?:\.[0-9A-Z]{1,4})?)\)|\b([A-Z]\d{2}\.[0-9A-Z]{1,4})\b/;
const RETURN_IF =
  /\b(?:return(?: to (?:the )?(?:ED|emergency department|hospital))? if|seek (?:urgent |immediate )?(?:medical )?(?:care|attention|help) if|call 911 if|go to the emergency)/i;
const FOLLOW_UP = /\bfollow[- ]?up\b|\bappointment\b|\brecheck\b/i;
const DUE_WORD = /\b(?:by|due|before|on|until|no later than|scheduled|follow[- ]?up)\b[^.;]{0,12}$/i;

const ENCOUNTER_LABELS: ReadonlyArray<[EncounterKind, string]> = [
  ['admission', 'admitted|admission date|date of admission'],
  ['discharge', 'discharged|discharge date|date of discharge'],
  ['visit', 'seen|visit date|date of visit|date of service|encounter date'],
  ['collection', 'collected|collection date|specimen date|drawn'],
];

export function readAllergies(document: ClinicalDocument): AllergyReading {
  const allergies: Allergy[] = [];
  let stated: AllergyReading['stated'] = null;
  for (const segment of document.segments) {
    if (segment.section === 'allergies') {
      if (NO_ALLERGIES.test(segment.text)) {
        stated ??= 'none';
        continue;
      }
      allergies.push(...listItems(segment.text).map(allergyOf));
      stated = 'list';
      continue;
    }
    if (NO_ALLERGIES_SAID.test(segment.text)) {
      stated ??= 'none';
      continue;
    }
    const phrase = ALLERGIC_TO.exec(segment.text);
    if (!phrase) continue;
    if (NO_ALLERGIES.test(phrase[1])) {
      stated ??= 'none';
      continue;
    }
    allergies.push(...phrase[1].split(/,(?![^(]*\))|\band\b(?![^(]*\))/).flatMap(allergyItem));
    stated ??= 'prose';
  }
  const seen = new Set<string>();
  return {
    allergies: allergies.filter((a) => a.substance && !seen.has(a.substance) && seen.add(a.substance)),
    stated,
  };
}

function allergyItem(text: string): Allergy[] {
  const trimmed = text.trim();
  return trimmed ? [allergyOf(trimmed)] : [];
}

/** "penicillin (hives)" or "sulfa - rash": the substance, and the reaction when one is written. */
function allergyOf(item: string): Allergy {
  const parenthesised = /^(.*?)\s*\(([^)]*)\)/.exec(item);
  const [substance, reaction] = parenthesised
    ? [parenthesised[1], parenthesised[2]]
    : (item.split(/\s+[-–]\s+/, 2) as [string, string?]);
  return {
    substance: substance
      .trim()
      .toLowerCase()
      .replace(/[.,]+$/, ''),
    reaction: reaction?.trim() || null,
  };
}

export function readProblems(document: ClinicalDocument): Array<{ text: string; icd10: string | null }> {
  return document.segments
    .filter((segment) => segment.section === 'problems')
    .flatMap((segment) => listItems(segment.text))
    .map((item) => {
      const code = ICD10.exec(item);
      const text = item
        .replace(ICD10, '')
        .replace(/\(\s*\)/g, '')
        .replace(/\s+/g, ' ')
        .trim();
      return { text: text || item, icd10: code ? (code[1] ?? code[2]) : null };
    });
}

/** Dates written after an encounter label ("Admitted: 2026-02-10", "discharged home on March 4, 2026"). */
export function readEncounterDates(
  body: string,
  dateKind: EncounterKind,
): Array<{ kind: EncounterKind; date: string }> {
  const found: Array<{ kind: EncounterKind; date: string; at: number }> = [];
  const labels: ReadonlyArray<[EncounterKind, string]> = [...ENCOUNTER_LABELS, [dateKind, 'date(?=\\s*:)']];
  for (const [kind, words] of labels) {
    const pattern = new RegExp(`\\b(?:${words})(?:\\W+[\\w-]+){0,3}?\\W+(${DATE.source})`, 'gi');
    for (const match of body.matchAll(pattern)) {
      const date = isoDate(match[1]);
      if (date) found.push({ kind, date, at: match.index ?? 0 });
    }
  }
  const seen = new Set<string>();
  return found
    .sort((a, b) => a.at - b.at)
    .filter(({ kind, date }) => !seen.has(`${kind}/${date}`) && seen.add(`${kind}/${date}`))
    .map(({ kind, date }) => ({ kind, date }));
}

export function readPending(document: ClinicalDocument): string[] {
  const items = document.segments.flatMap((segment) => {
    if (segment.section === 'pending') return listItems(segment.text);
    return /\bpending\b/i.test(segment.text) ? [sentence(segment)] : [];
  });
  return [...new Set(items)];
}

/** Follow-ups from the follow-up section and from prose that mentions one; due when a date is written by it. */
export function readFollowUps(document: ClinicalDocument): Array<{ what: string; dueDate: string | null }> {
  const items = document.segments.flatMap((segment) => {
    if (segment.section === 'followUp') return segment.text.split(';').map((s) => s.trim());
    if (segment.section === 'prose' && FOLLOW_UP.test(segment.text)) return [sentence(segment)];
    return [];
  });
  return items
    .map((item) => item.replace(/[.\s]+$/, ''))
    .filter(Boolean)
    .map((what) => ({ what, dueDate: dueDateIn(what) }));
}

function dueDateIn(text: string): string | null {
  for (const match of text.matchAll(DATE)) {
    const at = match.index ?? 0;
    if (DUE_WORD.test(text.slice(Math.max(0, at - 30), at))) return isoDate(match[0]);
  }
  return null;
}

export function readRedFlags(document: ClinicalDocument): string[] {
  const items = document.segments.flatMap((segment) => {
    if (segment.section === 'redFlags') return listItems(segment.text);
    return RETURN_IF.test(segment.text) ? [sentence(segment)] : [];
  });
  return [...new Set(items)];
}

function sentence(segment: Segment): string {
  return segment.text.replace(/[.\s]+$/, '');
}
