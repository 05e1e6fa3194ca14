/**
 * What every workflow type's run does around its stages, written once: the review gate with its audit
 * records, notifications and visibility; the status query; the stage search attribute; the model-call hooks
 * (usage, budget, retry policy, task queues); and how a run ends (completed, rejected, failed).
 */
import { setHandler, upsertSearchAttributes } from '@temporalio/workflow';
import { addUsage, type DocketEvent, type DocketEventType, type WorkflowStatusBase } from '../domain';
import type { AgentLoopHooks, ModelCallPolicy } from './agent-loop';
import type { AuditTrail } from './audit-trail';
import { failureText } from './activity-proxies';
import { statusQuery } from './messages';
import { countWorkflowEnd } from './metrics';
import { eventSender, reviewEventData, type EventSender } from './notifications';
import { ReviewGate, type ReviewSettings } from './review/gate';
import { showReviewInVisibility } from './review/visibility';
import { DocketReviewStatus, DocketStage } from './search-attributes';
import { today } from './workflow-time';

/** The settings the harness reads (absent parts: runs from before they existed). */
export interface HarnessSettings {
  review: ReviewSettings;
  notifyEvents: DocketEventType[];
  modelCalls?: ModelCallPolicy;
  budgetUsd?: number | null;
  modelTaskQueues?: Partial<Record<string, string>>;
}

export interface RunHarness<Status> {
  gate: ReviewGate;
  events: EventSender;
  setStage(stage: string): void;
  /** The hooks of the run's agents; `onToolResult` is the type's (default: nothing recorded). */
  agentHooks(onToolResult?: AgentLoopHooks['onToolResult']): AgentLoopHooks;
  /** Ends the run completed or rejected: events and audit rows out, the end counted. */
  finish(status: 'completed' | 'rejected', data?: DocketEvent['data']): Promise<Status>;
  /** Ends the run failed with `err`, which it throws on. */
  fail(err: unknown): Promise<never>;
}

/**
 * Installs the run's handlers and returns what its stages use. Its first command is the review-status search
 * attribute, as in every run so far, so histories replay.
 */
export function runHarness<Status extends WorkflowStatusBase>(
  state: Status,
  settings: HarnessSettings,
  audit: AuditTrail,
): RunHarness<Status> {
  const events = eventSender(state.workflowId, settings.notifyEvents);
  const gate = new ReviewGate(state, settings.review, {
    onReviewStatus(status, review) {
      if (status === 'decided') audit.record('review_decision', review.id, review);
      // The trail shows why the item waits while it waits.
      if (status === 'pending') audit.send();
      showReviewInVisibility(status, review);
    },
    notify: (type, review) => events.send(type, review.id, reviewEventData(review)),
  });
  setHandler(statusQuery, () => state);
  gate.install();
  upsertSearchAttributes([{ key: DocketReviewStatus, value: 'none' }]);
  const setStage = (stage: string) => {
    (state as WorkflowStatusBase).stage = stage;
    upsertSearchAttributes([{ key: DocketStage, value: stage }]);
  };
  return {
    gate,
    events,
    setStage,
    agentHooks: (onToolResult = () => undefined) => ({
      onUsage: (usage) => addUsage(state.usage, usage),
      onToolResult,
      toolContext: {
        get asOf() {
          return today();
        },
      },
      modelCalls: settings.modelCalls,
      modelTaskQueues: settings.modelTaskQueues,
      budget:
        settings.budgetUsd == null
          ? undefined
          : {
              limitUsd: settings.budgetUsd,
              spent: () => state.usage.total.costUsd,
              calls: () => state.usage.calls,
            },
    }),
    async finish(status, data = {}) {
      state.status = status;
      setStage(status === 'completed' ? 'done' : 'rejected');
      events.send(`workflow.${status}`, undefined, data);
      await Promise.all([events.flush(), audit.flush()]);
      countWorkflowEnd(status);
      return state;
    },
    async fail(err) {
      countWorkflowEnd('failed');
      state.status = 'failed';
      state.error = failureText(err);
      const stage = state.stage;
      setStage('failed');
      events.send('workflow.failed', undefined, { stage });
      await Promise.all([events.flush(), audit.flush()]);
      throw err;
    },
  };
}
