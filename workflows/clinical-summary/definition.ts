/**
 * The clinical summary as the engine sees it: its names, its body, its stages with their thresholds, and
 * the activities it brings over the demo EHR. Node-side only: the workflow bundle never imports it.
 */
import { pipelineDefinition } from '../pipeline/definition';
import { createClinicalActivities, type ClinicalActivityDeps } from './activities';
import { CLINICAL_SUMMARY_REST_NAME, CLINICAL_SUMMARY_WORKFLOW_TYPE, ClinicalSummaryRequest } from './body';
import { clinicalPipeline } from './pipeline';

export const clinicalSummaryDefinition = pipelineDefinition<ClinicalSummaryRequest, ClinicalActivityDeps>({
  workflowType: CLINICAL_SUMMARY_WORKFLOW_TYPE,
  workflowModule: require.resolve('./workflow'),
  restName: CLINICAL_SUMMARY_REST_NAME,
  title:
    'Clinical summary: a clinical document extracted, its medications reconciled with the record, summarized, ' +
    'and filed to the EHR as FHIR',
  body: ClinicalSummaryRequest,
  bodyName: 'ClinicalSummaryRequest',
  pipeline: clinicalPipeline,
  // A document in another language or a thin extraction goes to a clinician rather than being filed.
  thresholds: { extractor: 0.7, reasoner: 0.6, drafter: 0.6 },
  activities: (deps) => createClinicalActivities(deps),
});
