/** The clinical summary's workflow function: the engine's pipeline workflow over its stages. */
import { pipelineWorkflow } from '../pipeline/workflow';
import { clinicalPipeline } from './pipeline';

export const clinicalSummary = pipelineWorkflow(clinicalPipeline);
