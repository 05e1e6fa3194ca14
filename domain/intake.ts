import { z } from 'zod';
import { lazySchema } from './lazy-schema';
import { EXTERNAL_ID_MAX_LENGTH, EXTERNAL_ID_PATTERN, workflowIdOf } from './workflow-definition';

/** An intake as operations systems send it (REST body of `POST /v1/workflows/legal-intake`). */
/** A request's `externalId`, the same rule for every workflow type: it names the run. */
export const ExternalId = lazySchema(() =>
  z
    .string()
    .min(1)
    .max(EXTERNAL_ID_MAX_LENGTH)
    .regex(EXTERNAL_ID_PATTERN, 'letters, digits and . _ : - only'),
);

/** A request's `metadata`, the same for every workflow type: a few short values the caller keeps with the run. */
export const RequestMetadata = lazySchema(() =>
  z
    .record(z.string().max(64), z.union([z.string().max(1000), z.number(), z.boolean()]))
    .refine((m) => Object.keys(m).length <= 32, 'at most 32 keys'),
);

export const IntakeRequest = lazySchema(() =>
  z
    .object({
      externalId: ExternalId,
      channel: z.enum(['email', 'web', 'phone']),
      from: z.string().min(1).max(320).optional(),
      subject: z.string().max(500).optional(),
      body: z.string().trim().min(1, 'must not be empty').max(50_000),
      receivedAt: z.iso.datetime({ offset: true }).optional(),
      metadata: RequestMetadata.optional(),
    })
    .strict(),
);
export type IntakeRequest = z.infer<typeof IntakeRequest>;

/** Legal intake's REST name (`POST /v1/workflows/legal-intake`), and so its workflow ids' prefix. */
export const LEGAL_INTAKE_REST_NAME = 'legal-intake';

/** Workflow id of a legal intake: one per externalId, so a repeated submission finds the same run. */
export function legalIntakeWorkflowId(externalId: string): string {
  return workflowIdOf({ restName: LEGAL_INTAKE_REST_NAME }, externalId);
}

/** The display name of an e-mail `From:` ("Maria Lopez <maria@example.com>" → "Maria Lopez"). */
export function senderName(from: string | undefined): string | null {
  const name = from
    ?.replace(/<[^>]*>/g, '')
    .replace(/["']/g, '')
    .trim();
  return name && !name.includes('@') ? name : null;
}

/** The address of an e-mail `From:` ("Maria Lopez <maria@example.com>" → "maria@example.com"). */
export function senderAddress(from: string | undefined): string | null {
  const address =
    /<([^<>\s]+@[^<>\s]+)>/.exec(from ?? '')?.[1] ?? /[^\s<>"']+@[^\s<>"']+/.exec(from ?? '')?.[0];
  return address && /^[^@]+@[^@]+\.[^@]+$/.test(address) ? address : null;
}
