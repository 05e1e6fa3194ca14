import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { workflowIdOf, type AnyWorkflowDefinition } from '../domain';
import type { PersonalDataStore } from '../personal-data';
import { DocketReviewStatus, DocketStage } from '../workflows';

/** What starting a run needs: Temporal, the config it runs with, and where the raw body is kept. */
export interface RunStarter<Config = unknown> {
  client: Client;
  config: Config & { temporal: { taskQueue: string } };
  personal: PersonalDataStore;
}

export interface StartedRun {
  workflowId: string;
  runId: string;
  /** False when this externalId already had a workflow: the existing run is returned. */
  created: boolean;
}

export interface StartOptions {
  /**
   * `batch`: every model call of the run goes through the provider's Batch API first (config
   * `modelCalls.batch`), for work that may wait hours: a bulk import. Default: the config's rule alone.
   */
  lane?: 'batch';
}

/** The closed states a new run of the same externalId may follow (Temporal's "failed only" reuse policy). */
const RESUBMITTABLE: readonly string[] = ['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT'];

/**
 * Starts a run of a workflow type, or finds the one already started for the same externalId. The raw body
 * is stored (sealed) in Docket's database first and the workflow gets only its externalId and settings:
 * clear-text identities never enter Temporal history. Storing keeps the first body of an externalId, so a
 * repeat neither overwrites nor duplicates it; a body stored whose start then failed is used by the retry.
 * When the last run failed (or was terminated, cancelled, timed out), the same externalId starts a new run
 * with the body as sent now: the way to resubmit.
 */
export async function startWorkflowRun<Body extends { externalId: string }>(
  { client, config, personal }: RunStarter,
  definition: AnyWorkflowDefinition,
  body: Body,
  options: StartOptions = {},
): Promise<StartedRun> {
  const workflowId = workflowIdOf(definition, body.externalId);
  const settings = definition.settings(config) as { batch?: { always: boolean } };
  // A run started in the batch lane (a bulk import) sends every model call through it.
  if (options.lane === 'batch' && settings.batch) settings.batch = { ...settings.batch, always: true };
  const input = { externalId: body.externalId, settings };
  // Only a repeat asks Temporal about the earlier run: a resubmission after a failed one brings the body as
  // it is now, which replaces the stored one.
  if (!(await personal.saveIntake(workflowId, body))) {
    const previous = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
    if (previous && RESUBMITTABLE.includes(previous.status.name)) {
      await personal.replaceIntake(workflowId, body);
    }
  }
  try {
    const handle = await client.workflow.start(definition.workflowType, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      // An externalId names one run: a running or completed (or rejected) run is never started again; one
      // that failed, was terminated, cancelled or timed out may be, as a new run of the same workflow.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: DocketStage, value: 'received' },
        { key: DocketReviewStatus, value: 'none' },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: description.runId, created: false };
  }
}
