import { z } from 'zod';
import { lazySchema } from './lazy-schema';

/**
 * The vocabulary of a legal matter: what kind, how urgent, where. The classifier answers in it, the tools
 * and the case system take it, the API filters the review queue by it and the evaluation labels with it.
 */
export const MatterType = lazySchema(() =>
  z.enum([
    'personal_injury',
    'employment',
    'family',
    'commercial_contract',
    'real_estate',
    'immigration',
    'criminal_defense',
    'estate_probate',
    'intellectual_property',
    'other',
  ]),
);
export type MatterType = z.infer<typeof MatterType>;

export const Urgency = lazySchema(() => z.enum(['low', 'normal', 'high', 'critical']));

/** Jurisdictions the firm practises in; anything else is `null` and goes to a person. */
export const Jurisdiction = lazySchema(() => z.enum(['US-CA', 'US-NY', 'US-TX', 'US-FL', 'US-IL', 'US-WA']));
export type Jurisdiction = z.infer<typeof Jurisdiction>;
