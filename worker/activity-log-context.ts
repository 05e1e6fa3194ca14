import { Context } from '@temporalio/activity';

/**
 * pino mixin for the worker: inside an activity, every log line carries the workflow id, the activity
 * and the attempt, read from Temporal's activity context; elsewhere it adds nothing.
 */
export function activityLogContext(): Record<string, unknown> {
  let info: Context['info'];
  try {
    info = Context.current().info;
  } catch {
    return {}; // not inside an activity
  }
  return {
    workflowId: info.workflowExecution?.workflowId,
    activity: info.activityType,
    attempt: info.attempt,
  };
}
