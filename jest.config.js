/** Jest runs TypeScript through SWC (no type checking: `npm run typecheck` does that once). */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Tests that take real minutes (a ten-minute outage) run apart: `npm run test:long`.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/long/'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2023' } }],
    // The few ES-module-only packages Docket uses (the letter's reading grade) become CommonJS for Jest.
    '^.+\\.js$': ['@swc/jest', { jsc: { target: 'es2023' }, module: { type: 'commonjs' } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(syllable|flesch-kincaid)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 60_000,
  // Jest's summary, then one plain `jest: N passed, N failed, N skipped` line (test/support/closing-line-reporter.js).
  reporters: ['default', '<rootDir>/test/support/closing-line-reporter.js'],
};
