import { WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { ConfigError, durationMs, modelTaskQueues, type DocketConfig, type TierName } from '../config';
import { Urgency, legalIntakeWorkflowId, type IntakeRequest } from '../domain';
import type { PersonalDataStore } from '../personal-data';
import {
  DocketReviewStatus,
  DocketStage,
  LEGAL_INTAKE_WORKFLOW_TYPE,
  LegalIntakeReviewStage,
  type LegalIntakeInput,
  type LegalIntakeSettings,
} from '../workflows';

/**
 * The settings a legal intake runs with, taken from config when it starts. Throws a ConfigError for a
 * `review.sla` key that names no stage or urgency (a typo would silently fall back to the default).
 */
export function legalIntakeSettings(
  config: Pick<
    DocketConfig,
    'agents' | 'review' | 'policy' | 'notifications' | 'modelCalls' | 'budget' | 'temporal' | 'models'
  >,
): LegalIntakeSettings {
  for (const key of Object.keys(config.review.sla)) {
    const [first, second] = key.split('.');
    const known =
      key === 'default' ||
      (second === undefined
        ? STAGES.includes(first) || URGENCIES.includes(first)
        : STAGES.includes(first) && URGENCIES.includes(second));
    if (!known) {
      throw new ConfigError(
        `review.sla.${key}: not default, a stage (${STAGES.join(', ')}), an urgency (${URGENCIES.join(', ')}) or <stage>.<urgency>`,
      );
    }
  }
  return {
    thresholds: {
      classifier: config.agents.classifier.confidenceThreshold,
      reasoner: config.agents.reasoner.confidenceThreshold,
      drafter: config.agents.drafter.confidenceThreshold,
    },
    maxToolRounds: config.agents.reasoner.maxToolRounds,
    review: {
      slaMs: Object.fromEntries(Object.entries(config.review.sla).map(([key, d]) => [key, durationMs(d)])),
      escalateAfterMs: config.review.escalateAfter === null ? null : durationMs(config.review.escalateAfter),
      escalateAction: config.review.escalateAction,
    },
    policy: config.policy,
    notifyEvents: [...new Set(config.notifications.webhooks.flatMap((webhook) => webhook.events))],
    modelCalls: {
      giveUpAfterMs: durationMs(config.modelCalls.giveUpAfter),
      maximumBackoffMs: durationMs(config.modelCalls.maximumBackoff),
    },
    budgetUsd: config.budget.perWorkflowUsd,
    modelTaskQueues: modelTaskQueues(config.temporal.taskQueue, Object.keys(config.models) as TierName[]),
  };
}

const STAGES: readonly string[] = LegalIntakeReviewStage.options;
const URGENCIES: readonly string[] = Urgency.options;

/** What starting an intake needs: Temporal, the config it runs with, and where the raw intake is kept. */
export interface IntakeStarter {
  client: Client;
  config: Pick<
    DocketConfig,
    'temporal' | 'agents' | 'review' | 'policy' | 'notifications' | 'modelCalls' | 'budget' | 'models'
  >;
  personal: PersonalDataStore;
}

export interface StartedIntake {
  workflowId: string;
  runId: string;
  /** False when this externalId already had a workflow: the existing run is returned. */
  created: boolean;
}

/** The closed states a new run of the same externalId may follow (Temporal's "failed only" reuse policy). */
const RESUBMITTABLE: readonly string[] = ['FAILED', 'TERMINATED', 'CANCELLED', 'TIMED_OUT'];

/**
 * Starts a legal intake, or finds the one already started for the same externalId. The raw intake is
 * stored (sealed) in Docket's database first and the workflow gets only its externalId: clear-text
 * identities never enter Temporal history. Storing keeps the first intake of an externalId, so a repeat
 * neither overwrites nor duplicates it; an intake stored whose start then failed is used by the retry.
 * When the last run failed (or was terminated, cancelled, timed out), the same externalId starts a new run
 * with the intake as sent now: the way to resubmit.
 */
export async function startLegalIntake(
  { client, config, personal }: IntakeStarter,
  intake: IntakeRequest,
): Promise<StartedIntake> {
  const workflowId = legalIntakeWorkflowId(intake.externalId);
  const input: LegalIntakeInput = { externalId: intake.externalId, settings: legalIntakeSettings(config) };
  // Only a repeat asks Temporal about the earlier run: a resubmission after a failed one brings the intake
  // as it is now, which replaces the stored one.
  if (!(await personal.saveIntake(workflowId, intake))) {
    const previous = await client.workflow
      .getHandle(workflowId)
      .describe()
      .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
    if (previous && RESUBMITTABLE.includes(previous.status.name)) {
      await personal.replaceIntake(workflowId, intake);
    }
  }
  try {
    const handle = await client.workflow.start(LEGAL_INTAKE_WORKFLOW_TYPE, {
      workflowId,
      taskQueue: config.temporal.taskQueue,
      args: [input],
      // An externalId names one intake: a running or completed (or rejected) run is never started again;
      // one that failed, was terminated, cancelled or timed out may be, as a new run of the same workflow.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
      typedSearchAttributes: [
        { key: DocketStage, value: 'received' },
        { key: DocketReviewStatus, value: 'none' },
      ],
    });
    return { workflowId, runId: handle.firstExecutionRunId, created: true };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    const description = await client.workflow.getHandle(workflowId).describe();
    return { workflowId, runId: description.runId, created: false };
  }
}
