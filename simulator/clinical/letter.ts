/**
 * The drafter's answer: a clinician summary in plain sentences and a letter to the patient, both written
 * only from the extraction and the assessment (every drug named is one the extraction lists). The letter
 * is short sentences in everyday words, and it never promises an outcome.
 *
 * Deterministic weakness: when the extraction lists more than five medications the letter turns
 * long-winded: the medicines run together in one sentence of fifty words or more. Its reading grade
 * rises by two or three, so the workflow's grade check (grade 8 at most) catches some of these letters
 * (a short letter with six or more medicines) and not others (one with several follow-ups and warnings,
 * whose short sentences bring the average down).
 */
import * as prose from '../answer/prose';
import type { ClinicalInput, ExtractionInput } from './input';
import { patientTokens } from './tool-arguments';

export interface ClinicalDraft {
  clinicianSummary: {
    problems: string;
    medications: string;
    allergies: string;
    followUp: string;
    attention: string;
  };
  patientLetter: string;
  confidence: number;
  rationale: string;
}

type Medication = ExtractionInput['medications'][number];

/** More medications than this and the letter loses its plain style. */
export const PLAIN_LETTER_MEDICATIONS = 5;

const ABOUT: Record<string, string> = {
  discharge_summary: 'your recent hospital stay',
  referral: 'your referral to a specialist',
  lab_report: 'your recent test results',
  visit_note: 'your recent visit',
};
const MONTHS = 'January February March April May June July August September October November December'.split(
  ' ',
);
const EMPTY: ExtractionInput = {
  documentKind: 'other',
  problems: [],
  medications: [],
  allergies: [],
  pendingResults: [],
  followUps: [],
  redFlags: [],
  confidence: null,
};

export function draft(input: ClinicalInput): ClinicalDraft {
  const extraction = input.extraction ?? EMPTY;
  const { assessment } = input;
  const notes = [
    `written from the extraction's ${extraction.medications.length} medication(s) and ${extraction.followUps.length} follow-up(s)`,
  ];
  const longWinded = extraction.medications.length > PLAIN_LETTER_MEDICATIONS;
  if (longWinded) notes.push('many medications: the letter lists them in one long sentence');
  if (!assessment) notes.push('no assessment in the input');
  const confidence = Math.min(extraction.confidence ?? 0.6, assessment?.confidence ?? 0.6);
  return {
    clinicianSummary: clinicianSummary(extraction, input),
    patientLetter: patientLetter(extraction, input.body, longWinded),
    confidence: Math.round(Math.max(0.3, confidence) * 100) / 100,
    rationale: prose.rationale(notes),
  };
}

function clinicianSummary(
  extraction: ExtractionInput,
  input: ClinicalInput,
): ClinicalDraft['clinicianSummary'] {
  const { problems, medications, allergies, followUps, pendingResults } = extraction;
  const byStatus = (status: string, title: string) => {
    const listed = medications.filter((m) => m.status === status).map(chartLine);
    return listed.length > 0 ? [`${title}: ${listed.join('; ')}.`] : [];
  };
  const assessment = input.assessment;
  const attention = (assessment?.attention ?? []).map(
    (a) => `${a.item} (${lowerFirst(a.why.replace(/\.$/, ''))}).`,
  );
  return {
    problems:
      problems.length > 0
        ? `${problems.map((p) => (p.icd10 ? `${p.text} (${p.icd10})` : p.text)).join('; ')}.`
        : 'The document lists no problems.',
    medications:
      medications.length > 0
        ? [
            ...byStatus('new', 'New'),
            ...byStatus('changed', 'Changed'),
            ...byStatus('continued', 'Continued'),
            ...byStatus('stopped', 'Stopped'),
          ].join(' ')
        : 'The document lists no medications.',
    allergies:
      allergies.length > 0
        ? `${allergies.map((a) => (a.reaction ? `${a.substance} (${a.reaction})` : a.substance)).join('; ')}.`
        : 'No allergies are recorded in the document.',
    followUp:
      [
        ...followUps.map((f) => `${capitalise(f.what)}${f.dueDate ? ` (due ${f.dueDate})` : ''}.`),
        ...(pendingResults.length > 0 ? [`Pending: ${pendingResults.join('; ')}.`] : []),
      ].join(' ') || 'No follow-up is stated in the document.',
    attention:
      [
        assessment?.routing
          ? `Routing ${assessment.routing.replace(/_/g, ' ')}, priority ${assessment.priority ?? 'not set'}.`
          : '',
        ...attention,
      ]
        .filter(Boolean)
        .join(' ') || 'Nothing needs attention.',
  };
}

function chartLine(m: Medication): string {
  return [
    m.name,
    m.dose !== null && m.dose !== undefined ? `${m.dose} ${m.unit ?? ''}`.trim() : null,
    m.route,
    m.frequency,
  ]
    .filter(Boolean)
    .join(' ');
}

function patientLetter(extraction: ExtractionInput, body: string, longWinded: boolean): string {
  const name = patientTokens(body).name;
  const about = ABOUT[extraction.documentKind] ?? 'your recent care';
  const medicines = longWinded
    ? [longWindedMedicines(extraction.medications)]
    : plainMedicines(extraction.medications);
  const visits = extraction.followUps.map((f) =>
    f.dueDate
      ? `Please make a visit by ${spelledDate(f.dueDate)}.`
      : `You have a follow-up: ${lowerFirst(f.what)}.`,
  );
  const pending =
    extraction.pendingResults.length > 0
      ? ['We are still waiting for some test results. We will tell you when they are back.']
      : [];
  const warnings = extraction.redFlags.map(
    (flag) => `Please call us or get help right away if ${lowerFirst(condition(flag))}.`,
  );
  return [
    `Dear ${name ?? 'Patient'},`,
    `This letter is about ${about}.`,
    ...(medicines.length > 0 ? [medicines.join('\n')] : []),
    ...(visits.length > 0 ? [visits.join(' ')] : []),
    ...pending,
    [...warnings, 'Please call us if you have questions about your medicines.'].join(' '),
    'Kind regards,\nYour care team',
  ].join('\n\n');
}

function plainMedicines(medications: readonly Medication[]): string[] {
  return medications.map((m) => {
    const take = takeSentence(m);
    switch (m.status) {
      case 'new':
        return `Start ${m.name}. ${take}`;
      case 'changed':
        return `Your dose of ${m.name} has changed. ${take}`;
      case 'stopped':
        return `Stop taking ${m.name}.`;
      default:
        return `Keep taking ${m.name}. ${take}`;
    }
  });
}

function longWindedMedicines(medications: readonly Medication[]): string {
  const verb: Record<string, string> = {
    new: 'start taking',
    changed: 'take the new dose of',
    stopped: 'stop taking',
  };
  const items = medications.map((m) => {
    const dose = m.dose ? ` ${m.dose} ${m.unit ?? ''}`.trimEnd() : '';
    const how = m.frequency && m.status !== 'stopped' ? ` ${plainFrequency(m.frequency)}` : '';
    return `you should ${verb[m.status] ?? 'keep taking'} ${m.name}${dose}${how}`;
  });
  return (
    `As we talked about with you, ${items.slice(0, -1).join(', ')}, and ${items[items.length - 1]}, ` +
    'and please do not change any of these medicines without talking to your doctor or pharmacist first.'
  );
}

function takeSentence(m: Medication): string {
  const amount = m.dose ? `${m.dose} ${m.unit ?? ''}`.trimEnd() : 'it';
  const how = m.frequency ? ` ${plainFrequency(m.frequency)}` : ' as your doctor told you';
  return `Take ${amount}${how}.`;
}

/** A chart's frequency in everyday words: "BID" and "twice daily" become "two times a day". */
function plainFrequency(frequency: string): string {
  const f = frequency.toLowerCase();
  if (/^(daily|once (a |per )?(day|daily)|qd|every day)$/.test(f)) return 'once a day';
  if (/twice|bid|2 times/.test(f)) return 'two times a day';
  if (/three times|tid|3 times/.test(f)) return 'three times a day';
  if (/four times|qid|4 times/.test(f)) return 'four times a day';
  if (/bedtime|qhs|nightly/.test(f)) return 'at bedtime';
  if (/as needed|prn/.test(f)) return 'only when you need it';
  if (/weekly/.test(f)) return 'once a week';
  return f;
}

/** "return if shortness of breath worsens" → "shortness of breath worsens"; "chest pain" → "you have chest pain". */
function condition(flag: string): string {
  const text = flag.replace(/\.$/, '');
  const after = /\b(?:if|when)\s+(.+)$/i.exec(text);
  return after ? after[1] : `you have ${lowerFirst(text)}`;
}

function spelledDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return MONTHS[month - 1] ? `${MONTHS[month - 1]} ${day}, ${year}` : iso;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
