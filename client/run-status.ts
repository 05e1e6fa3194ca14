/**
 * Reading runs of any registered workflow type from Temporal: describe, query, and the status answer of any
 * run, running or closed. Errors a caller answers differently are typed: RunNotFoundError, QueryTimeoutError.
 */
import {
  WorkflowFailedError,
  WorkflowNotFoundError,
  isGrpcCancelledError,
  isGrpcDeadlineError,
  isGrpcServiceError,
  type Client,
  type QueryDefinition,
  type WorkflowExecutionDescription,
} from '@temporalio/client';
import {
  workflowIdOf,
  type AnyWorkflowDefinition,
  type WorkflowRegistry,
  type WorkflowStatus,
  type WorkflowStatusBase,
} from '../domain';
import { DocketReviewStatus, DocketStage, statusQuery } from '../workflows';

/** No run of a registered workflow type has this id (or the id names another type than its run's). */
export class RunNotFoundError extends Error {
  override readonly name = 'RunNotFoundError';
  constructor(readonly workflowId: string) {
    super(`no workflow ${workflowId}`);
  }
}

/** No worker answered a query before its deadline: worth another try. */
export class QueryTimeoutError extends Error {
  override readonly name = 'QueryTimeoutError';
  constructor() {
    super('no worker answered the status query in time; try again');
  }
}

/** A run's status as the API answers it: the workflow's own, with its run's id and times. */
export type RunStatus = WorkflowStatusBase & { runId: string; startedAt: string; closedAt: string | null };

/** A run as Temporal describes it, with its workflow type's definition. */
export interface DescribedRun {
  description: WorkflowExecutionDescription;
  definition: AnyWorkflowDefinition;
}

/** How long a status query may wait for a worker before the caller gets a QueryTimeoutError. */
const QUERY_TIMEOUT_MS = 5_000;
/** gRPC FAILED_PRECONDITION: a closed workflow that never completed a workflow task cannot be queried. */
const GRPC_FAILED_PRECONDITION = 9;

/**
 * Temporal's view of a run and its type's definition; a RunNotFoundError when there is none, when the id is
 * no registered type's, or when the run is of another type than its id says.
 */
export async function describeRun(
  client: Client,
  registry: WorkflowRegistry,
  workflowId: string,
): Promise<DescribedRun> {
  const definition = registry.resolve(workflowId)?.definition;
  if (!definition) throw new RunNotFoundError(workflowId);
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.type !== definition.workflowType) throw new RunNotFoundError(workflowId);
    return { description, definition };
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(workflowId);
    throw err;
  }
}

/**
 * The workflow's `status` query. Waits at most QUERY_TIMEOUT_MS for a worker, then throws a QueryTimeoutError.
 * Undefined when the run closed before any workflow task completed.
 */
export function queryStatus(
  client: Client,
  run: { workflowId: string; runId: string },
  timeoutMs = QUERY_TIMEOUT_MS,
): Promise<WorkflowStatusBase | undefined> {
  return queryRun(client, run, statusQuery, timeoutMs) as Promise<WorkflowStatusBase | undefined>;
}

/** Any query of a run, with the same deadline and error mapping as `queryStatus`. */
export async function queryRun<T>(
  client: Client,
  run: { workflowId: string; runId: string },
  query: QueryDefinition<T, []>,
  timeoutMs = QUERY_TIMEOUT_MS,
): Promise<T | undefined> {
  const handle = client.workflow.getHandle(run.workflowId, run.runId);
  try {
    return await client.withDeadline(Date.now() + timeoutMs, () => handle.query(query));
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw new RunNotFoundError(run.workflowId);
    const cause = err instanceof Error ? err.cause : undefined;
    if (isGrpcServiceError(cause) && cause.code === GRPC_FAILED_PRECONDITION) return undefined;
    // The deadline shows up as DEADLINE_EXCEEDED from the client or CANCELLED from the server, whichever is first.
    if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) throw new QueryTimeoutError();
    throw err;
  }
}

/**
 * The status answer of `GET /v1/workflows/:workflowId`: the live query while running, the workflow's
 * result once completed, and for failed, terminated, timed-out or cancelled runs the last known state
 * with the failure's message.
 */
export async function readStatus(
  client: Client,
  registry: WorkflowRegistry,
  workflowId: string,
): Promise<RunStatus> {
  const run = await describeRun(client, registry, workflowId);
  const { description } = run;
  const handle = client.workflow.getHandle(workflowId, description.runId);
  const name = description.status.name;
  let status: WorkflowStatusBase;
  if (name === 'RUNNING' || name === 'PAUSED') {
    status = (await queryStatus(client, description)) ?? initialStatus(run);
  } else if (name === 'COMPLETED') {
    status = (await handle.result()) as WorkflowStatusBase;
  } else {
    const failure = await closedFailure(client, description);
    // The last state the workflow reached, when a worker can replay it; what describe says otherwise.
    const lastState = await queryStatus(client, description, 2_000).catch(() => undefined);
    status = {
      ...(lastState ?? initialStatus(run)),
      status: name === 'CANCELLED' ? 'cancelled' : 'failed',
      review: null,
      error: lastState?.error ?? failure,
    };
  }
  return {
    ...status,
    runId: description.runId,
    startedAt: description.startTime.toISOString(),
    closedAt: description.closeTime?.toISOString() ?? null,
  };
}

/** Whether Temporal knows a workflow of this id, of any type. */
export async function workflowExists(client: Client, workflowId: string): Promise<boolean> {
  try {
    await client.workflow.getHandle(workflowId).describe();
    return true;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) return false;
    throw err;
  }
}

/** The coarse status visible without a worker: from the run's state and Docket's search attributes. */
export function coarseStatus(description: WorkflowExecutionDescription): WorkflowStatus {
  switch (description.status.name) {
    case 'RUNNING':
    case 'PAUSED':
      return ['pending', 'overdue'].includes(description.typedSearchAttributes.get(DocketReviewStatus) ?? '')
        ? 'awaiting_review'
        : 'running';
    case 'COMPLETED':
      return description.typedSearchAttributes.get(DocketStage) === 'rejected' ? 'rejected' : 'completed';
    case 'CANCELLED':
      return 'cancelled';
    default:
      return 'failed';
  }
}

/** The state a run has before its workflow code ran, or when nothing better can be known. */
function initialStatus({ description, definition }: DescribedRun): WorkflowStatusBase {
  return definition.initialStatus(description.workflowId, externalIdOf(definition, description.workflowId), {
    status: coarseStatus(description),
    stage: description.typedSearchAttributes.get(DocketStage) ?? 'received',
  });
}

function externalIdOf(definition: AnyWorkflowDefinition, workflowId: string): string {
  return workflowId.slice(workflowIdOf(definition, '').length);
}

/** Why a closed run did not complete: the failure's (or termination's, timeout's, cancellation's) message. */
async function closedFailure(client: Client, description: WorkflowExecutionDescription): Promise<string> {
  try {
    await client.workflow
      .getHandle(description.workflowId, description.runId, { followRuns: false })
      .result();
    return 'the workflow ended without a result';
  } catch (err) {
    if (err instanceof WorkflowFailedError) return err.cause?.message ?? err.message;
    throw err;
  }
}
