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
import { legalIntakeWorkflowId, type WorkflowStatus } from '../domain';
import {
  initialLegalIntakeStatus,
  type LegalIntakeStage,
  type LegalIntakeStatus,
} from '../workflows/legal-intake/status';
import { LEGAL_INTAKE_WORKFLOW_TYPE, statusQuery } from '../workflows/messages';
import { DocketReviewStatus, DocketStage } from '../workflows/search-attributes';
import { ApiError } from './errors';
import type { WorkflowStatusResponse } from './schemas';

/** How long a status query may wait for a worker before the API answers 503. */
const QUERY_TIMEOUT_MS = 5_000;
/** gRPC FAILED_PRECONDITION: a closed workflow that never completed a workflow task cannot be queried. */
const GRPC_FAILED_PRECONDITION = 9;

/** Temporal's view of a legal intake run; 404 when there is none (or the id names another workflow type). */
export async function describeLegalIntake(
  client: Client,
  workflowId: string,
): Promise<WorkflowExecutionDescription> {
  try {
    const description = await client.workflow.getHandle(workflowId).describe();
    if (description.type !== LEGAL_INTAKE_WORKFLOW_TYPE) throw notFound(workflowId);
    return description;
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) throw notFound(workflowId);
    throw err;
  }
}

/**
 * The workflow's `status` query. Waits at most QUERY_TIMEOUT_MS for a worker, then answers 503.
 * Undefined when the run closed before any workflow task completed.
 */
export function queryStatus(
  client: Client,
  run: { workflowId: string; runId: string },
  timeoutMs = QUERY_TIMEOUT_MS,
): Promise<LegalIntakeStatus | undefined> {
  return queryRun(client, run, statusQuery, timeoutMs);
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
    if (err instanceof WorkflowNotFoundError) throw notFound(run.workflowId);
    const cause = err instanceof Error ? err.cause : undefined;
    if (isGrpcServiceError(cause) && cause.code === GRPC_FAILED_PRECONDITION) return undefined;
    // The deadline shows up as DEADLINE_EXCEEDED from the client or CANCELLED from the server, whichever is first.
    if (isGrpcDeadlineError(err) || isGrpcCancelledError(err)) {
      throw new ApiError(503, 'unavailable', 'no worker answered the status query in time; try again');
    }
    throw err;
  }
}

/**
 * The status answer of `GET /v1/workflows/:workflowId`: the live query while running, the workflow's
 * result once completed, and for failed, terminated, timed-out or cancelled runs the last known state
 * with the failure's message.
 */
export async function readStatus(client: Client, workflowId: string): Promise<WorkflowStatusResponse> {
  const description = await describeLegalIntake(client, workflowId);
  const handle = client.workflow.getHandle(workflowId, description.runId);
  const name = description.status.name;
  let status: LegalIntakeStatus;
  if (name === 'RUNNING' || name === 'PAUSED') {
    status = (await queryStatus(client, description)) ?? initialStatus(description);
  } else if (name === 'COMPLETED') {
    status = (await handle.result()) as LegalIntakeStatus;
  } else {
    const failure = await closedFailure(client, description);
    // The last state the workflow reached, when a worker can replay it; what describe says otherwise.
    const lastState = await queryStatus(client, description, 2_000).catch(() => undefined);
    status = {
      ...(lastState ?? initialStatus(description)),
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
function initialStatus(description: WorkflowExecutionDescription): LegalIntakeStatus {
  return initialLegalIntakeStatus(
    description.workflowId,
    description.workflowId.slice(legalIntakeWorkflowId('').length),
    {
      status: coarseStatus(description),
      stage:
        (description.typedSearchAttributes.get(DocketStage) as LegalIntakeStage | undefined) ?? 'received',
    },
  );
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

function notFound(workflowId: string): ApiError {
  return new ApiError(404, 'not_found', `no legal intake workflow ${workflowId}`);
}
