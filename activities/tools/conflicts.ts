/**
 * The firm's conflict rule over names with a role, shared by the reasoner's `checkConflicts` tool and the
 * workflow's check over every identity in an intake (activities/identity-checks.ts):
 * - a name on the client's side (the classifier's client, the sender, the sender's signature) conflicts
 *   when it is adverse in an open matter;
 * - a name on the other side, or one only mentioned, conflicts when it is a current or a former client.
 * An opposing party that is already adverse elsewhere is not a conflict: the interests are aligned.
 */
import type { CheckConflictsResult, ConflictGround, NameSource } from '../../agents';
import type { Queryable } from '../../db';
import { matchNames, type NameMatch } from './name-match';

type Hit = CheckConflictsResult['hits'][number];

/** Which side of the matter a checked name is on, as far as the intake says. */
export type NameRole = 'client' | 'opposing' | 'mentioned';

/** A name to check, as written, with where it came from and its role. */
export interface CheckedName {
  name: string;
  source: NameSource;
  role: NameRole;
}

export interface ClientRow {
  client_id: string;
  name: string;
  kind: 'person' | 'organization';
  /** The client's first open matter; null for a client with none. */
  open_matter_id: string | null;
  /** Has matters, none of them open. */
  former: boolean;
}

export interface AdversePartyRow {
  id: string;
  name: string;
  matter_id: string;
}

/** What the rule reads: every client, and the adverse parties of open matters. */
export interface ConflictDirectory {
  clients: ClientRow[];
  adverse: AdversePartyRow[];
}

const CLIENTS = `SELECT c.client_id, c.name, c.kind,
         (SELECT m.matter_id FROM matters m
           WHERE m.client_id = c.client_id AND m.status = 'open'
           ORDER BY m.opened_at, m.matter_id LIMIT 1) AS open_matter_id,
         (EXISTS (SELECT 1 FROM matters m WHERE m.client_id = c.client_id)
           AND NOT EXISTS (SELECT 1 FROM matters m
                            WHERE m.client_id = c.client_id AND m.status = 'open')) AS former
    FROM clients c ORDER BY c.client_id`;

const ADVERSE_PARTIES_OF_OPEN_MATTERS = `SELECT a.id, a.name, a.matter_id
    FROM adverse_parties a JOIN matters m ON m.matter_id = a.matter_id
   WHERE m.status = 'open' ORDER BY a.matter_id, a.id`;

/** Reads the lists the names need (both together: one wait on the database, not two in a row). */
export async function readConflictDirectory(
  db: Queryable,
  names: readonly CheckedName[],
): Promise<ConflictDirectory> {
  const needsClients = names.some((n) => n.role !== 'client');
  const needsAdverse = names.some((n) => n.role === 'client');
  const [clients, adverse] = await Promise.all([
    needsClients ? db.query<ClientRow>(CLIENTS).then((r) => r.rows) : [],
    needsAdverse ? db.query<AdversePartyRow>(ADVERSE_PARTIES_OF_OPEN_MATTERS).then((r) => r.rows) : [],
  ]);
  return { clients, adverse };
}

/** Every hit of the rule for these names, best first; each name's best match per directory row. */
export function conflictHits(names: readonly CheckedName[], directory: ConflictDirectory): Hit[] {
  const hits = names.flatMap((checked) =>
    checked.role === 'client'
      ? directory.adverse.flatMap((row) => {
          const match = matchNames(checked.name, row.name);
          return match ? [adverseHit(checked, row, match)] : [];
        })
      : directory.clients.flatMap((row) => {
          const match = matchNames(checked.name, row.name, row.kind);
          return match ? [clientHit(checked, row, match)] : [];
        }),
  );
  return hits.sort((a, b) => b.score - a.score);
}

function adverseHit(checked: CheckedName, row: AdversePartyRow, match: NameMatch): Hit {
  return {
    party: checked.name,
    matchedName: row.name,
    relation: 'client_is_adverse_party',
    matterId: row.matter_id,
    score: match.score,
    source: checked.source,
    match: match.kind,
    row: { table: 'adverse_parties', id: row.id },
    ground: 'adverse_in_open_matter',
  };
}

function clientHit(checked: CheckedName, row: ClientRow, match: NameMatch): Hit {
  const ground: ConflictGround = row.former ? 'former_client' : 'current_client';
  return {
    party: checked.name,
    matchedName: row.name,
    relation: 'adverse_party_is_client',
    matterId: row.open_matter_id,
    score: match.score,
    source: checked.source,
    match: match.kind,
    row: { table: 'clients', id: row.client_id },
    ground,
  };
}
