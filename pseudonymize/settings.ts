import { z } from 'zod';
import { PII_CATEGORIES } from './categories';

/** A pattern from config: `pattern` is a RegExp source; a named group `value` narrows what is replaced. */
export const ExtraPattern = z.object({
  category: z.enum(PII_CATEGORIES),
  pattern: z.string().min(1),
  flags: z
    .string()
    .regex(/^[imsu]*$/, 'only the flags i, m, s and u')
    .optional(),
});
export type ExtraPattern = z.infer<typeof ExtraPattern>;

/**
 * Pseudonymization settings of one workflow type, as config holds them: the categories replaced (all when
 * absent) and patterns of its own. Every pattern must compile, so a bad one stops the process at start.
 */
export const PseudonymizeSettings = z.object({
  categories: z.array(z.enum(PII_CATEGORIES)).optional(),
  extraPatterns: z
    .array(
      ExtraPattern.superRefine((extra, ctx) => {
        try {
          new RegExp(extra.pattern, extra.flags);
        } catch {
          ctx.addIssue({ code: 'custom', path: ['pattern'], message: 'not a valid regular expression' });
        }
      }),
    )
    .default([]),
});
export type PseudonymizeSettings = z.infer<typeof PseudonymizeSettings>;

/** An extra pattern that does not compile; the message names the pattern's position, never text. */
export class InvalidPatternError extends Error {
  constructor(readonly index: number) {
    super(`extraPatterns[${index}] is not a valid regular expression`);
    this.name = 'InvalidPatternError';
  }
}
