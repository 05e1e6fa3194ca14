/**
 * The simulator's free text: short, deterministic sentences built only from what it found.
 * Nothing here promises an outcome or says the firm has agreed to act (the draft gate checks that).
 */
import { incidentDate, type Facts } from '../reading/facts';
import { isRecord, type Reading } from '../reading/reading';
import { humanize } from './fill';
import type { ToolEvidence } from './tool-evidence';

/** Keys an attorney's summary leaves out: scores and explanations, not facts. */
const NOT_FACTS = new Set(['confidence', 'fieldConfidence', 'rationale', 'today', 'description']);
const LONG_TEXT = 300;

export function rationale(notes: readonly string[]): string {
  const body = notes.length > 0 ? notes.join('; ') : 'no evidence beyond the schema';
  return `Simulated by docket-simulator: ${body}.`;
}

/** The structured input restated field by field, or, for a bare enquiry, the facts read from it. */
export function matterSummary(reading: Reading, facts: Facts): string {
  const sections = reading.documents.flatMap((document) =>
    Object.entries(document).flatMap(([key, value]) => {
      if (NOT_FACTS.has(key)) return [];
      if (typeof value === 'string' && value.length > LONG_TEXT) {
        return [`${capitalise(humanize(key))}: ${value.split(/\s+/).length} words, see the intake.`];
      }
      return [`${capitalise(humanize(key))}: ${render(value).replace(/\.$/, '')}.`];
    }),
  );
  if (sections.length > 0) return `Simulated matter summary. ${sections.join(' ')}`;
  const { client } = facts;
  const dates = facts.dates.map((d) => `${d.kind} ${d.date}`).join(', ');
  return [
    'Simulated matter summary.',
    `Matter type: ${facts.matterType.value ?? 'not known'}.`,
    `Jurisdiction: ${facts.jurisdiction.value ?? 'not known'}.`,
    `Client: ${client.organization ?? client.name ?? 'not known'}.`,
    `Opposing parties: ${facts.opposingParties.join(', ') || 'none named'}.`,
    `Key dates: ${dates || 'none given'}.`,
    `Enquiry: ${reading.text.replace(/\s+/g, ' ').slice(0, LONG_TEXT).trim()}`,
  ].join(' ');
}

export function acknowledgementSubject(facts: Facts): string {
  const topic = topicOf(facts);
  return topic ? `Your ${topic} enquiry: received` : 'Your enquiry: received';
}

export function acknowledgementBody(facts: Facts): string {
  const topic = topicOf(facts);
  const greeting = facts.client.name ? `Dear ${facts.client.name},` : 'Dear Sir or Madam,';
  return [
    greeting,
    `Thank you for contacting us${topic ? ` about your ${topic} matter` : ''}. We have received your enquiry, ` +
      'and a member of our intake team will review it and contact you about the next steps.',
    'Please note that this message only confirms receipt. It is not legal advice, it does not create a ' +
      'lawyer-client relationship, and no outcome can be promised at this stage.',
    'Kind regards,\nThe Intake Team',
  ].join('\n\n');
}

export function conflictDetails(evidence: ToolEvidence): string | null {
  const hits = evidence.conflict?.hits ?? [];
  if (hits.length === 0) return null;
  const described = hits.map((hit) => {
    const relation = typeof hit.relation === 'string' ? humanize(hit.relation) : 'possible conflict';
    const matter = typeof hit.matterId === 'string' ? `, matter ${hit.matterId}` : '';
    return `${String(hit.party ?? 'a party')} matches ${String(hit.matchedName ?? 'a record')} (${relation}${matter})`;
  });
  return `The conflict check found ${hits.length} hit${hits.length === 1 ? '' : 's'}: ${described.join('; ')}.`;
}

export function risks(evidence: ToolEvidence, facts: Facts): string[] {
  const out: string[] = [];
  for (const hit of evidence.conflict?.hits ?? []) {
    out.push(
      `Possible conflict of interest with ${String(hit.matchedName ?? hit.party ?? 'an existing party')}.`,
    );
  }
  const limitation = evidence.limitation;
  if (limitation && !limitation.known) {
    out.push(
      'No limitation rule is known for this jurisdiction and matter type: check the deadline by hand.',
    );
  } else if (limitation?.daysRemaining !== null && limitation?.daysRemaining !== undefined) {
    const days = limitation.daysRemaining;
    if (days < 0) out.push(`The limitation period appears to have ended on ${limitation.deadline}.`);
    else if (days <= 90) out.push(`The limitation period ends on ${limitation.deadline}, in ${days} days.`);
  }
  for (const name of evidence.failed) out.push(`The ${name} tool returned an error; its answer is missing.`);
  if (facts.jurisdiction.value === null) out.push('The jurisdiction whose law applies is not known.');
  return out;
}

export function missingInformation(facts: Facts): string[] {
  const { client } = facts;
  const out: string[] = [];
  if (!client.name && !client.organization) out.push('Name of the prospective client.');
  if (!client.email && !client.phone) out.push('Contact details (e-mail or phone).');
  if (facts.jurisdiction.value === null) out.push('Jurisdiction (the US state whose law applies).');
  if (facts.opposingParties.length === 0) out.push('Names of the opposing parties.');
  if (incidentDate(facts) === null) out.push('Date of the incident or event the matter arises from.');
  return out;
}

function topicOf(facts: Facts): string | null {
  const type = facts.matterType.value;
  return type && type !== 'other' ? humanize(type) : null;
}

function render(value: unknown): string {
  if (value === null || value === undefined) return 'not known';
  if (typeof value === 'string') return value.length > LONG_TEXT ? `${value.slice(0, LONG_TEXT)}…` : value;
  if (typeof value !== 'object') return String(value);
  if (Array.isArray(value)) {
    if (value.length === 0) return 'none';
    return value.map((item) => (isRecord(item) ? compact(item) : render(item).replace(/\.$/, ''))).join('; ');
  }
  const entries = Object.entries(value).filter(([key]) => !NOT_FACTS.has(key));
  return entries
    .map(
      ([key, item]) =>
        `${humanize(key)}: ${isRecord(item) ? compact(item) : render(item).replace(/\.$/, '')}`,
    )
    .join('; ');
}

/** An object inside another, as its short values in a row: `incident 2026-09-14`. */
function compact(record: Record<string, unknown>): string {
  const parts = Object.entries(record)
    .filter(
      ([key, v]) =>
        !NOT_FACTS.has(key) && (typeof v === 'string' || typeof v === 'number') && String(v).length <= 60,
    )
    .map(([, v]) => String(v));
  return parts.join(' ') || 'not known';
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
