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
function entrySource(workflows: WorkflowRegistry): string {
  return [
    '// Made by worker/workflow-bundle.ts from the registry of workflow types; not kept.',
    ...workflowBundleModules(workflows).map(
      ([name, module]) => `export { ${name} } from ${JSON.stringify(module.replace(/\.[cm]?[tj]s$/, ''))};`,
    ),
    '',
  ].join('\n');
}

/**
 * Where the SDK's own modules are: the bundler resolves the entry's imports (the SDK adds one of its own
 * beside the entry) from the entry's directory, which is outside the project.
 */
const SDK_MODULES = path.resolve(path.dirname(require.resolve('@temporalio/workflow/package.json')), '../..');

/**
 * The bundle a worker runs for `workflows`, with Docket's failure converter (tests and benches prebuild one).
 * The entry is written to a directory of its own (the bundler reads a path) and removed afterwards; the
 * modules it names are absolute paths, so their imports resolve where they live.
 */
export async function bundleWorkflows(
  workflows: WorkflowRegistry,
  options: Omit<BundleOptions, 'workflowsPath'> = {},
): Promise<WorkflowBundleWithSourceMap> {
  const dir = mkdtempSync(path.join(tmpdir(), 'docket-workflows-'));
  try {
    const workflowsPath = path.join(dir, 'workflows.ts');
    writeFileSync(workflowsPath, entrySource(workflows));
    return await bundleWorkflowCode({
      failureConverterPath: FAILURE_CONVERTER_PATH,
      ...options,
      workflowsPath,
      webpackConfigHook: (config) => {
        const modules = config.resolve?.modules ?? ['node_modules'];
        const resolved = { ...config, resolve: { ...config.resolve, modules: [...modules, SDK_MODULES] } };
        return options.webpackConfigHook ? options.webpackConfigHook(resolved) : resolved;
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
