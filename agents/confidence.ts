/**
 * Each agent's confidence, computed instead of taken from the model: pure and deterministic (workflow
 * code calls it at the gates). The number is
 *
 *     value = min(model, logprob) × Π over checks (1 − penalty × (1 − score))
 *
 * - `model`: what the model says of itself. Models overstate it, so it can lower the number, never raise it.
 * - `logprob`: the least probable of the enum values that count for the agent (classifier: matter type and
 *   jurisdiction), from the model's token logprobs; absent for models without them (o1), then `model` alone.
 * - checks of the output against what Docket knows, each with a score in 0..1 and a penalty: the share
 *   it takes off when it fails entirely. A check that does not apply scores 1 and says why.
 *
 * Changing a penalty changes what running workflows decide on replay: do it behind a new patch marker.
 */
import { Jurisdiction, isCalendarDate, type ComputedConfidence, type ConfidenceCheck } from '../domain';
import type { Classification } from './classifier';
import type { Draft } from './drafter';
import type { Assessment } from './reasoner';
import type { LookupClientResult } from './tools';

export const CONFIDENCE_FORMULA = 'min(model, logprob) × Π checks (1 − penalty × (1 − score))';

/** The share of the confidence each check takes off when it fails entirely. */
export const CHECK_PENALTIES = {
  /** No jurisdiction the firm serves: the limitation check cannot run and the matter may not be ours. */
  jurisdiction: 0.3,
  /** The directory does not know the client. A new client is normal, so it costs little. */
  client: 0.1,
  /** The assessment names a client id the directory lookup did not return. */
  clientId: 0.3,
  /** A date that is no calendar date, or an event dated after today. */
  dates: 0.5,
  /** A party or pseudonym token the intake never names: the model made it up or mixed it up. */
  parties: 0.5,
} as const;

/** A directory match at or above this score is the client (1 = same normalised name or e-mail). */
const KNOWN_CLIENT_SCORE = 0.9;

/** Enum fields whose chosen value's probability counts, per agent: those that route and time the matter. */
const SCORED_CHOICES = {
  classifier: ['matterType', 'jurisdiction'],
  reasoner: ['conflictStatus', 'recommendedQueue', 'priority'],
  drafter: [],
} as const;

/** Key dates that record something that has happened, so they cannot lie after today. */
const PAST_EVENTS = new Set(['incident', 'termination', 'contract']);

export interface ConfidenceEvidence {
  /** The turn's chosen-value probabilities (ModelTurn.choiceProbabilities); absent without logprobs. */
  choices?: Record<string, number>;
  /** Everything the agent was given to read (the pseudonymized intake; for the drafter, the earlier outputs too). */
  sourceText: string;
  /** Today in workflow time. */
  today: string;
}

/** The classifier: jurisdiction served, client known to the directory, dates that parse, parties named. */
export function classifierConfidence(
  output: Classification,
  evidence: ConfidenceEvidence & { clientLookup: LookupClientResult | null },
): ComputedConfidence {
  const { client } = output;
  const names = [client.organization, client.name, ...output.opposingParties].filter(
    (name): name is string => !!name,
  );
  return combine('classifier', output.confidence, evidence.choices, {
    jurisdiction: jurisdictionCheck(output.jurisdiction),
    client: clientCheck(client, evidence.clientLookup),
    dates: datesCheck(output.keyDates, evidence.today),
    parties: partiesCheck(names, evidence.sourceText, 'party'),
  });
}

/** The reasoner: the client id it names came from the directory, its deadline is a date. */
export function reasonerConfidence(
  output: Assessment,
  evidence: ConfidenceEvidence & { clientLookup: LookupClientResult | null },
): ComputedConfidence {
  const deadline = output.limitationDeadline;
  return combine('reasoner', output.confidence, evidence.choices, {
    clientId: clientIdCheck(output.existingClientId, evidence.clientLookup),
    dates: datesCheck(deadline === null ? [] : [{ kind: 'deadline', date: deadline }], evidence.today),
  });
}

/** The drafter: every pseudonym token in its texts is one its input holds. */
export function drafterConfidence(output: Draft, evidence: ConfidenceEvidence): ComputedConfidence {
  const text = [
    output.matterSummary,
    output.clientAcknowledgement.subject,
    output.clientAcknowledgement.body,
  ];
  const tokens = [...new Set(text.join('\n').match(PSEUDONYM) ?? [])];
  return combine('drafter', output.confidence, evidence.choices, {
    parties: partiesCheck(tokens, evidence.sourceText, 'name'),
  });
}

/** The formula itself, over the parts. */
export function combine(
  agent: keyof typeof SCORED_CHOICES,
  model: number,
  choices: Record<string, number> | undefined,
  checks: Record<string, ConfidenceCheck>,
): ComputedConfidence {
  const scored = (SCORED_CHOICES[agent] as readonly string[])
    .map((field) => choices?.[field])
    .filter((p): p is number => typeof p === 'number');
  const logprob = scored.length > 0 ? Math.min(...scored) : null;
  const factor = Object.values(checks).reduce((product, check) => product * check.factor, 1);
  return {
    value: round(Math.min(model, logprob ?? model) * factor),
    formula: CONFIDENCE_FORMULA,
    parts: { model, logprob, choices: { ...(choices ?? {}) }, checks },
  };
}

function check(name: keyof typeof CHECK_PENALTIES, score: number, detail: string): ConfidenceCheck {
  const penalty = CHECK_PENALTIES[name];
  const bounded = Math.min(1, Math.max(0, score));
  return { score: round(bounded), penalty, factor: round(1 - penalty * (1 - bounded)), detail };
}

function jurisdictionCheck(jurisdiction: string | null): ConfidenceCheck {
  if (jurisdiction !== null && Jurisdiction.safeParse(jurisdiction).success) {
    return check('jurisdiction', 1, `${jurisdiction} is a jurisdiction the firm serves`);
  }
  return check('jurisdiction', 0, 'no jurisdiction the firm serves');
}

function clientCheck(client: Classification['client'], lookup: LookupClientResult | null): ConfidenceCheck {
  if (!client.organization && !client.name && !client.email) {
    return check('client', 0, 'the classification names no client to look up');
  }
  const best = lookup?.matches[0]?.score ?? 0;
  if (!lookup) return check('client', 0, 'the client directory was not consulted');
  if (best >= KNOWN_CLIENT_SCORE) return check('client', 1, 'the client directory knows the client');
  if (best > 0) {
    return check('client', best, `the client directory has only a similar name (match ${best.toFixed(2)})`);
  }
  return check('client', 0, 'the client directory does not know the client');
}

function clientIdCheck(clientId: string | null, lookup: LookupClientResult | null): ConfidenceCheck {
  if (clientId === null) return check('clientId', 1, 'no existing client named');
  if (lookup?.matches.some((match) => match.clientId === clientId)) {
    return check('clientId', 1, 'the client id is one the directory lookup returned');
  }
  return check('clientId', 0, 'the client id is not one the directory lookup returned');
}

function datesCheck(dates: ReadonlyArray<{ kind: string; date: string }>, today: string): ConfidenceCheck {
  if (dates.length === 0) return check('dates', 1, 'no dates to check');
  const bad = dates.filter((d) => !isCalendarDate(d.date) || (PAST_EVENTS.has(d.kind) && d.date > today));
  const detail =
    bad.length === 0
      ? `${dates.length} date${dates.length === 1 ? '' : 's'}, each a calendar date`
      : `${bad.length} of ${dates.length} dates are no calendar date or lie after today: ${bad
          .map((d) => `${d.kind} ${d.date}`)
          .join(', ')}`;
  return check('dates', (dates.length - bad.length) / dates.length, detail);
}

/** Pseudonym tokens as Docket writes them into the text models see. */
const PSEUDONYM = /\[[A-Z]+_\d+\]/g;

function partiesCheck(names: readonly string[], sourceText: string, what: string): ConfidenceCheck {
  if (names.length === 0) return check('parties', 1, `no ${what} named`);
  const source = normalize(sourceText);
  const missing = names.filter((name) => !source.includes(normalize(name)));
  const detail =
    missing.length === 0
      ? `every ${what} named (${names.length}) is in the intake`
      : `${missing.length} of ${names.length} named are not in the intake: ${missing.join(', ')}`;
  return check('parties', (names.length - missing.length) / names.length, detail);
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

function round(n: number): number {
  return Math.round(n * 1e4) / 1e4;
}
