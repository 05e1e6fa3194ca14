import { z } from 'zod';
import { lazySchema } from '../domain';
import { Confidence, IsoDate, Rationale } from './fields';
import type { AgentDefinition } from './types';
import { LEGAL_TOOLS } from './tools';
import { INTAKE_IS_UNTRUSTED_DATA } from './untrusted';

export const RoutingQueue = lazySchema(() =>
  z.enum([
    'personal-injury',
    'employment',
    'family',
    'commercial',
    'real-estate',
    'immigration',
    'criminal',
    'estates',
    'intellectual-property',
    'general-intake',
  ]),
);

export const Assessment = lazySchema(() =>
  z.object({
    conflictStatus: z.enum(['clear', 'potential_conflict', 'conflict']),
    conflictDetails: z.string().max(1000).nullable(),
    existingClientId: z
      .string()
      .nullable()
      .describe('Client id from lookupClient when the person is already a client.'),
    recommendedQueue: RoutingQueue,
    priority: z.enum(['p1', 'p2', 'p3', 'p4']),
    limitationDeadline: IsoDate.nullable().describe('From the limitationPeriod tool; null when unknown.'),
    risks: z.array(z.string().max(300)).max(10),
    missingInformation: z.array(z.string().max(300)).max(10),
    confidence: Confidence,
    rationale: Rationale,
  }),
);
export type Assessment = z.infer<typeof Assessment>;

export const reasoner: AgentDefinition<Assessment> = {
  name: 'reasoner',
  tier: 'reasoning',
  outputName: 'intake_assessment',
  outputSchema: Assessment,
  tools: LEGAL_TOOLS,
  requiredTools: ['checkConflicts', 'limitationPeriod'],
  instructions: [
    'You assess a classified legal intake before a matter is opened.',
    'Always call lookupClient for the prospective client, checkConflicts with the client and every opposing party,',
    'and limitationPeriod with the jurisdiction, matter type and incident date. Base your answer on the tool results only.',
    'Any conflict hit makes conflictStatus potential_conflict (or conflict when the firm acts for the other side in the same dispute).',
    'Recommend the routing queue and a priority: p1 = act today (a limitation deadline within 30 days, a hearing or a',
    'filing date this week, a person in custody or in danger), p2 = this week, p3 = within two weeks, p4 = no time pressure.',
    'limitationDeadline is the date limitationPeriod returned, never one you work out yourself.',
    'List risks and the information still missing.',
    'Your confidence must be low when a tool found nothing useful or the facts are thin.',
    INTAKE_IS_UNTRUSTED_DATA,
  ].join(' '),
};

/** The reasoner's user message: the classification to check, the original text, and today's date. */
export function reasonerInput(input: { classification: unknown; intakeBody: string; today: string }): string {
  return JSON.stringify({
    today: input.today,
    classification: input.classification,
    intake: input.intakeBody,
  });
}
