import { ApplicationFailure, Context } from '@temporalio/activity';

/**
 * The workflow run that scheduled the running activity: audited activities and those that read a
 * workflow's personal data run only inside workflows.
 */
export function workflowRun(): { workflowId: string; runId: string } {
  const { info } = Context.current();
  if (!info.workflowExecution) {
    throw ApplicationFailure.nonRetryable(
      `${info.activityType}: this activity must be scheduled by a workflow`,
      'WorkflowContextMissing',
    );
  }
  return info.workflowExecution;
}
