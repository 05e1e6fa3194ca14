import { bundleWorkflowCode, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../../codec';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/**
 * The workflow bundle, built once per test file (about a second) and shared by its workers. It carries
 * Docket's failure converter, as the worker's own bundle does, so workflow errors are encoded in history.
 */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({
    workflowsPath: require.resolve('../../workflows/bundle'),
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: quietLogger,
  });
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
