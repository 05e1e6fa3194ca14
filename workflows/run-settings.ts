/**
 * The settings every workflow type's run starts with, read from config (node-side: definitions call it
 * from `settings(config)`; the workflow bundle never imports it). A type adds its own beside them.
 */
import { durationMs, modelTaskQueues, type DocketConfig, type TierName } from '../config';
import type { DocketEventType } from '../domain';
import type { ModelCallPolicy } from './agent-loop';
import type { BatchLaneSettings } from './batch-lane';
import type { ReviewSettings } from './review/gate';

/** The parts of config every type's settings are read from. */
export type RunConfig = Pick<
  DocketConfig,
  'review' | 'notifications' | 'modelCalls' | 'budget' | 'temporal' | 'models'
>;

export interface RunSettings {
  review: ReviewSettings;
  /** Event types some webhook subscribed to: each such event is delivered by a child workflow. */
  notifyEvents: DocketEventType[];
  /** How long model calls are retried before a person decides the stage. */
  modelCalls: ModelCallPolicy;
  /** What the run may spend on models, in USD; null: no budget. */
  budgetUsd: number | null;
  /** Each tier's model-call task queue. */
  modelTaskQueues: Partial<Record<string, string>>;
  /** The batch lane (config `modelCalls.batch`); `always` is set for a run started in it. */
  batch: BatchLaneSettings;
}

/**
 * A run's common settings. The `review.sla` keys are checked by the type that reads them (legal intake's
 * stages and urgencies); a key no stage of a type matches is simply not used by it.
 */
export function runSettings(config: RunConfig): RunSettings {
  return {
    review: {
      slaMs: Object.fromEntries(Object.entries(config.review.sla).map(([key, d]) => [key, durationMs(d)])),
      escalateAfterMs: config.review.escalateAfter === null ? null : durationMs(config.review.escalateAfter),
      escalateAction: config.review.escalateAction,
    },
    notifyEvents: [...new Set(config.notifications.webhooks.flatMap((webhook) => webhook.events))],
    modelCalls: {
      giveUpAfterMs: durationMs(config.modelCalls.giveUpAfter),
      maximumBackoffMs: durationMs(config.modelCalls.maximumBackoff),
    },
    budgetUsd: config.budget.perWorkflowUsd,
    modelTaskQueues: modelTaskQueues(config.temporal.taskQueue, Object.keys(config.models) as TierName[]),
    batch: {
      minReviewSlaMs:
        config.modelCalls.batch.whenReviewSlaAtLeast === null
          ? null
          : durationMs(config.modelCalls.batch.whenReviewSlaAtLeast),
      always: false,
      pollEveryMs: durationMs(config.modelCalls.batch.pollEvery),
      giveUpAfterMs: durationMs(config.modelCalls.batch.giveUpAfter),
    },
  };
}
