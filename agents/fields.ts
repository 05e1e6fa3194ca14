import { z } from 'zod';
import { lazySchema } from '../domain';

/** A model's self-reported confidence; gates compare it with the agent's threshold from config. */
export const Confidence = lazySchema(() =>
  z.number().min(0).max(1).describe('How sure you are, from 0 (guess) to 1 (certain).'),
);

/** A short explanation a reviewer can check; it quotes no personal data beyond what the intake holds. */
export const Rationale = lazySchema(() =>
  z.string().min(1).max(2000).describe('Why, in two or three sentences.'),
);

/** A calendar date as the models and tools exchange it (a plain pattern keeps strict schemas simple). */
export const IsoDate = lazySchema(() =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe('YYYY-MM-DD'),
);
