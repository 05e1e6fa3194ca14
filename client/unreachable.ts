/** The start-up error for a Temporal server that does not answer: where we looked and what to do. */
export function unreachableTemporal(address: string, cause: unknown): Error {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new Error(
    `cannot reach Temporal at ${address} (${reason.slice(0, 200)}). ` +
      'Start everything with `npm start`, or point TEMPORAL_ADDRESS at a running server.',
  );
}
