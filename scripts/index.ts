/**
 * What other folders reuse from scripts/ (everything else here is a command run by `npm run …`): the
 * services a stack runs on, started one way for `npm start`, the tests, the evaluation and the benchmarks,
 * and the Temporal dev server among them.
 */
export { startDevStack, type DevStack, type DevStackOptions } from './dev-stack';
export { startTemporalDevServer, type DevServerOptions, type RunningDevServer } from './temporal-dev-server';
