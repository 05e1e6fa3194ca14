/**
 * The clinical summary's labelled corpus (eval/corpus/clinical/README.md): JSON Lines, one item a line, each a
 * document as `POST /v1/workflows/clinical-summary` takes it and what a careful clinician would expect of it.
 */
import path from 'node:path';
import { z } from 'zod';
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_PATTERN } from '../../domain';
import { CLINICAL_REASON_CODES, DocumentKind, MedicationStatus } from '../../workflows';
import { CORPUS_DIR } from '../corpus';
import { loadItems } from '../corpus-file';
import type { SplitKeys } from '../split';

/** `dev.jsonl` for tuning, `test.jsonl` held out, split like the legal corpus (eval/split.ts). */
export const CLINICAL_CORPUS_DIR = path.join(CORPUS_DIR, 'clinical');

/**
 * The reason codes the clinical checks raise from the document, the tables and the record, so each label can
 * be checked without a model. The engine's codes (`check_incomplete`, `low_confidence`, …) are not labelled:
 * `mustReview` covers them.
 */
export { CLINICAL_REASON_CODES };
export type ClinicalReasonCode = (typeof CLINICAL_REASON_CODES)[number];

const LowerCase = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[^A-Z\s](?:[^A-Z]*[^A-Z\s])?$/, 'lower case, no spaces at either end');

export const ExpectedMedication = z
  .object({
    /** The generic name, lower case (as written when the drug is unknown). */
    name: LowerCase,
    dose: z.number().positive().nullable(),
    unit: z.string().min(1).max(20).nullable(),
    status: MedicationStatus,
  })
  .strict();
export type ExpectedMedication = z.infer<typeof ExpectedMedication>;

export const ClinicalExpected = z
  .object({
    /** Every medication the document names, once each. */
    medications: z.array(ExpectedMedication).max(40),
    /** The allergies the document states (not the record's), lower case. */
    allergies: z.array(LowerCase).max(20),
    /** The clinical codes the checks must raise; none of them when the document is clean. */
    reasonCodes: z.array(z.enum(CLINICAL_REASON_CODES)),
    /** A person must see it: a clinical code, an unverified drug, an unknown patient, another language. */
    mustReview: z.boolean(),
    /** Why a person must see it; tags: `Allergy:`, `Overdue: <what> due YYYY-MM-DD`, `Spanish:`, … */
    notes: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (new Set(e.reasonCodes).size !== e.reasonCodes.length) {
      ctx.addIssue({ code: 'custom', path: ['reasonCodes'], message: 'a code is listed twice' });
    }
    if (e.reasonCodes.length > 0 && !e.mustReview) {
      ctx.addIssue({
        code: 'custom',
        path: ['mustReview'],
        message: 'a clinical reason code always goes to a person: set mustReview to true',
      });
    }
    if (e.mustReview && !e.notes) {
      ctx.addIssue({ code: 'custom', path: ['notes'], message: 'say why a person must see this document' });
    }
    const names = e.medications.map((m) => m.name);
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) {
        ctx.addIssue({
          code: 'custom',
          path: ['medications', i, 'name'],
          message: `"${name}" is listed twice`,
        });
      }
    });
  });
export type ClinicalExpected = z.infer<typeof ClinicalExpected>;

export const ClinicalCorpusItem = z
  .object({
    /** Stable, and the run's externalId (with the eval's prefix). */
    id: z.string().min(1).max(64).regex(EXTERNAL_ID_PATTERN),
    document: z
      .object({
        kind: DocumentKind,
        text: z.string().trim().min(1).max(60_000),
        /** Required here: a follow-up is overdue when its due date is before it. */
        receivedAt: z.iso.datetime({ offset: true }),
      })
      .strict(),
    patient: z
      .object({ mrn: z.string().trim().min(1).max(64) })
      .strict()
      .optional(),
    expected: ClinicalExpected,
  })
  .strict()
  .refine((item) => `eval-xxxxxxxx-${item.id}`.length <= EXTERNAL_ID_MAX_LENGTH, {
    path: ['id'],
    message: 'too long for an externalId with the eval prefix',
  });
export type ClinicalCorpusItem = z.infer<typeof ClinicalCorpusItem>;

/** Every item of the given files, validated; a CorpusError names the first bad line (eval/corpus-file.ts). */
export function loadClinicalCorpus(paths: readonly string[]): ClinicalCorpusItem[] {
  return loadItems(paths, ClinicalCorpusItem);
}

/**
 * The strata `dev.jsonl` and `test.jsonl` were split by: the first clinical code the document must raise (in
 * CLINICAL_REASON_CODES order), then not in English, then any other reason for review, then the clean ones;
 * grouped by document kind.
 */
export const CLINICAL_SPLIT_KEYS: SplitKeys<ClinicalCorpusItem> = {
  stratum: ({ expected: e }) => {
    const first = CLINICAL_REASON_CODES.findIndex((code) => e.reasonCodes.includes(code));
    if (first >= 0) return first;
    if (/^Spanish:/.test(e.notes ?? '')) return CLINICAL_REASON_CODES.length;
    if (e.mustReview) return CLINICAL_REASON_CODES.length + 1;
    return CLINICAL_REASON_CODES.length + 2;
  },
  group: (item) => item.document.kind,
};
