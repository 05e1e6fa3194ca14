/**
 * What one finished run cost Temporal, read from its history: workflow tasks, activities, events, bytes,
 * the time tasks waited to be picked up (schedule-to-start) and the time the worker spent on them.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';

const EventType = temporal.api.enums.v1.EventType;
type HistoryEvent = temporal.api.history.v1.IHistoryEvent;

export interface RunProfile {
  events: number;
  historyBytes: number;
  /** Bytes of payload data (inputs and results as Temporal stores them, after the codec). */
  payloadBytes: number;
  workflowTasks: number;
  activities: number;
  /** Per activity type: how many, and ms from scheduled to started and started to completed. */
  byActivity: Record<string, { count: number; scheduleToStartMs: number; startToCloseMs: number }>;
  /** Summed over the run's workflow tasks. */
  workflowTaskScheduleToStartMs: number;
  workflowTaskStartToCloseMs: number;
}

function ms(event: HistoryEvent): number {
  const t = event.eventTime;
  return t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : 0;
}

/** Sums every `data` buffer under `value` (payloads are `{ metadata, data }` everywhere in history). */
function payloadBytes(value: unknown): number {
  if (value instanceof Uint8Array) return 0;
  if (Array.isArray(value)) return value.reduce((sum: number, v) => sum + payloadBytes(v), 0);
  if (value && typeof value === 'object') {
    let sum = 0;
    for (const [key, v] of Object.entries(value)) {
      sum += key === 'data' && v instanceof Uint8Array ? v.length : payloadBytes(v);
    }
    return sum;
  }
  return 0;
}

export async function profileRun(client: Client, workflowId: string): Promise<RunProfile> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const byId = new Map(events.map((e) => [Number(e.eventId), e]));
  const profile: RunProfile = {
    events: events.length,
    historyBytes: temporal.api.history.v1.History.encode(history).finish().length,
    payloadBytes: payloadBytes(history),
    workflowTasks: 0,
    activities: 0,
    byActivity: {},
    workflowTaskScheduleToStartMs: 0,
    workflowTaskStartToCloseMs: 0,
  };
  for (const event of events) {
    if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      const scheduled = byId.get(Number(event.workflowTaskStartedEventAttributes?.scheduledEventId));
      if (scheduled) profile.workflowTaskScheduleToStartMs += ms(event) - ms(scheduled);
    } else if (event.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED) {
      profile.workflowTasks += 1;
      const started = byId.get(Number(event.workflowTaskCompletedEventAttributes?.startedEventId));
      if (started) profile.workflowTaskStartToCloseMs += ms(event) - ms(started);
    } else if (event.eventType === EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
      const attributes = event.activityTaskCompletedEventAttributes;
      const scheduled = byId.get(Number(attributes?.scheduledEventId));
      const started = byId.get(Number(attributes?.startedEventId));
      const type = scheduled?.activityTaskScheduledEventAttributes?.activityType?.name ?? '?';
      profile.activities += 1;
      const entry = (profile.byActivity[type] ??= { count: 0, scheduleToStartMs: 0, startToCloseMs: 0 });
      entry.count += 1;
      if (scheduled && started) {
        entry.scheduleToStartMs += ms(started) - ms(scheduled);
        entry.startToCloseMs += ms(event) - ms(started);
      }
    }
  }
  return profile;
}

/** The mean of several runs' profiles (per run). */
export function meanProfile(profiles: RunProfile[]): RunProfile {
  const n = profiles.length || 1;
  const mean: RunProfile = {
    events: 0,
    historyBytes: 0,
    payloadBytes: 0,
    workflowTasks: 0,
    activities: 0,
    byActivity: {},
    workflowTaskScheduleToStartMs: 0,
    workflowTaskStartToCloseMs: 0,
  };
  for (const p of profiles) {
    mean.events += p.events / n;
    mean.historyBytes += p.historyBytes / n;
    mean.payloadBytes += p.payloadBytes / n;
    mean.workflowTasks += p.workflowTasks / n;
    mean.activities += p.activities / n;
    mean.workflowTaskScheduleToStartMs += p.workflowTaskScheduleToStartMs / n;
    mean.workflowTaskStartToCloseMs += p.workflowTaskStartToCloseMs / n;
    for (const [type, a] of Object.entries(p.byActivity)) {
      const entry = (mean.byActivity[type] ??= { count: 0, scheduleToStartMs: 0, startToCloseMs: 0 });
      entry.count += a.count / n;
      entry.scheduleToStartMs += a.scheduleToStartMs / n;
      entry.startToCloseMs += a.startToCloseMs / n;
    }
  }
  return mean;
}
