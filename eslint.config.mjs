import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['openai', 'pg', 'pino', 'express', 'node:*', 'fs', 'http'],
              message: 'Workflow code must stay deterministic: no I/O imports.',
            },
            {
              group: [
                '../activities',
                '../activities/*',
                '../agents/gateway',
                '../agents/gateway/*',
                './activities',
              ],
              allowTypeImports: true,
              message: 'Workflows see activities as types only.',
            },
          ],
        },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use uuid4() or workflow state.' },
        { object: 'Date', property: 'now', message: 'Use workflow time through new Date() or sleep().' },
      ],
    },
  },
  {
    // A workflow type's own activities (`workflows/<type>/activities.ts`) and the definition that registers
    // them run on the worker, not in the sandbox; workflow code imports them as types only (rule above).
    files: ['workflows/*/activities.ts', 'workflows/*/definition.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The review page's scripts run in the browser as ES modules (api/review-page/assets).
    files: ['api/review-page/assets/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(
        [
          'window',
          'document',
          'location',
          'sessionStorage',
          'fetch',
          'crypto',
          'URL',
          'URLSearchParams',
          'Intl',
          'Node',
        ].map((name) => [name, 'readonly']),
      ),
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ignores: ['api/review-page/assets/**'],
    languageOptions: {
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly', process: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
