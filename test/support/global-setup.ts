/**
 * One Temporal dev server for the whole jest run; tests reach it through DOCKET_TEST_TEMPORAL_ADDRESS
 * and keep out of each other's way with task queues and workflow ids of their own.
 *
 * Docket's workflow bundle is built here once, beside the server's start, and written where every test file
 * reads it (DOCKET_TEST_WORKFLOW_BUNDLE): building it takes about 4 s of CPU, and some 40 files run a worker.
 * So is a migrated and seeded database that test stacks start from (test/support/database-snapshot.ts).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startTemporalDevServer, type RunningDevServer } from '../../scripts/temporal-dev-server';
import { buildWorkflowBundle } from './bundle';
import { saveDatabaseSnapshot } from './database-snapshot';

declare global {
  var __docketTemporal: RunningDevServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-test-run-'));
  const [server, bundle, snapshot] = await Promise.all([
    startTemporalDevServer(),
    buildWorkflowBundle(),
    saveDatabaseSnapshot(dir),
  ]);
  globalThis.__docketTemporal = server;
  process.env.DOCKET_TEST_TEMPORAL_ADDRESS = server.address;
  process.env.DOCKET_TEST_TEMPORAL_NAMESPACE = server.namespace;
  writeFileSync(path.join(dir, 'bundle.json'), JSON.stringify(bundle));
  process.env.DOCKET_TEST_WORKFLOW_BUNDLE = path.join(dir, 'bundle.json');
  process.env.DOCKET_TEST_DATABASE_SNAPSHOT = snapshot;
}
