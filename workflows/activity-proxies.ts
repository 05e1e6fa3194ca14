import {
  ActivityFailure,
  ApplicationFailure,
  proxyActivities,
  proxyLocalActivities,
  type ActivityOptions,
  type LocalActivityOptions,
} from '@temporalio/workflow';
import type { DocketActivities, ModelFailureDetails } from '../activities';

/**
 * Backoff for activities that must land however long their dependency is away (the database, an idempotent
 * filing): 1 s doubling to a minute. Callers add their attempt limit and their final error types.
 */
export const PATIENT_BACKOFF = {
  initialInterval: '1 second',
  backoffCoefficient: 2,
  maximumInterval: '1 minute',
} as const;

/**
 * Docket's activities under one set of options, both ways: as activities (`remote`, a task on the server)
 * and as local activities (`local`, run by the worker that runs the workflow, recorded as a marker). A
 * workflow picks one per run from a patch marker, so runs started before the switch replay as they ran.
 */
export function proxiesBothWays(options: ActivityOptions & LocalActivityOptions): {
  remote: DocketActivities;
  local: DocketActivities;
} {
  return {
    remote: proxyActivities<DocketActivities>(options),
    local: proxyLocalActivities<DocketActivities>(options),
  };
}

/**
 * The ApplicationFailure an activity call failed with, from either proxy: an activity's failure reaches the
 * workflow as an ActivityFailure around it, a local activity's as the ApplicationFailure itself (sdk-core
 * does not wrap local activity failures as it wraps activity failures: temporalio/sdk-rust#323).
 */
export function activityApplicationFailure(err: unknown): ApplicationFailure | null {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  return cause instanceof ApplicationFailure ? cause : null;
}

/** The details a failed model call carries (`ModelFailureDetails`): a budget estimate, a billed answer's usage. */
export function modelFailureDetails(err: unknown): ModelFailureDetails | undefined {
  return activityApplicationFailure(err)?.details?.[0] as ModelFailureDetails | undefined;
}

/** Why a run failed, led by the error class ("ModelRequestRejectedError: the model provider answered 400"). */
export function failureText(err: unknown): string {
  const cause = err instanceof ActivityFailure ? err.cause : err;
  if (cause instanceof ApplicationFailure && cause.type) return `${cause.type}: ${cause.message}`;
  return err instanceof Error ? err.message : String(err);
}
