import { z } from 'zod';
import { lazySchema } from '../domain';
import { Confidence, Rationale } from './fields';
import type { AgentDefinition } from './types';
import { INTAKE_IS_UNTRUSTED_DATA } from './untrusted';

export const Draft = lazySchema(() =>
  z.object({
    matterSummary: z.string().min(1).max(4000).describe('Internal summary for the responsible attorney.'),
    clientAcknowledgement: z.object({
      subject: z.string().min(1).max(200),
      body: z.string().min(1).max(4000),
    }),
    confidence: Confidence,
    rationale: Rationale,
  }),
);
export type Draft = z.infer<typeof Draft>;

export const drafter: AgentDefinition<Draft> = {
  name: 'drafter',
  tier: 'drafting',
  outputName: 'intake_drafts',
  outputSchema: Draft,
  tools: [],
  requiredTools: [],
  instructions: [
    'You draft two texts for a new legal matter: an internal summary for the attorney (facts, parties, dates,',
    'conflict status, deadline, risks, missing information) and a short acknowledgement to the prospective client.',
    'The acknowledgement confirms receipt and next steps only: it gives no legal advice, promises no outcome,',
    'and does not say the firm has agreed to act. Use only facts from the input.',
    INTAKE_IS_UNTRUSTED_DATA,
  ].join(' '),
};

/** The drafter's user message: everything the earlier stages established. */
export function drafterInput(input: {
  classification: unknown;
  assessment: unknown;
  intakeBody: string;
}): string {
  return JSON.stringify({
    classification: input.classification,
    assessment: input.assessment,
    intake: input.intakeBody,
  });
}
