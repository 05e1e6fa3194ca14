import { z } from 'zod';
import { Jurisdiction, MatterType, Urgency, lazySchema } from '../domain';
import { Confidence, IsoDate, Rationale } from './fields';
import type { AgentDefinition } from './types';
import { INTAKE_IS_UNTRUSTED_DATA } from './untrusted';

export const KeyDate = lazySchema(() =>
  z.object({
    kind: z.enum(['incident', 'termination', 'contract', 'deadline', 'hearing', 'other']),
    date: IsoDate,
    description: z.string().max(200),
  }),
);

export const Classification = lazySchema(() =>
  z.object({
    matterType: MatterType,
    urgency: Urgency,
    jurisdiction: Jurisdiction.nullable(),
    client: z.object({
      name: z.string().nullable(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      organization: z.string().nullable(),
    }),
    opposingParties: z.array(z.string().min(1)).max(20),
    keyDates: z.array(KeyDate).max(20),
    fieldConfidence: z
      .object({
        matterType: Confidence,
        urgency: Confidence,
        jurisdiction: Confidence,
        client: Confidence,
        opposingParties: Confidence,
      })
      .describe(
        'Confidence per field; the overall confidence is no higher than the weakest field that matters.',
      ),
    confidence: Confidence,
    rationale: Rationale,
  }),
);
export type Classification = z.infer<typeof Classification>;

export const classifier: AgentDefinition<Classification> = {
  name: 'classifier',
  tier: 'fast',
  outputName: 'intake_classification',
  outputSchema: Classification,
  tools: [],
  requiredTools: [],
  instructions: [
    'You triage new enquiries for a law firm. Read the intake message and classify it.',
    'Identify the matter type, the urgency, the US state whose law applies (null when the message does not say),',
    'the prospective client (name, e-mail, phone, organisation), every opposing party named, and key dates.',
    'Never invent facts: a field the message does not support is null or empty, and its confidence is low.',
    'Urgency is critical when a deadline, hearing or limitation date is days away, or someone is in danger.',
    'Give a confidence per field and an overall confidence no higher than the weakest of matter type, jurisdiction and client.',
    INTAKE_IS_UNTRUSTED_DATA,
  ].join(' '),
};

/** The classifier's user message: the intake as received, nothing added. */
export function classifierInput(intake: {
  channel: string;
  from?: string;
  subject?: string;
  body: string;
  receivedAt?: string;
}): string {
  return JSON.stringify({
    channel: intake.channel,
    from: intake.from ?? null,
    subject: intake.subject ?? null,
    receivedAt: intake.receivedAt ?? null,
    body: intake.body,
  });
}
