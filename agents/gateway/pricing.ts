import type { ModelEntry } from '../../config';

/**
 * Cost in US dollars of one call at the model's configured prices. `inputTokens` includes the
 * `cachedInputTokens` the provider served from its prompt cache, which are billed at the cached rate;
 * reasoning tokens are part of `outputTokens` and bill as output.
 */
export function costUsd(
  model: Pick<ModelEntry, 'pricing'>,
  inputTokens: number,
  outputTokens: number,
  cachedInputTokens = 0,
): number {
  const cached = Math.min(cachedInputTokens, inputTokens);
  const { pricing } = model;
  const cost =
    ((inputTokens - cached) * pricing.inputPerMTokUsd +
      cached * pricing.cachedInputPerMTokUsd +
      outputTokens * pricing.outputPerMTokUsd) /
    1_000_000;
  return Math.round(cost * 1e8) / 1e8;
}
