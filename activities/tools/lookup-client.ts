import { LookupClientArgs, type LookupClientResult } from '../../agents';
import { normalizeName } from '../../db';
import { parseToolArgs } from './arguments';
import type { ToolDeps } from './deps';
import { nameSimilarity } from './name-match';

/** Below this a directory entry is not worth showing the model. */
const MIN_SCORE = 0.5;
const MAX_MATCHES = 5;

interface ClientRow {
  client_id: string;
  name: string;
  name_normalized: string;
  email: string | null;
  kind: 'person' | 'organization';
}

/** `lookupClient`: the directory entries that may be the prospective client, best first (at most 5). */
export function createLookupClient({ db, logger }: ToolDeps) {
  const log = logger.child({ activity: 'lookupClient' });
  return async function lookupClient(args: LookupClientArgs): Promise<LookupClientResult> {
    const { name, email } = parseToolArgs('lookupClient', LookupClientArgs, args);
    const wantedName = name ? normalizeName(name) : '';
    const wantedEmail = email?.trim().toLowerCase() ?? '';
    if (!wantedName && !wantedEmail) {
      log.info({ matches: 0, searched: 'nothing' }, 'client lookup');
      return { matches: [] };
    }

    const { rows } = await db.query<ClientRow>(
      'SELECT client_id, name, name_normalized, email, kind FROM clients ORDER BY client_id',
    );
    const matches = rows
      .map((row) => ({
        row,
        score:
          wantedEmail && row.email?.trim().toLowerCase() === wantedEmail
            ? 1
            : nameSimilarity(wantedName, row.name_normalized),
      }))
      .filter((m) => m.score >= MIN_SCORE)
      .sort((a, b) => b.score - a.score)
      .slice(0, MAX_MATCHES)
      .map(({ row, score }) => ({
        clientId: row.client_id,
        name: row.name,
        email: row.email,
        kind: row.kind,
        score,
      }));

    log.info(
      {
        matches: matches.length,
        topScore: matches[0]?.score ?? null,
        byName: !!wantedName,
        byEmail: !!wantedEmail,
      },
      'client lookup',
    );
    return { matches };
  };
}
