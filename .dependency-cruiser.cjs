/**
 * Docket's layer rules (STYLE.md "Folders say what runs where", DESIGN.md "dependency rules in CI"), checked
 * by dependency-cruiser: `npm run deps`, and test/scripts/dependency-rules.test.ts proves each rule can fail.
 *
 * Type-only imports count (`tsPreCompilationDeps: true`): a type is a dependency of the design even though
 * the compiler erases it, so an upward or circular `import type` is as much a layering fault as a value
 * import. What reaches the workflow bundle at run time is guarded apart from these rules, by the eslint rule
 * on workflow imports and the replay tests that bundle the workflows.
 */
const path = require('node:path');

/** Top-level folders of source code; test/ is not one of them (tests may import anything). */
const SOURCE_FOLDERS = [
  'activities',
  'agents',
  'api',
  'audit',
  'bench',
  'client',
  'codec',
  'config',
  'db',
  'domain',
  'eval',
  'metrics',
  'personal-data',
  'pseudonymize',
  'scripts',
  'simulator',
  'worker',
  'workflows',
];
const FOLDER = `(${SOURCE_FOLDERS.join('|')})`;

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment:
        'No import cycles anywhere, tests included: a cycle makes load order decide what is undefined at ' +
        'start, and it means two modules are one module in two files. Move the shared piece to where it ' +
        'belongs (a type into the module both depend on) instead.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'api-not-temporal',
      comment:
        'api/ is HTTP only: it reaches Temporal through client/ (start, query, update, list, describe), ' +
        'never through the SDK nor the workflow code directly. The message definitions, search attributes ' +
        'and status schemas it needs are re-exported by client/index.ts. api/main.ts, the process that ' +
        'assembles the API, hands it the registry of workflow types (workflows/registry.ts).',
      severity: 'error',
      from: { path: '^api/', pathNot: '^api/main\\.ts$' },
      to: { path: ['(^|/)node_modules/@temporalio/', '^workflows/'] },
    },
    {
      name: 'no-deep-imports',
      comment:
        "Outside tests, a file reaches another top-level folder only through that folder's index.ts, its " +
        'public face; inside one folder, relative imports are free. Exemptions: agents/gateway/index.ts is ' +
        'the model gateway (openai), a public face of its own, kept out of agents/index.ts because workflow ' +
        'code imports agents/index.ts and its bundle must never pull in a provider client. ' +
        'pseudonymize/settings.ts and codec/keys.ts are pure leaves config/ reads while loading (the ' +
        "pseudonymization settings schema, the encryption key parser); their folders' indexes load the name " +
        'recognizer (compromise, about 0.7 s) and @temporalio/proto (about 0.35 s), which every process and ' +
        'test file that reads config would otherwise pay for. Workflow code needs no exemption: it imports ' +
        'the pure indexes of agents/ and domain/ and everything else as types only (erased from its bundle). ' +
        "workflows/index.ts is that folder's public face and not the bundle entry (the worker makes that from " +
        'the registry, worker/workflow-bundle.ts), because Temporal registers every function the entry exports ' +
        'as a workflow type. workflows/registry.ts, the ' +
        'list of workflow types, is a public face of its own: only the processes that assemble Docket (api/main.ts, ' +
        'worker/main.ts, scripts, eval, bench, tests) hand it to the engine, which never imports it.',
      severity: 'error',
      from: { path: `^${FOLDER}/` },
      to: {
        path: `^${FOLDER}/`,
        pathNot: [
          '^$1/',
          `^${FOLDER}/index\\.ts$`,
          '^agents/gateway/index\\.ts$',
          '^pseudonymize/settings\\.ts$',
          '^codec/keys\\.ts$',
          '^workflows/registry\\.ts$',
        ],
      },
    },
  ],
  options: {
    // The fixtures of the rules' own test break every rule on purpose; the test cruises them apart.
    exclude: { path: '^test/fixtures/dependency-rules/' },
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: path.join(__dirname, 'tsconfig.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.json'],
    },
  },
};
