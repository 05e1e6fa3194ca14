/**
 * The labelled evaluation corpus (DESIGN.md "Evaluation corpus format"): JSON Lines, one item a line, each an
 * intake as the API takes it and the fields a careful paralegal would expect for it.
 */
import path from 'node:path';
import { z } from 'zod';
import { normalizeName } from '../db';
import { IntakeRequest, Jurisdiction, MatterType, Urgency } from '../domain';
import { loadItems } from './corpus-file';
import type { SplitKeys } from './split';

export { CorpusError } from './corpus-file';

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

/**
 * Every item of the given JSON Lines files, in order, each validated. Blank lines are skipped. Throws a
 * CorpusError at the first bad line, and at an id already used on an earlier line of any of the files.
 */
export function loadCorpus(paths: readonly string[]): CorpusItem[] {
  return loadItems(paths, CorpusItem);
}

const LANGUAGE_NOTE = /^(Spanish|French|Chinese|Korean|Portuguese|Vietnamese)\b/;

/**
 * The strata `dev.jsonl` and `test.jsonl` were split by (eval/corpus/README.md): limitation deadline,
 * conflict, hostile, no jurisdiction, not in English, the rest; grouped by matter type.
 */
export const LEGAL_SPLIT_KEYS: SplitKeys<CorpusItem> = {
  stratum: ({ expected: e }) => {
    if (e.deadline) return 0;
    if (e.conflict) return 1;
    if (/Hostile:/.test(e.notes ?? '')) return 2;
    if (e.jurisdiction === null) return 3;
    if (LANGUAGE_NOTE.test(e.notes ?? '')) return 4;
    return 5;
  },
  group: (item) => item.expected.matterType,
};
