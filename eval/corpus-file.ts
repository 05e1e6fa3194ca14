/**
 * Reading a corpus file: JSON Lines, one item a line, each validated by the corpus's schema, with errors that
 * name the file, the line and the field. Every corpus (legal intake's, the clinical summary's) reads this way.
 */
import { readFileSync } from 'node:fs';
import type { z } from 'zod';

/** A corpus line that is not a valid item, or repeats an id; the message reads `file:line: field: problem`. */
export class CorpusError extends Error {
  override readonly name = 'CorpusError';

  constructor(
    readonly file: string,
    readonly line: number,
    /** Dotted path of the offending field (`expected.opposingParties[1]`), or null when the line is not JSON. */
    readonly field: string | null,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${field === null ? '' : `${field}: `}${problem}`);
  }
}

/**
 * Every item of the given JSON Lines files, in order, each validated by `schema`. Blank lines are skipped.
 * Throws a CorpusError at the first bad line, and at an id already used on an earlier line of any of the files.
 */
export function loadItems<T extends { id: string }>(paths: readonly string[], schema: z.ZodType<T>): T[] {
  const items: T[] = [];
  const firstSeen = new Map<string, string>();
  for (const file of paths) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      const item = parseLine(text, schema, file, line);
      const earlier = firstSeen.get(item.id);
      if (earlier)
        throw new CorpusError(file, line, 'id', `duplicate id "${item.id}", first used at ${earlier}`);
      firstSeen.set(item.id, `${file}:${line}`);
      items.push(item);
    });
  }
  return items;
}

function parseLine<T>(text: string, schema: z.ZodType<T>, file: string, line: number): T {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CorpusError(file, line, null, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const [issue] = parsed.error.issues;
  const where = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]] : issue.path;
  const more = parsed.error.issues.length > 1 ? ` (and ${parsed.error.issues.length - 1} more)` : '';
  throw new CorpusError(file, line, fieldPath(where) || '(item)', `${issue.message}${more}`);
}

/** `['expected', 'opposingParties', 1]` → `expected.opposingParties[1]`. */
function fieldPath(parts: readonly PropertyKey[]): string {
  return parts
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : `${i === 0 ? '' : '.'}${String(part)}`))
    .join('');
}
