/** What starts a clinical summary (`POST /v1/workflows/clinical-summary`): a document and who it is about. */
import { z } from 'zod';
import { ExternalId, RequestMetadata, lazySchema } from '../../domain';

export const CLINICAL_SUMMARY_REST_NAME = 'clinical-summary';
export const CLINICAL_SUMMARY_WORKFLOW_TYPE = 'clinicalSummary';

export const DocumentKind = lazySchema(() =>
  z.enum(['discharge_summary', 'referral', 'lab_report', 'visit_note', 'other']),
);
export type DocumentKind = z.infer<typeof DocumentKind>;

/** The longest document taken, in characters: a longer one is refused (400), never cut silently. */
export const MAX_DOCUMENT_CHARS = 60_000;

export const ClinicalSummaryRequest = lazySchema(() =>
  z
    .object({
      externalId: ExternalId,
      document: z
        .object({
          kind: DocumentKind,
          text: z.string().trim().min(1, 'must not be empty').max(MAX_DOCUMENT_CHARS),
          receivedAt: z.iso.datetime({ offset: true }).optional(),
        })
        .strict(),
      patient: z
        .object({
          // One identifier, whatever its shape: the pseudonymizer replaces the whole value with a token.
          mrn: z.string().trim().min(1).max(64).meta({ pii: 'ID' }).optional(),
        })
        .strict()
        .optional(),
      metadata: RequestMetadata.optional(),
    })
    .strict(),
);
export type ClinicalSummaryRequest = z.infer<typeof ClinicalSummaryRequest>;
