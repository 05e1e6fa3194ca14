/**
 * What other folders reuse from scripts/ (everything else here is a command run by `npm run …`): the
 * Temporal dev server that `npm start`, the evaluation and the benchmarks start.
 */
export { startTemporalDevServer, type DevServerOptions, type RunningDevServer } from './temporal-dev-server';
