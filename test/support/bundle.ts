import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../codec';

const bundles = new Map<string, Promise<WorkflowBundleWithSourceMap>>();

/**
 * A workflow bundle (Docket's, or a test's own entry), built once per test file (about a second) and shared by its workers. It carries
 * Docket's failure converter, as the worker's own bundle does, so workflow errors are encoded in history.
 */
export function workflowBundle(
  workflowsPath = require.resolve('../../workflows/bundle'),
): Promise<WorkflowBundleWithSourceMap> {
  let bundle = bundles.get(workflowsPath);
  if (!bundle) {
    bundle = bundleWorkflowCode({
      workflowsPath,
      failureConverterPath: FAILURE_CONVERTER_PATH,
      logger: quietLogger,
    });
    bundles.set(workflowsPath, bundle);
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
