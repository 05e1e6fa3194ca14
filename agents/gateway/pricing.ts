import type { ModelEntry } from '../../config';
import { ModelBudgetExceededError } from './errors';

/** What a turn may still spend: checked on the counted prompt before anything is sent. */
export interface TurnBudget {
  remainingUsd: number;
  /** Output tokens the answer is expected to take (the agent's largest answer in the run so far). */
  expectedOutputTokens: number;
}

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

/**
 * Refuses, before anything is sent, a request to `entry` whose estimated cost is more than the budget left: its
 * counted prompt and the answer the budget expects, at `priceFactor` of the model's price (the batch lane's).
 */
export function refuseOverBudget(
  entry: Pick<ModelEntry, 'model' | 'pricing'>,
  promptTokens: number,
  budget: TurnBudget,
  outputName: string,
  priceFactor = 1,
): void {
  const estimateUsd = costUsd(entry, promptTokens, budget.expectedOutputTokens, 0) * priceFactor;
  if (estimateUsd > budget.remainingUsd) {
    throw new ModelBudgetExceededError(
      `the ${outputName} request to ${entry.model} would cost about $${estimateUsd.toFixed(4)}, more than the $${Math.max(0, budget.remainingUsd).toFixed(4)} left of the run's budget`,
      estimateUsd,
    );
  }
}
