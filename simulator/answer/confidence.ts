/**
 * Confidence the simulator reports, derived from evidence so that a clear enquiry scores high and a
 * vague one low, as a careful model would. The numbers are tuned, not learned: see the tests for
 * the behaviour they must keep (clear intake ≥ 0.85, vague intake < 0.6).
 */
import type { EnumChoice } from '../reading/keyword-score';
import type { Facts } from '../reading/facts';
import { findKey, isRecord, type Reading } from '../reading/reading';
import type { ToolEvidence } from './tool-evidence';

export interface Confidence {
  value: number;
  /** What the number rests on, for the rationale. */
  basis: string;
}

/** Fields whose weakest confidence caps a classification's overall confidence. */
const KEY_FIELDS = ['matterType', 'jurisdiction', 'client'];

/** Topic keywords: the margin between the best and the second-best value counts most. */
export function choiceConfidence(choice: Pick<EnumChoice, 'best' | 'second'>): number {
  if (choice.best === 0) return 0.3;
  const margin = Math.min(choice.best - choice.second, 3);
  return round(Math.min(0.97, 0.5 + 0.15 * margin + 0.05 * Math.min(choice.best, 3)));
}

/** A named state or city is strong evidence on its own; two different places are not. */
export function placeConfidence(choice: EnumChoice): number {
  if (choice.value === null || choice.best === 0) return 0.3;
  if (choice.best === choice.second) return 0.5;
  return round(0.88 + 0.03 * Math.min(choice.best - 1, 3));
}

export function fieldConfidences(facts: Facts): Record<string, number> {
  const { client } = facts;
  const contact = Boolean(client.email) || Boolean(client.phone);
  const who = Boolean(client.name) || Boolean(client.organization);
  let clientConfidence = 0.2;
  if (who && contact) clientConfidence = client.email && client.phone ? 0.95 : 0.9;
  else if (who) clientConfidence = 0.6;
  else if (contact) clientConfidence = 0.5;
  return {
    matterType: choiceConfidence(facts.matterType),
    urgency: facts.urgency.best === 0 ? 0.7 : choiceConfidence(facts.urgency),
    jurisdiction: placeConfidence(facts.jurisdiction),
    client: clientConfidence,
    opposingParties: facts.opposingParties.length > 0 ? 0.85 : 0.45,
    keyDates: facts.dates.length > 0 ? 0.85 : 0.4,
  };
}

/**
 * The answer's overall confidence. With tool results: how conclusive they were. Building on earlier
 * stages' outputs: how much of them there is. Reading an enquiry: the weakest key field the schema asks for.
 */
export function overallConfidence(
  reading: Reading,
  facts: Facts,
  evidence: ToolEvidence,
  rootKeys: readonly string[],
): Confidence {
  if (reading.toolResults.length > 0) return toolConfidence(evidence);
  const earlier = earlierOutputs(reading);
  if (earlier > 0) {
    return { value: earlier >= 2 ? 0.9 : 0.75, basis: `built on ${earlier} earlier stage output(s)` };
  }
  const fields = fieldConfidences(facts);
  const asked = KEY_FIELDS.filter((key) => rootKeys.includes(key));
  if (asked.length > 0) {
    const weakest = asked.reduce((a, b) => (fields[b] < fields[a] ? b : a));
    return { value: fields[weakest], basis: `confidence capped by ${weakest} (${fields[weakest]})` };
  }
  const words = reading.text.split(/\s+/).filter(Boolean).length;
  const value = words >= 30 ? 0.75 : words >= 8 ? 0.6 : 0.4;
  return { value, basis: `${words} words of input` };
}

/**
 * How sure the simulator is of the enum value it chose at `path` (its logprobs carry this): reading an
 * enquiry, the field's own confidence; from tool results or earlier stages' outputs, the answer's overall
 * confidence. Never what an injected instruction told it to claim: that only changes the numbers it writes.
 */
export function choiceCertainty(
  path: readonly string[],
  reading: Reading,
  facts: Facts,
  evidence: ToolEvidence,
  rootKeys: readonly string[],
): number {
  const overall = overallConfidence(reading, facts, evidence, rootKeys).value;
  if (reading.toolResults.length > 0 || earlierOutputs(reading) > 0) return overall;
  const fields = fieldConfidences(facts);
  const [key] = path;
  if (path.length === 1 && key in fields) return fields[key];
  if (key === 'keyDates') return fields.keyDates;
  return overall;
}

/**
 * How conclusive the tools were. The classification's own gaps (no jurisdiction, no name) are not
 * counted again here: the classifier's gate has already put them to a reviewer, and a reviewer who
 * approved them should not be asked twice about the same thin facts.
 */
function toolConfidence(evidence: ToolEvidence): Confidence {
  let value = 0.92;
  const doubts: string[] = [];
  const doubt = (penalty: number, why: string) => {
    value -= penalty;
    doubts.push(why);
  };
  if (!evidence.conflict) doubt(0.35, 'no conflict check');
  if (!evidence.limitation) doubt(0.25, 'no limitation result');
  else if (!evidence.limitation.known) doubt(0.15, 'limitation unknown');
  // A new client is the normal case, so an empty lookup only costs a little.
  if (!evidence.lookup) doubt(0.05, 'no client lookup');
  else if (!evidence.lookup.strongMatch) doubt(0.03, 'client not in the directory');
  for (const name of evidence.failed) doubt(0.2, `${name} failed`);
  const basis =
    doubts.length > 0 ? `tool evidence, less for ${doubts.join(', ')}` : 'conclusive tool evidence';
  return { value: round(Math.max(0.05, value)), basis };
}

/** Outputs of earlier stages inside the input: objects that carry their own confidence. */
function earlierOutputs(reading: Reading): number {
  let count = 0;
  for (const document of reading.documents) {
    for (const value of Object.values(document)) {
      if (isRecord(value) && typeof value.confidence === 'number') count += 1;
    }
  }
  if (count === 0 && typeof findKey(reading.documents, 'confidence') === 'number') count = 1;
  return count;
}

function round(n: number): number {
  return Math.round(Math.min(1, Math.max(0, n)) * 100) / 100;
}
