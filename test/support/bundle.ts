import { readFileSync } from 'node:fs';
import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowRegistry } from '../../domain';
import { bundleWorkflows } from '../../worker';
import { workflowRegistry } from '../../workflows/registry';

const bundles = new Map<WorkflowRegistry, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The workflow bundle of a registry (Docket's by default), shared by a test file's workers. Docket's own is the
 * one jest's global setup built for the whole run (DOCKET_TEST_WORKFLOW_BUNDLE); another registry's is built
 * once per file (about 4 s of CPU).
 */
export function workflowBundle(
  workflows: WorkflowRegistry = workflowRegistry,
): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(workflows);
  if (!bundle) {
    const prebuilt = process.env.DOCKET_TEST_WORKFLOW_BUNDLE;
    bundle =
      workflows === workflowRegistry && prebuilt
        ? Promise.resolve(JSON.parse(readFileSync(prebuilt, 'utf8')) as WorkflowBundleWithSourceMap)
        : buildWorkflowBundle(workflows);
    bundles.set(workflows, bundle);
  }
  return bundle;
}

/**
 * A registry's bundle as the worker builds its own: with Docket's failure converter, so workflow errors are
 * encoded in history.
 */
export function buildWorkflowBundle(
  workflows: WorkflowRegistry = workflowRegistry,
): Promise<WorkflowBundleWithSourceMap> {
  return bundleWorkflows(workflows, { logger: quietLogger });
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  log: () => undefined,
};
