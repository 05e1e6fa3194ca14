import { CheckConflictsArgs, type CheckConflictsResult } from '../../agents';
import { invalidToolArguments, parseToolArgs } from './arguments';
import type { ToolDeps } from './deps';
import { conflictHits, readConflictDirectory, type CheckedName } from './conflicts';

/** Enough for any real intake (the classifier reports at most 20 opposing parties). */
const MAX_PARTIES = 25;
const MAX_NAME_LENGTH = 300;
/** Keeps the result (and so the workflow history) small; the status already says there is a conflict. */
const MAX_HITS = 10;

/**
 * `checkConflicts`: the conflict-of-interest check before a matter is opened, over the names the model
 * gives (tools/conflicts.ts has the rule): an opposing party who is (or was) the firm's client, and a
 * prospective client who is on the other side of an open matter.
 */
export function createCheckConflicts({ db, logger }: ToolDeps) {
  const log = logger.child({ activity: 'checkConflicts' });
  return async function checkConflicts(args: CheckConflictsArgs): Promise<CheckConflictsResult> {
    const parsed = parseToolArgs('checkConflicts', CheckConflictsArgs, args);
    const client = parsed.prospectiveClient?.trim() ?? '';
    const opposing = [...new Set(parsed.opposingParties.map((p) => p.trim()).filter(Boolean))];
    if (opposing.length > MAX_PARTIES) {
      throw invalidToolArguments('checkConflicts', `opposingParties: at most ${MAX_PARTIES} names`);
    }
    if ([client, ...opposing].some((name) => name.length > MAX_NAME_LENGTH)) {
      throw invalidToolArguments('checkConflicts', `names must be at most ${MAX_NAME_LENGTH} characters`);
    }

    const names: CheckedName[] = [
      ...(client ? [{ name: client, source: 'model:client' as const, role: 'client' as const }] : []),
      ...opposing.map((name) => ({ name, source: 'model:opposing' as const, role: 'opposing' as const })),
    ];
    const hits = conflictHits(names, await readConflictDirectory(db, names));

    const result: CheckConflictsResult = {
      status: hits.length > 0 ? 'potential_conflict' : 'clear',
      hits: hits.slice(0, MAX_HITS),
      checkedParties: client ? [client, ...opposing] : opposing,
    };
    log.info(
      { parties: result.checkedParties.length, hits: hits.length, status: result.status },
      'conflict check',
    );
    return result;
  };
}
