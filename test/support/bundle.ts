import type { WorkflowBundleWithSourceMap } from '@temporalio/worker';
import type { WorkflowRegistry } from '../../domain';
import { bundleWorkflows } from '../../worker';
import { workflowRegistry } from '../../workflows/registry';

const bundles = new Map<WorkflowRegistry, Promise<WorkflowBundleWithSourceMap>>();

/**
 * The workflow bundle of a registry (Docket's by default), built once per test file (about a second) and
 * shared by its workers, as the worker builds its own: with Docket's failure converter, so workflow errors are
 * encoded in history.
 */
export function workflowBundle(
  workflows: WorkflowRegistry = workflowRegistry,
): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(workflows);
  if (!bundle) {
    bundle = bundleWorkflows(workflows, { logger: quietLogger });
    bundles.set(workflows, bundle);
  }
  return bundle;
}

const quietLogger = {
  trace: () => undefined,
  debug: () => undefined,
  info: () => undefined,
  warn: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  error: (message: string) => process.stderr.write(`bundler: ${message}\n`),
  log: () => undefined,
};
