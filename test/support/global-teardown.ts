import { rmSync } from 'node:fs';
import path from 'node:path';

export default async function globalTeardown(): Promise<void> {
  await globalThis.__docketTemporal?.close();
  // The directory of the run's workflow bundle and database snapshot (global-setup.ts).
  const bundle = process.env.DOCKET_TEST_WORKFLOW_BUNDLE;
  if (bundle) rmSync(path.dirname(bundle), { recursive: true, force: true });
}
