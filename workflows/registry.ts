/**
 * The workflow types this deployment runs: one line per type. The engine never imports this file; the
 * processes that assemble Docket (the API, the worker, scripts, eval, bench and tests) hand it to the engine.
 */
import { WorkflowRegistry, type AnyWorkflowDefinition } from '../domain';
import { clinicalSummaryDefinition } from './clinical-summary';
import { legalIntakeDefinition } from './legal-intake/definition';

export const workflowRegistry = new WorkflowRegistry([
  legalIntakeDefinition as AnyWorkflowDefinition,
  clinicalSummaryDefinition as AnyWorkflowDefinition,
]);
