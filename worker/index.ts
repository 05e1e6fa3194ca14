export { createDocketWorker } from './worker';
export type { DocketWorkerOptions } from './worker';
