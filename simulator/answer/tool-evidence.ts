import { isRecord, type ToolResult } from '../reading/reading';

/**
 * What the tool results in a conversation establish, recognised by shape rather than by tool name
 * (a conflict check has `status` and `hits`, a limitation result has `known`, a directory lookup
 * has `matches`), so renamed or new tools with the same shapes work too.
 */
export interface ToolEvidence {
  conflict: { status: string; hits: Record<string, unknown>[] } | null;
  limitation: { known: boolean; deadline: string | null; daysRemaining: number | null } | null;
  lookup: { matches: Record<string, unknown>[]; strongMatch: Record<string, unknown> | null } | null;
  /** Tools that answered with `{ error }` instead of a result. */
  failed: string[];
}

export function readToolEvidence(results: readonly ToolResult[]): ToolEvidence {
  const evidence: ToolEvidence = { conflict: null, limitation: null, lookup: null, failed: [] };
  for (const { name, value } of results) {
    if (!isRecord(value)) continue;
    if ('error' in value) evidence.failed.push(name ?? 'a tool');
    if (typeof value.status === 'string' && Array.isArray(value.hits)) {
      evidence.conflict = { status: value.status, hits: value.hits.filter(isRecord) };
    }
    if (typeof value.known === 'boolean') {
      evidence.limitation = {
        known: value.known,
        deadline: typeof value.deadline === 'string' ? value.deadline : null,
        daysRemaining: typeof value.daysRemaining === 'number' ? value.daysRemaining : null,
      };
    }
    if (Array.isArray(value.matches)) {
      const matches = value.matches.filter(isRecord);
      evidence.lookup = { matches, strongMatch: matches.find(isStrong) ?? null };
    }
  }
  return evidence;
}

/** One line per tool for a rationale: what it found, without personal details. */
export function describeEvidence(evidence: ToolEvidence): string[] {
  const lines: string[] = [];
  const { conflict, limitation, lookup } = evidence;
  if (conflict) {
    const hits = conflict.hits.length;
    lines.push(
      `conflict check returned ${conflict.status}${hits > 0 ? ` with ${hits} hit${hits === 1 ? '' : 's'}` : ''}`,
    );
  } else {
    lines.push('no conflict check result');
  }
  if (!limitation) lines.push('no limitation period result');
  else if (!limitation.known) lines.push('no limitation rule is known for this jurisdiction and matter type');
  else {
    const days = limitation.daysRemaining;
    lines.push(
      `limitation deadline ${limitation.deadline ?? 'unknown'}${days !== null ? ` (${days} days remaining)` : ''}`,
    );
  }
  if (lookup) {
    if (lookup.strongMatch) lines.push(`existing client ${String(lookup.strongMatch.clientId ?? 'found')}`);
    else if (lookup.matches.length > 0)
      lines.push(`${lookup.matches.length} similar client record(s), none exact`);
    else lines.push('no existing client found');
  }
  for (const name of evidence.failed) lines.push(`${name} returned an error`);
  return lines;
}

/** An enum value that a tool returned verbatim as a string (e.g. `"status":"potential_conflict"`), most frequent first. */
export function enumValueFromTools(
  values: readonly string[],
  results: readonly ToolResult[],
): string | undefined {
  const counts = new Map<string, number>();
  for (const { value } of results) {
    for (const s of stringValues(value)) if (values.includes(s)) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  let best: string | undefined;
  for (const value of values)
    if ((counts.get(value) ?? 0) > (best === undefined ? 0 : (counts.get(best) ?? 0))) best = value;
  return best;
}

/**
 * Values tools returned under the field's name, or under a key the field's name ends with
 * (`limitationDeadline` ← `deadline`, `existingClientId` ← `clientId`). Weak matches (an object
 * carrying a `score` below 1) are not evidence and are skipped.
 */
export function valuesFromTools(fieldKey: string, results: readonly ToolResult[]): unknown[] {
  const found: unknown[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    if (!isRecord(node) || (typeof node.score === 'number' && node.score < 1)) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === fieldKey || (key.length >= 5 && fieldKey.endsWith(key[0].toUpperCase() + key.slice(1)))) {
        found.push(value);
      }
      visit(value);
    }
  };
  results.forEach((result) => visit(result.value));
  return found;
}

function isStrong(match: Record<string, unknown>): boolean {
  return typeof match.score !== 'number' || match.score >= 1;
}

function stringValues(node: unknown): string[] {
  if (typeof node === 'string') return [node];
  if (Array.isArray(node)) return node.flatMap(stringValues);
  if (isRecord(node)) return Object.values(node).flatMap(stringValues);
  return [];
}
