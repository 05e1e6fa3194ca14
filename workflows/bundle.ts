/**
 * The workflow bundle's entry (the worker's `workflowsPath`): every workflow function Docket registers.
 * Temporal registers every function exported here as a workflow type, so nothing else is exported here;
 * what code outside workflows/ uses is exported by index.ts.
 */
export { legalIntake } from './legal-intake';
export { deliverNotification } from './notifications';
