/** What shows that a kill hit work in progress: the victim's own slot gauges, and the histories afterwards. */
import type { Client } from '@temporalio/client';

/** Tasks a worker was running, from the Temporal SDK's Prometheus endpoint (`temporal_worker_task_slots_used`). */
export interface SlotsInUse {
  activities: number;
  workflowTasks: number;
}

/** Scrapes `http://<address>/metrics` of a worker; null when it does not answer or lacks the gauge. */
export async function slotsInUse(bindAddress: string): Promise<SlotsInUse | null> {
  const text = await fetch(`http://${bindAddress}/metrics`, { signal: AbortSignal.timeout(2_000) }).then(
    (r) => r.text(),
    () => null,
  );
  if (text === null) return null;
  const sum = (workerType: string): number | null => {
    const values = text
      .split('\n')
      .filter(
        (line) =>
          line.startsWith('temporal_worker_task_slots_used{') && line.includes(`worker_type="${workerType}"`),
      )
      .map((line) => Number(line.slice(line.lastIndexOf(' ') + 1)));
    return values.length === 0 ? null : values.reduce((a, b) => a + b, 0);
  };
  const activities = sum('ActivityWorker');
  const workflowTasks = sum('WorkflowWorker');
  if (activities === null && workflowTasks === null) return null;
  return { activities: activities ?? 0, workflowTasks: workflowTasks ?? 0 };
}

/** What the histories of a run's workflows say about the work that had to be done again. */
export interface RetriedWork {
  /** Activity attempts after the first (a killed worker's activity is retried after its timeout). */
  activityRetries: number;
  /** Workflow tasks that timed out (a killed worker held them) and ran again elsewhere. */
  workflowTaskTimeouts: number;
  /** Workflows with at least one of either. */
  workflowsAffected: number;
}

export async function retriedWork(client: Client, workflowIds: readonly string[]): Promise<RetriedWork> {
  const result: RetriedWork = { activityRetries: 0, workflowTaskTimeouts: 0, workflowsAffected: 0 };
  for (let i = 0; i < workflowIds.length; i += 20) {
    const histories = await Promise.all(
      workflowIds.slice(i, i + 20).map((id) => client.workflow.getHandle(id).fetchHistory()),
    );
    for (const history of histories) {
      let retries = 0;
      let timeouts = 0;
      for (const event of history.events ?? []) {
        const attempt = event.activityTaskStartedEventAttributes?.attempt ?? 1;
        if (attempt > 1) retries += attempt - 1;
        if (event.workflowTaskTimedOutEventAttributes) timeouts += 1;
      }
      result.activityRetries += retries;
      result.workflowTaskTimeouts += timeouts;
      if (retries + timeouts > 0) result.workflowsAffected += 1;
    }
  }
  return result;
}
