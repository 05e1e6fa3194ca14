/** Legal intake and the memo check, registered together: the registry the memo check's tests run on. */
import { WorkflowRegistry, type AnyWorkflowDefinition } from '../../../domain';
import { legalIntakeDefinition } from '../../../workflows/legal-intake/definition';
import { memoCheckDefinition } from './definition';

export const withMemoCheck = new WorkflowRegistry([
  legalIntakeDefinition as AnyWorkflowDefinition,
  memoCheckDefinition as AnyWorkflowDefinition,
]);
