/**
 * The mandatory checks of a legal intake, run by the workflow itself with arguments it derives from the
 * classification and the intake, never from the reasoner's choice: a conflict check over the client and
 * every opposing party, and a limitation check from jurisdiction, matter type and dates.
 */
import {
  INVALID_TOOL_ARGUMENTS,
  type CheckConflictsArgs,
  type Classification,
  type LimitationPeriodArgs,
  type LookupClientResult,
} from '../../agents';
import type { DocketActivities } from '../../activities';
import { senderName, type IntakeRequest } from '../../domain';
import { activityApplicationFailure, proxiesBothWays } from '../activity-proxies';
import type { ConflictCheckRun, LimitationCheckRun } from './status';

/** The tools the workflow calls itself. */
export type CheckTools = Pick<
  DocketActivities,
  'checkConflicts' | 'limitationPeriod' | 'lookupClient' | 'checkIntakeConflicts' | 'limitationCandidates'
>;

const checkActivities = proxiesBothWays({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 10,
    nonRetryableErrorTypes: [INVALID_TOOL_ARGUMENTS],
  },
});

/**
 * The checks' tools as local activities (runs with the `local-activities` marker: a few database reads,
 * run by the worker that runs the workflow, with no task of their own on the server) or as activities.
 */
export function checkTools(local: boolean): CheckTools {
  return local ? checkActivities.local : checkActivities.remote;
}

/** Incident dates that start a limitation period, in order of preference. */
const PERIOD_STARTS = ['incident', 'termination', 'contract'] as const;

/**
 * The conflict checks to run: the classifier's client (organisation first) against every opposing party,
 * then each other identity the intake gives for the client on its own: the person behind an organisation,
 * and the sender as written in the intake's `From:`.
 */
export function conflictCheckArgs(
  classification: Classification,
  intake: Pick<IntakeRequest, 'from'>,
): Array<{ args: CheckConflictsArgs; missing: string[] }> {
  const { organization, name } = classification.client;
  const sender = senderName(intake.from);
  const client = organization ?? name ?? sender;
  const checks = [
    {
      args: { prospectiveClient: client, opposingParties: classification.opposingParties },
      missing: client ? [] : ['client identity'],
    },
  ];
  const checked = new Set([client?.toLowerCase()]);
  for (const other of [name, sender]) {
    if (!other || checked.has(other.toLowerCase())) continue;
    checked.add(other.toLowerCase());
    checks.push({ args: { prospectiveClient: other, opposingParties: [] }, missing: [] });
  }
  return checks;
}

export function limitationCheckArgs(classification: Classification): LimitationPeriodArgs {
  const dates = classification.keyDates;
  const start = PERIOD_STARTS.map((kind) => dates.find((d) => d.kind === kind)).find(Boolean);
  return {
    jurisdiction: classification.jurisdiction,
    matterType: classification.matterType,
    incidentDate: start?.date ?? null,
  };
}

export async function runConflictCheck(
  tools: CheckTools,
  planned: { args: CheckConflictsArgs; missing: string[] },
  at: string,
): Promise<ConflictCheckRun> {
  try {
    const result = await tools.checkConflicts(planned.args);
    return { source: 'workflow', at, result, missing: planned.missing };
  } catch (err) {
    return { source: 'workflow', at, result: null, missing: [...planned.missing, invalidArguments(err)] };
  }
}

/**
 * The conflict check over every identity in the intake (runs with `checks-over-every-identity`): the
 * sender, the signature, the classifier's client and parties, and every name the recognizer found.
 */
export async function runIntakeConflictCheck(
  tools: CheckTools,
  classification: Classification,
  at: string,
): Promise<ConflictCheckRun> {
  const { name, organization } = classification.client;
  const { result, missing } = await tools.checkIntakeConflicts({
    client: { name, organization },
    opposingParties: classification.opposingParties,
  });
  return { source: 'workflow', at, result, missing };
}

/**
 * The limitation rule counted from every other date the intake writes (runs with
 * `checks-over-every-identity`): one run per candidate date, and what kept any from being checked.
 */
export async function runLimitationCandidates(
  tools: CheckTools,
  args: LimitationPeriodArgs,
  asOf: string,
): Promise<{ runs: LimitationCheckRun[]; missing: string[] }> {
  const { candidates, missing } = await tools.limitationCandidates({ ...args, asOf });
  const runs = candidates.map((c): LimitationCheckRun => ({
    source: 'workflow',
    at: asOf,
    args: c.args,
    result: c.result,
    missing: [],
    candidate: c.candidate,
  }));
  return { runs, missing };
}

/** `asOf` is today in workflow time, so a rerun after a wait counts the days from the rerun. */
export async function runLimitationCheck(
  tools: CheckTools,
  args: LimitationPeriodArgs,
  asOf: string,
): Promise<LimitationCheckRun> {
  try {
    const result = await tools.limitationPeriod({ ...args, asOf });
    return { source: 'workflow', at: asOf, args, result, missing: limitationGaps(args, result) };
  } catch (err) {
    return { source: 'workflow', at: asOf, args, result: null, missing: [invalidArguments(err)] };
  }
}

/** What kept the limitation check from a deadline: no jurisdiction, or a rule but no date to count from. */
export function limitationGaps(
  args: LimitationPeriodArgs,
  result: { known: boolean; periodMonths: number | null },
): string[] {
  if (result.known) return [];
  if (args.jurisdiction === null) return ['jurisdiction'];
  if (result.periodMonths !== null && args.incidentDate === null) return ['incident date'];
  return [];
}

/**
 * The classifier's client in the firm's directory (organisation first, and the e-mail), for its computed
 * confidence; null when the classification names no one or the tool refused the arguments.
 */
export async function runClientLookup(
  tools: CheckTools,
  client: Classification['client'],
): Promise<LookupClientResult | null> {
  const name = client.organization ?? client.name;
  if (!name && !client.email) return null;
  try {
    return await tools.lookupClient({ name, email: client.email });
  } catch (err) {
    invalidArguments(err);
    return null;
  }
}

/** A check whose derived arguments the tool refused runs no further; a person sees why. */
function invalidArguments(err: unknown): string {
  const failure = activityApplicationFailure(err);
  if (failure?.type === INVALID_TOOL_ARGUMENTS) return `valid arguments (${failure.message})`;
  throw err;
}
