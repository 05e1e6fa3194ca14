/** Docket's workflows and the memo check, as one bundle entry (tests written before registries made it). */
export * from '../../../workflows/bundle';
export { memoCheck } from './workflow';
