/**
 * The batch lane: a stage's model calls sent through the provider's Batch API at its discount, when the
 * stage's review may wait for hours anyway, or the run was started in the lane (a bulk import). The workflow
 * submits the turn, then sleeps on a timer and asks a poll activity until the batch is answered: no worker
 * slot is held while it waits. A batch that expires, fails, is refused or outlasts `giveUpAfterMs` is left,
 * and the call made on the normal lane. Workflow code.
 */
import { log, proxyActivities, sleep } from '@temporalio/workflow';
import type { ModelTurn } from '../agents';
import type { CallModelInput, DocketActivities } from '../activities';
import {
  PATIENT_BACKOFF,
  activityApplicationFailure,
  failureText,
  modelFailureDetails,
} from './activity-proxies';

/** A run's batch lane, from config `modelCalls.batch` and how the run was started. */
export interface BatchLaneSettings {
  /** A stage whose review may wait at least this long (ms) batches its calls; null: only `always`. */
  minReviewSlaMs: number | null;
  /** Every stage of the run batches its calls: a run started in the lane. */
  always: boolean;
  pollEveryMs: number;
  giveUpAfterMs: number;
}

const { submitModelBatch, pollModelBatch } = proxyActivities<DocketActivities>({
  startToCloseTimeout: '1 minute',
  // A provider away for a while: the lane is left for the normal one, which has the patience.
  retry: { ...PATIENT_BACKOFF, maximumAttempts: 5 },
});

/** Whether a stage batches its calls, given how long its review may wait (`ReviewGate.shortestDueMs`). */
export function batchesStage(lane: BatchLaneSettings, reviewMayWaitMs: number): boolean {
  return lane.always || (lane.minReviewSlaMs !== null && reviewMayWaitMs >= lane.minReviewSlaMs);
}

/** The turn's answer through the batch lane, or null when the batch was lost: the caller then calls live. */
export async function batchedTurn(input: CallModelInput, lane: BatchLaneSettings): Promise<ModelTurn | null> {
  let batch: Awaited<ReturnType<typeof submitModelBatch>>;
  try {
    batch = await submitModelBatch(input);
  } catch (err) {
    // Over the run's budget even at the batch price: the live call would be too; the stage goes to a person.
    if (activityApplicationFailure(err)?.type === 'ModelBudgetExceededError') throw err;
    log.warn('batch lane refused the call; calling it live', { agent: input.agent, error: failureText(err) });
    return null;
  }
  const deadline = new Date().getTime() + lane.giveUpAfterMs;
  while (new Date().getTime() < deadline) {
    await sleep(Math.min(lane.pollEveryMs, Math.max(1, deadline - new Date().getTime())));
    let polled: Awaited<ReturnType<typeof pollModelBatch>>;
    try {
      polled = await pollModelBatch({ call: input, batch });
    } catch (err) {
      // An answer that came back unusable (cut off) is the model's, not the lane's: the caller counts it.
      if (modelFailureDetails(err)?.usage) throw err;
      log.warn('batch could not be read; calling live', { batchId: batch.batchId, error: failureText(err) });
      return null;
    }
    if (polled.state === 'done') return polled.turn;
    if (polled.state === 'lost') {
      log.warn('batch lost; calling live', { batchId: batch.batchId, reason: polled.reason });
      return null;
    }
  }
  log.warn('batch not answered in time; calling live', {
    batchId: batch.batchId,
    giveUpAfterMs: lane.giveUpAfterMs,
  });
  return null;
}
