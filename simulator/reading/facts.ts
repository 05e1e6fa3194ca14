import { findDates, type DateMention } from './dates';
import { chooseValue, type EnumChoice } from './keyword-score';
import { JURISDICTIONS, MATTER_TYPES, URGENCIES } from './keywords';
import { findIdentity, findOpposingParties, type Identity } from './parties';
import { findKey, isRecord, type Reading } from './reading';

/** Where a fact came from: an earlier stage's structured output, or the simulator's own reading of the text. */
export type Source = 'structured' | 'text';

export type SourcedChoice = EnumChoice & { from: Source };

/** The matter as the simulator understands it, independent of the schema being filled. */
export interface Facts {
  client: Identity;
  clientFrom: Source;
  opposingParties: string[];
  dates: DateMention[];
  matterType: SourcedChoice;
  urgency: SourcedChoice;
  jurisdiction: SourcedChoice;
}

/**
 * Structured values win: when an earlier stage's output (the classification inside the reasoner's
 * or drafter's input) names the client, the parties or the dates, they are reused as given, so the
 * stages agree with each other. Otherwise everything is read from the text.
 */
export function readFacts(reading: Reading): Facts {
  const docs = reading.documents;
  const structuredClient = findKey(docs, 'client');
  const sender = findKey(docs, 'from');
  const identity = findIdentity(reading.text, typeof sender === 'string' ? sender : null);
  const client = isRecord(structuredClient) ? asIdentity(structuredClient) : identity;
  const structuredParties = findKey(docs, 'opposingParties');
  const structuredDates = findKey(docs, 'keyDates');
  return {
    client,
    clientFrom: isRecord(structuredClient) ? 'structured' : 'text',
    opposingParties: isStringArray(structuredParties)
      ? structuredParties
      : findOpposingParties(reading.text, client, identity.organizations),
    dates: Array.isArray(structuredDates) ? structuredDates.flatMap(asDateMention) : findDates(reading.text),
    matterType: sourced(docs, 'matterType', MATTER_TYPES, reading.text, false),
    urgency: sourced(docs, 'urgency', URGENCIES, reading.text, false),
    jurisdiction: sourced(docs, 'jurisdiction', JURISDICTIONS, reading.text, true),
  };
}

/** The date of the event the claim arises from (an incident, or a termination), if any. */
export function incidentDate(facts: Facts): string | null {
  return facts.dates.find((d) => d.kind === 'incident' || d.kind === 'termination')?.date ?? null;
}

function sourced(docs: Reading['documents'], key: string, values: string[], text: string, nullable: boolean) {
  const given = findKey(docs, key);
  if (typeof given === 'string' || (given === null && nullable)) {
    return { value: given, hits: [], best: 1, second: 0, from: 'structured' as const };
  }
  return { ...chooseValue(values, text, nullable), from: 'text' as const };
}

function asIdentity(record: Record<string, unknown>): Identity {
  const text = (key: string) =>
    typeof record[key] === 'string' && record[key] ? (record[key] as string) : null;
  return {
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    organization: text('organization'),
  };
}

function asDateMention(item: unknown): DateMention[] {
  if (!isRecord(item) || typeof item.date !== 'string') return [];
  return [
    {
      date: item.date,
      kind: typeof item.kind === 'string' ? item.kind : 'other',
      description: typeof item.description === 'string' ? item.description : '',
    },
  ];
}

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}
