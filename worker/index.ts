export { createDocketWorker } from './worker';
export type { DocketWorker, DocketWorkerOptions } from './worker';
export { installTemporalLogging } from './temporal-logging';
export { activityLogContext } from './activity-log-context';
export { bundleWorkflows, workflowBundleModules } from './workflow-bundle';
