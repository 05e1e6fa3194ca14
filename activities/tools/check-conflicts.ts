import { CheckConflictsArgs, type CheckConflictsResult } from '../../agents';
import { normalizeName } from '../../db';
import { invalidToolArguments, parseToolArgs } from './arguments';
import type { ToolDeps } from './deps';
import { CONFLICT_THRESHOLD, nameSimilarity } from './name-match';

type Hit = CheckConflictsResult['hits'][number];

/** Enough for any real intake (the classifier reports at most 20 opposing parties). */
const MAX_PARTIES = 25;
const MAX_NAME_LENGTH = 300;
/** Keeps the result (and so the workflow history) small; the status already says there is a conflict. */
const MAX_HITS = 10;

interface ClientRow {
  client_id: string;
  name: string;
  name_normalized: string;
  open_matter_id: string | null;
}

interface AdversePartyRow {
  name: string;
  name_normalized: string;
  matter_id: string;
}

const CLIENTS_WITH_OPEN_MATTER = `SELECT c.client_id, c.name, c.name_normalized,
         (SELECT m.matter_id FROM matters m
           WHERE m.client_id = c.client_id AND m.status = 'open'
           ORDER BY m.opened_at, m.matter_id LIMIT 1) AS open_matter_id
    FROM clients c ORDER BY c.client_id`;

const ADVERSE_PARTIES_OF_OPEN_MATTERS = `SELECT a.name, a.name_normalized, a.matter_id
    FROM adverse_parties a JOIN matters m ON m.matter_id = a.matter_id
   WHERE m.status = 'open' ORDER BY a.matter_id, a.id`;

/**
 * `checkConflicts`: the conflict-of-interest check before a matter is opened. Two relations count:
 * an opposing party who is (or was) the firm's client, and a prospective client who is on the other side
 * of an open matter. An opposing party that is already adverse elsewhere is not a conflict.
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

    // The two lists are read together: one wait on the database, not two in a row.
    const [clients, adverse] = await Promise.all([
      opposing.length > 0 ? db.query<ClientRow>(CLIENTS_WITH_OPEN_MATTER).then((r) => r.rows) : [],
      client ? db.query<AdversePartyRow>(ADVERSE_PARTIES_OF_OPEN_MATTERS).then((r) => r.rows) : [],
    ]);
    const hits: Hit[] = [
      ...opposing.flatMap((party) =>
        matching(party, clients).map(({ row, score }) => ({
          party,
          matchedName: row.name,
          relation: 'adverse_party_is_client' as const,
          matterId: row.open_matter_id,
          score,
        })),
      ),
      ...matching(client, adverse).map(({ row, score }) => ({
        party: client,
        matchedName: row.name,
        relation: 'client_is_adverse_party' as const,
        matterId: row.matter_id,
        score,
      })),
    ];

    const result: CheckConflictsResult = {
      status: hits.length > 0 ? 'potential_conflict' : 'clear',
      hits: hits.sort((a, b) => b.score - a.score).slice(0, MAX_HITS),
      checkedParties: client ? [client, ...opposing] : opposing,
    };
    log.info(
      { parties: result.checkedParties.length, hits: hits.length, status: result.status },
      'conflict check',
    );
    return result;
  };
}

function matching<Row extends { name_normalized: string }>(
  name: string,
  rows: Row[],
): Array<{ row: Row; score: number }> {
  const wanted = normalizeName(name);
  return rows
    .map((row) => ({ row, score: nameSimilarity(wanted, row.name_normalized) }))
    .filter((m) => m.score >= CONFLICT_THRESHOLD);
}
