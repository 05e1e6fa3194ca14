/**
 * The workflow bundle's entry, made from the registry: every registered type's workflow function (its
 * definition's `workflowModule`) and the engine's own (event delivery). Temporal registers every function the
 * entry exports as a workflow type, so registering a type in the registry is all it takes to run it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bundleWorkflowCode, type BundleOptions, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../codec';
import type { WorkflowRegistry } from '../domain';

/** The engine's workflows, which every deployment runs beside its types. */
const ENGINE_WORKFLOWS: ReadonlyArray<[name: string, module: string]> = [
  ['deliverNotification', require.resolve('../workflows/notifications')],
];

/** Every workflow function the bundle exports, with the module it comes from. */
export function workflowBundleModules(workflows: WorkflowRegistry): Array<[name: string, module: string]> {
  return [
    ...ENGINE_WORKFLOWS,
    ...workflows.definitions.map((d): [string, string] => [d.workflowType, d.workflowModule]),
  ];
}

/** The entry's source: one export line per workflow function. */
export function workflowBundleSource(workflows: WorkflowRegistry): string {
  const entries = workflowBundleModules(workflows);
  return [
    '// Made by worker/workflow-bundle.ts from the registry of workflow types; not kept.',
    ...entries.map(
      ([name, module]) => `export { ${name} } from ${JSON.stringify(module.replace(/\.[cm]?[tj]s$/, ''))};`,
    ),
    '',
  ].join('\n');
}

/**
 * Runs `use` with the entry written to a file of its own (the bundler reads a path), removed afterwards. The
 * modules it names are absolute paths, so the bundler resolves their imports where they live.
 */
export async function withWorkflowBundleEntry<T>(
  workflows: WorkflowRegistry,
  use: (workflowsPath: string) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-workflows-'));
  try {
    const entry = path.join(dir, 'workflows.ts');
    writeFileSync(entry, workflowBundleSource(workflows));
    return await use(entry);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Where the SDK's own modules are: the bundler resolves the entry's imports (the SDK adds one of its own
 * beside the entry) from the entry's directory, which is outside the project.
 */
const SDK_MODULES = path.resolve(path.dirname(require.resolve('@temporalio/workflow/package.json')), '../..');

/** The bundle a worker runs for `workflows`, with Docket's failure converter (tests and benches prebuild one). */
export function bundleWorkflows(
  workflows: WorkflowRegistry,
  options: Omit<BundleOptions, 'workflowsPath'> = {},
): Promise<WorkflowBundleWithSourceMap> {
  return withWorkflowBundleEntry(workflows, (workflowsPath) =>
    bundleWorkflowCode({
      failureConverterPath: FAILURE_CONVERTER_PATH,
      ...options,
      workflowsPath,
      webpackConfigHook: (config) => {
        const modules = config.resolve?.modules ?? ['node_modules'];
        const resolved = { ...config, resolve: { ...config.resolve, modules: [...modules, SDK_MODULES] } };
        return options.webpackConfigHook ? options.webpackConfigHook(resolved) : resolved;
      },
    }),
  );
}
