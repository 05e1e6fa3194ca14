import { isGrpcDeadlineError, isGrpcServiceError, type Client } from '@temporalio/client';

/** The start-up error for a Temporal server that does not answer: where we looked and what to do. */
export function unreachableTemporal(address: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `cannot reach Temporal at ${address} (${reason.slice(0, 200)}). ` +
      'Start everything with `npm start`, or point TEMPORAL_ADDRESS at a running server.',
  );
}

/** gRPC status UNAVAILABLE (@grpc/grpc-js is not a direct dependency, so its enum is not imported). */
const GRPC_UNAVAILABLE = 14;

/** Temporal did not answer (connection down, deadline passed): worth another try, not a fault of ours. */
export function isTemporalUnavailable(err: unknown): boolean {
  if (isGrpcDeadlineError(err)) return true;
  const cause = err instanceof Error && isGrpcServiceError(err.cause) ? err.cause : err;
  return isGrpcServiceError(cause) && cause.code === GRPC_UNAVAILABLE;
}

/** Resolves when the Temporal server answers a cheap call within `timeoutMs`; rejects otherwise. */
export async function temporalAnswers(client: Client, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.withDeadline(Date.now() + timeoutMs, () => client.workflowService.getSystemInfo({})),
      new Promise((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('Temporal did not answer in time')), timeoutMs + 250);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
