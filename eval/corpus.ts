/**
 * The labelled evaluation corpus (DESIGN.md "Evaluation corpus format"): JSON Lines, one item a line, each an
 * intake as the API takes it and the fields a careful paralegal would expect for it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { normalizeName } from '../db';
import { IntakeRequest, Jurisdiction, MatterType, Urgency } from '../domain';

/** Where the shipped corpus files live: `dev.jsonl` for tuning, `test.jsonl` held out (see its README). */
export const CORPUS_DIR = path.join(__dirname, 'corpus');

/** An intake as `POST /v1/workflows/legal-intake` takes it, less the externalId and metadata the runner adds. */
export const CorpusIntake = IntakeRequest.omit({ externalId: true, metadata: true });
export type CorpusIntake = z.infer<typeof CorpusIntake>;

const PartyName = z
  .string()
  .min(1)
  .max(300)
  .regex(/^\S(?:.*\S)?$/s, 'must not start or end with spaces');

/** What the pipeline should conclude; absent booleans mean "no". */
export const CorpusExpected = z
  .object({
    matterType: MatterType,
    urgency: Urgency,
    jurisdiction: Jurisdiction.nullable(),
    /** The client's organisation if there is one, else the person's name; null when the intake names nobody. */
    clientName: PartyName.nullable(),
    opposingParties: z.array(PartyName).max(20),
    /** The firm's conflict rule (activities/tools/check-conflicts.ts) finds a hit in the directory. */
    conflict: z.boolean().optional(),
    /** A limitation period on file ends within the warning window of `receivedAt`, or has already ended. */
    deadline: z.boolean().optional(),
    /** A reviewer must see the item whatever the models' confidence; `notes` says why. */
    mustReview: z.boolean().optional(),
    notes: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.conflict || e.deadline) && e.mustReview !== true) {
      ctx.addIssue({
        code: 'custom',
        path: ['mustReview'],
        message: 'a conflict or a near deadline always goes to a reviewer: set mustReview to true',
      });
    }
    if (e.mustReview && !e.notes) {
      ctx.addIssue({ code: 'custom', path: ['notes'], message: 'say why a reviewer must see this item' });
    }
    const seen = new Set(e.clientName ? [normalizeName(e.clientName)] : []);
    e.opposingParties.forEach((party, i) => {
      const key = normalizeName(party);
      if (seen.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['opposingParties', i],
          message: `"${party}" is the client or is listed twice`,
        });
      }
      seen.add(key);
    });
  });
export type CorpusExpected = z.infer<typeof CorpusExpected>;

export const CorpusItem = z
  .object({
    /** Stable and usable as the intake's externalId. */
    id: IntakeRequest.shape.externalId,
    intake: CorpusIntake,
    expected: CorpusExpected,
  })
  .strict()
  .superRefine((item, ctx) => {
    if (item.expected.deadline && !item.intake.receivedAt) {
      ctx.addIssue({
        code: 'custom',
        path: ['intake', 'receivedAt'],
        message: 'a near deadline is measured from receivedAt, so it must be given',
      });
    }
  });
export type CorpusItem = z.infer<typeof CorpusItem>;

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
 * Every item of the given JSON Lines files, in order, each validated. Blank lines are skipped. Throws a
 * CorpusError at the first bad line, and at an id already used on an earlier line of any of the files.
 */
export function loadCorpus(paths: readonly string[]): CorpusItem[] {
  const items: CorpusItem[] = [];
  const firstSeen = new Map<string, string>();
  for (const file of paths) {
    const lines = readFileSync(file, 'utf8').split(/\r?\n/);
    lines.forEach((text, index) => {
      if (text.trim() === '') return;
      const line = index + 1;
      const item = parseLine(text, file, line);
      const earlier = firstSeen.get(item.id);
      if (earlier)
        throw new CorpusError(file, line, 'id', `duplicate id "${item.id}", first used at ${earlier}`);
      firstSeen.set(item.id, `${file}:${line}`);
      items.push(item);
    });
  }
  return items;
}

function parseLine(text: string, file: string, line: number): CorpusItem {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CorpusError(file, line, null, `not valid JSON (${(err as Error).message})`);
  }
  const parsed = CorpusItem.safeParse(json);
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
