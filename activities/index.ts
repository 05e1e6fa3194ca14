import type { BatchPoll, ModelGateway } from '../agents/gateway';
import type { DocketConfig, Logger, Webhook } from '../config';
import { WorkflowDefinitionError, type WorkflowRegistry } from '../domain';
import type { Database } from '../db';
import type { PersonalDataStore, TranscriptStore } from '../personal-data';
import { createAuditTrail } from './audit';
import { createIdentityChecks } from './identity-checks';
import { createModelActivities, type CallModelInput, type PollModelBatchInput } from './model';
import { createNotificationActivities } from './notifications';
import {
  createPersonalDataActivities,
  pseudonymousTools,
  screenModelTurn,
  type PseudonymizeTexts,
} from './personal-data';
import { capped } from './payload-cap';
import { TokenRateLimiter } from './token-rate';
import { createToolActivities } from './tools';

export interface ActivityDeps {
  /** The registered workflow types: the agents their model calls name, the activities they bring. */
  workflows: WorkflowRegistry;
  db: Database;
  gateway: ModelGateway;
  logger: Logger;
  /** Receivers of signed event notifications (`notifications.webhooks` in config). */
  webhooks: readonly Webhook[];
  /** The sealed raw intakes and pseudonym mappings. */
  personal: PersonalDataStore;
  pseudonymization: DocketConfig['pseudonymization'];
  /** The most an activity's input or its result may weigh, as JSON (`worker.maxPayloadBytes`). */
  maxPayloadBytes: number;
  /** Agents' earlier messages, so model calls carry only new ones. */
  transcripts: TranscriptStore;
  /** Per tier: calls per second, per worker, tokens per minute (`rateLimits`). */
  rateLimits: DocketConfig['rateLimits'];
  /** Where intakes are pseudonymized; default: in this thread. */
  pseudonymize?: PseudonymizeTexts;
}

/**
 * Every activity Docket registers, built over injected connections (tests inject their own). Each one
 * that acts is wrapped by the audit trail, which appends its row from inside the activity. Models and
 * tools see tokens: a model's turn is screened for identifiers in clear, the tools re-identify inside.
 */
export function createActivities(deps: ActivityDeps) {
  const {
    workflows,
    db,
    gateway,
    logger,
    webhooks,
    personal,
    pseudonymization,
    maxPayloadBytes,
    transcripts,
    rateLimits,
    pseudonymize,
  } = deps;
  const audit = createAuditTrail({ db, logger });
  const agents = workflows.agent.bind(workflows);
  const { callModel, submitModelBatch, pollModelBatch } = createModelActivities({
    agents,
    gateway,
    logger: logger.child({ activity: 'callModel' }),
    transcripts,
    tokenRate: new TokenRateLimiter(db),
    rateLimits,
  });
  const tools = createToolActivities({ db, logger, personal });
  const tokenTools = pseudonymousTools(tools, personal);
  const identityChecks = createIdentityChecks({ db, store: personal });
  const { deliverEvent } = createNotificationActivities({ webhooks, logger });
  const { pseudonymizeIntake, pseudonymizeInput } = createPersonalDataActivities({
    workflows,
    db,
    store: personal,
    config: { pseudonymization },
    pseudonymize,
  });
  const activities = {
    pseudonymizeIntake,
    pseudonymizeInput,
    callModel: audit.modelCalls(
      async (input: CallModelInput) => screenModelTurn(await callModel(input), personal),
      agents,
    ),
    submitModelBatch,
    async pollModelBatch(input: PollModelBatchInput): Promise<BatchPoll> {
      const polled = await pollModelBatch(input);
      if (polled.state !== 'done') return polled;
      // A batched answer is screened and recorded as a live call's is, once, when it is read.
      const answer = polled.turn;
      const turn = await audit.modelCalls(async () => screenModelTurn(answer, personal), agents)(input.call);
      return { state: 'done', turn };
    },
    lookupClient: audit.toolCalls('lookupClient', tokenTools.lookupClient),
    checkConflicts: audit.toolCalls('checkConflicts', tokenTools.checkConflicts),
    limitationPeriod: audit.toolCalls('limitationPeriod', tools.limitationPeriod),
    checkIntakeConflicts: audit.toolCalls('checkIntakeConflicts', identityChecks.checkIntakeConflicts),
    limitationCandidates: audit.toolCalls('limitationCandidates', identityChecks.limitationCandidates),
    createCase: audit.caseFilings(tools.createCase),
    deliverEvent: audit.notifications(deliverEvent),
    recordAudit: audit.recordAudit,
  };
  // What the registered types bring (their tools' executors, their own actions), audited like the rest.
  const brought: Record<string, (input: never) => Promise<unknown>> = {};
  for (const definition of workflows.definitions) {
    for (const [name, activity] of Object.entries(definition.activities?.(deps) ?? {})) {
      if (name in activities || name in brought) {
        throw new WorkflowDefinitionError(
          `workflow type ${definition.restName}: activity ${name} is already registered`,
        );
      }
      brought[name] = audit.toolCalls(name, activity as (input: unknown) => Promise<unknown>);
    }
  }
  workflows.checkExecutors([...Object.keys(activities), ...Object.keys(brought)]);
  return Object.fromEntries(
    Object.entries({ ...brought, ...activities }).map(([name, activity]) => [
      name,
      capped(name, maxPayloadBytes, activity as (input: unknown) => Promise<unknown>),
    ]),
  ) as typeof activities;
}

export type DocketActivities = ReturnType<typeof createActivities>;
export type { CallModelInput, ModelFailureDetails, PollModelBatchInput } from './model';
export type { DeliverEventResult } from './notifications';
export type { RecordAuditBatch, RecordAuditInput, RecordAuditResult } from './audit';
export type { PseudonymizedIntake, PseudonymizeTexts } from './personal-data';
export type {
  IntakeConflictsInput,
  IntakeConflictsResult,
  LimitationCandidate,
  LimitationCandidatesResult,
} from './identity-checks';
export { PAYLOAD_TOO_LARGE } from './payload-cap';
export { withModelCallMetrics } from './model';
export { signDocketPayload, verifyDocketSignature } from './notifications';
