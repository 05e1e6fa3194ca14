/** The memo check's workflow function: the engine's pipeline workflow over the memo check's stages. */
import { pipelineWorkflow } from '../../../workflows/pipeline/workflow';
import { memoPipeline } from './pipeline';

export const memoCheck = pipelineWorkflow(memoPipeline);
