import type { ModelTier } from '../../config/schema';

/** Cost in US dollars of one call at the tier's configured prices (reasoning tokens bill as output). */
export function costUsd(tier: ModelTier, inputTokens: number, outputTokens: number): number {
  const cost =
    (inputTokens * tier.pricing.inputPerMTokUsd + outputTokens * tier.pricing.outputPerMTokUsd) / 1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}
