/**
 * The reasoner's answer: what needs a clinician's attention, where the document goes and how soon, read off
 * the checks the workflow ran (medication reconciliation, critical labs, overdue follow-ups) and the
 * extraction's red flags, plus what the reasoner's own tool calls added.
 */
import { humanize } from '../answer/fill';
import * as prose from '../answer/prose';
import type { ChecksInput, ClinicalInput, Flag } from './input';

export type Routing = 'primary_care' | 'specialist' | 'pharmacy' | 'care_management';
export type Priority = 'routine' | 'soon' | 'urgent';

export interface ClinicalAssessment {
  attention: Array<{ item: string; why: string }>;
  routing: Routing;
  priority: Priority;
  risks: string[];
  confidence: number;
  rationale: string;
}

/** Flags that make a document urgent: a clinician must look the same day. */
const URGENT_FLAGS: ReadonlySet<string> = new Set([
  'allergy_conflict',
  'drug_interaction',
  'dose_out_of_range',
]);

export function assess(input: ClinicalInput): ClinicalAssessment {
  const { checks, extraction } = input;
  const notes: string[] = [];
  const flags = medicationFlags(input);
  const critical = (checks?.labs?.results ?? []).filter((lab) => lab.critical);
  const overdue = (checks?.followUps?.items ?? []).filter((item) => item.overdue);
  const unverified = unverifiedMedications(input);
  const redFlags = extraction?.redFlags ?? [];

  const urgent = flags.filter(({ flag }) => URGENT_FLAGS.has(flag.code));
  const attention = [
    ...critical.map((lab) => ({
      item: `Critical ${lab.test}${lab.value !== null ? ` ${lab.value}` : ''}${lab.unit ? ` ${lab.unit}` : ''}`,
      why: 'The result is outside the critical range: a clinician must see it today.',
    })),
    ...[...urgent, ...flags.filter((f) => !urgent.includes(f))].map(({ name, flag }) => ({
      item: `${name}: ${humanize(flag.code)}`,
      why: flag.detail || `The medication check flagged ${name} (${humanize(flag.code)}).`,
    })),
    ...overdue.map((item) => ({
      item: `Overdue follow-up: ${item.what}`,
      why: `It was due ${item.dueDate ?? 'earlier'}${checks?.followUps?.asOf ? `, before ${checks.followUps.asOf}` : ''}.`,
    })),
    ...unverified.map((name) => ({
      item: `Unverified medication: ${name}`,
      why: 'It is not in the formulary: check the name and the dose with the prescriber.',
    })),
    ...redFlags.map((text) => ({
      item: `Red flag: ${text}`,
      why: 'The document names it as a reason to seek care.',
    })),
  ];

  let routing: Routing = 'primary_care';
  if (flags.length > 0) routing = 'pharmacy';
  else if (extraction?.documentKind === 'referral') routing = 'specialist';
  else if (overdue.length > 0) routing = 'care_management';
  const priority: Priority =
    critical.length > 0 || urgent.length > 0 ? 'urgent' : flags.length > 0 ? 'soon' : 'routine';
  notes.push(
    `${flags.length} medication flag(s), ${critical.length} critical result(s), ${overdue.length} overdue follow-up(s)`,
    `routing ${routing}, priority ${priority}`,
  );

  const risks = [
    ...new Set(
      flags.map(
        ({ name, flag }) =>
          `${capitalise(humanize(flag.code))} (${name}): ${flag.detail || 'see the medication check'}`,
      ),
    ),
  ];
  return { attention, routing, priority, risks, ...confidenceOf(input, unverified, notes) };
}

/** Every flag the reconciliation raised, and interactions the reasoner's own checkMedications call found. */
function medicationFlags(input: ClinicalInput): Array<{ name: string; flag: Flag }> {
  const flags = (input.checks?.medications?.rows ?? []).flatMap((row) =>
    row.flags.map((flag) => ({ name: row.name, flag })),
  );
  for (const { between, risk } of input.tools.get('checkMedications')?.interactions ?? []) {
    const name = between.join(' + ');
    const known = flags.some(
      ({ name: flagged, flag }) => flag.code === 'drug_interaction' && between.includes(flagged),
    );
    if (!known) flags.push({ name, flag: { code: 'drug_interaction', detail: `${name}: risk of ${risk}` } });
  }
  return flags;
}

function unverifiedMedications(input: ClinicalInput): string[] {
  const fromTool = (input.tools.get('checkMedications')?.medications ?? []).filter((m) => !m.known);
  return [...new Set([...(input.checks?.medications?.unverified ?? []), ...fromTool.map((m) => m.name)])];
}

/**
 * Sure when the patient was found and every medication verified; less for each thing that was not, and
 * less when the extraction it builds on was itself unsure (a document in another language).
 */
function confidenceOf(
  input: ClinicalInput,
  unverified: readonly string[],
  notes: string[],
): { confidence: number; rationale: string } {
  const checks: ChecksInput | null = input.checks;
  let value = 0.9;
  if (!checks) {
    value = 0.55;
    notes.push('no checks in the input');
  }
  const found = checks?.patient?.found ?? input.tools.get('lookupPatient')?.found ?? false;
  if (!found) {
    value -= 0.2;
    notes.push('patient not found in the record');
  } else notes.push(`patient found${checks?.patient?.by ? ` by ${humanize(checks.patient.by)}` : ''}`);
  const extracted = input.extraction?.confidence ?? null;
  if (extracted !== null && extracted < 0.5) {
    value -= 0.2;
    notes.push(`the extraction is unsure (${extracted})`);
  }
  if (unverified.length > 0) {
    value -= Math.min(0.24, 0.08 * unverified.length);
    notes.push(`${unverified.length} unverified medication(s)`);
  }
  return { confidence: Math.round(Math.max(0.3, value) * 100) / 100, rationale: prose.rationale(notes) };
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
