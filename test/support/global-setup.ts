/**
 * One Temporal dev server for the whole jest run; tests reach it through DOCKET_TEST_TEMPORAL_ADDRESS
 * and keep out of each other's way with task queues and workflow ids of their own.
 */
import { startTemporalDevServer, type RunningDevServer } from '../../scripts/temporal-dev-server';

declare global {
  var __docketTemporal: RunningDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = await startTemporalDevServer();
  globalThis.__docketTemporal = server;
  process.env.DOCKET_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.DOCKET_TEST_TEMPORAL_NAMESPACE = server.namespace;
}
