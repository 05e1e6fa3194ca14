export { createDocketWorker } from './worker';
export type { DocketWorkerOptions } from './worker';
export { installTemporalLogging } from './temporal-logging';
export { activityLogContext } from './activity-log-context';
