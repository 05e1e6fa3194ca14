/** The worker's bundle for the throwaway type's test: Docket's workflows and the memo check. */
import { pipelineWorkflow } from '../../../workflows/pipeline/workflow';
import { memoPipeline } from './pipeline';

export * from '../../../workflows/bundle';
export const memoCheck = pipelineWorkflow(memoPipeline);
