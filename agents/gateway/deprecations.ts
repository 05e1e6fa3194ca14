import type { DocketConfig, Logger } from '../../config';

/** How long before a model's `deprecatesOn` the worker starts warning about it. */
export const DEPRECATION_WARNING_DAYS = 90;

const DAY_MS = 86_400_000;

/** A configured model whose shutdown date is near or past. */
export interface DeprecationNotice {
  tier: string;
  model: string;
  provider: string;
  deprecatesOn: string;
  /** Whole days from today (UTC) to `deprecatesOn`; negative once it has passed. */
  daysLeft: number;
}

/** The tiers' models whose `deprecatesOn` is within `withinDays` of `now`, or already past. */
export function deprecationNotices(
  models: DocketConfig['models'],
  now: Date,
  withinDays = DEPRECATION_WARNING_DAYS,
): DeprecationNotice[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Object.entries(models).flatMap(([tier, entries]) =>
    entries.flatMap((entry) => {
      if (!entry.deprecatesOn) return [];
      const daysLeft = Math.round((Date.parse(`${entry.deprecatesOn}T00:00:00Z`) - today) / DAY_MS);
      if (daysLeft > withinDays) return [];
      return [
        { tier, model: entry.model, provider: entry.provider, deprecatesOn: entry.deprecatesOn, daysLeft },
      ];
    }),
  );
}

/**
 * Logs a warning for each model near or past its `deprecatesOn` (the worker does at start), naming the
 * tier and the model, and returns the notices.
 */
export function warnOfDeprecatedModels(
  models: DocketConfig['models'],
  logger: Logger,
  now = new Date(),
): DeprecationNotice[] {
  const notices = deprecationNotices(models, now);
  for (const notice of notices) {
    const when =
      notice.daysLeft < 0
        ? `was deprecated on ${notice.deprecatesOn}, ${-notice.daysLeft} days ago: its calls may fail (404) and go to the tier's next model`
        : notice.daysLeft === 0
          ? `is deprecated today (${notice.deprecatesOn})`
          : `is deprecated on ${notice.deprecatesOn}, in ${notice.daysLeft} days`;
    logger.warn(
      { ...notice, setting: `models.${notice.tier}` },
      `model ${notice.model} of tier ${notice.tier} ${when}; move the tier to another model (config models.${notice.tier})`,
    );
  }
  return notices;
}
