import { proxyActivities, setHandler, upsertSearchAttributes, workflowInfo } from '@temporalio/workflow';
import {
  Classification as ClassificationSchema,
  LimitationPeriodArgs,
  classifier,
  classifierConfidence,
  classifierInput,
  drafter,
  drafterConfidence,
  drafterInput,
  reasoner,
  reasonerConfidence,
  reasonerInput,
  type Assessment,
  type Classification,
  type Draft,
  type LookupClientResult,
} from '../../agents';
import type { DocketActivities } from '../../activities';
import { senderName } from '../../domain';
import type {
  AgentDefinition,
  CascadeRung,
  ComputedConfidence,
  DocketEventType,
  IntakeRequest,
} from '../../domain';
import { runAgent, type ModelCallPolicy } from '../agent-loop';
import { auditTrail } from '../audit-trail';
import type { BatchLaneSettings } from '../batch-lane';
import type { BeforeCall, StageCascade } from '../cascade';
import { confidenceKeeper } from '../computed-confidence';
import { legalIntakeV1 } from '../legacy/legal-intake-v1';
import { intakeQuery } from '../messages';
import type { ReviewSettings } from '../review/gate';
import { runHarness } from '../run-harness';
import { DocketMatterType, DocketUrgency } from '../search-attributes';
import { runStage } from '../stage';
import {
  AUDIT_BATCHES,
  CHECKS_OVER_EVERY_IDENTITY,
  COMPUTED_CONFIDENCE,
  LOCAL_ACTIVITIES,
  REVIEW_GATE_V2,
  hasPatch,
} from '../patches';
import { PATIENT_BACKOFF, proxiesBothWays } from '../activity-proxies';
import { today } from '../workflow-time';
import {
  checkTools,
  conflictCheckArgs,
  limitationCheckArgs,
  runClientLookup,
  runConflictCheck,
  runIntakeConflictCheck,
  runLimitationCandidates,
  runLimitationCheck,
} from './checks';
import {
  assessmentGate,
  LEGAL_INTAKE_POLICY_CODES,
  checksRaisePolicy,
  classificationGate,
  draftGate,
  filingGate,
  inputsAlreadyAsked,
  type AssessmentGateSettings,
} from './gates';
import { initialLegalIntakeStatus, type LegalIntakeStatus } from './status';

/** Settings read from config when the workflow starts and kept in its history, so replays agree. */
export interface LegalIntakeSettings {
  thresholds: { classifier: number; reasoner: number; drafter: number };
  maxToolRounds: number;
  review: ReviewSettings;
  policy: Omit<AssessmentGateSettings, 'threshold'>;
  /** Event types some webhook subscribed to: each such event is delivered by a child workflow. */
  notifyEvents: DocketEventType[];
  /** How long model calls are retried before a person decides the stage (absent in older runs). */
  modelCalls?: ModelCallPolicy;
  /** What the run may spend on models, in USD; null or absent: no budget. */
  budgetUsd?: number | null;
  /** Each tier's model-call task queue (absent in older runs: model calls ran on the workflow's queue). */
  modelTaskQueues?: Partial<Record<string, string>>;
  /** The agents' cascades, by agent (config `agents.<agent>.cascade`); absent: each agent on its own tier. */
  cascades?: Record<string, CascadeRung[]>;
  /** The batch lane (absent in older runs: every call live). */
  batch?: BatchLaneSettings;
}

/**
 * What a legal intake starts with: a reference, never the intake. The API stores the raw intake in
 * Docket's database under the workflow id; the first activity reads it and returns it pseudonymized.
 */
export interface LegalIntakeInput {
  externalId: string;
  settings: LegalIntakeSettings;
  /** Only in runs started before pseudonymization, which carried the intake in clear: they replay as they ran. */
  intake?: IntakeRequest;
}

const pseudonymizeActivities = proxiesBothWays({
  startToCloseTimeout: '1 minute',
  // Reads the database: retried while it is away; a missing (erased) intake is final.
  retry: {
    ...PATIENT_BACKOFF,
    maximumAttempts: 20,
    nonRetryableErrorTypes: ['IntakeNotFound'],
  },
});

const { createCase } = proxyActivities<DocketActivities>({
  startToCloseTimeout: '30 seconds',
  // The one high-impact action: idempotent on the workflow id, so it may retry for as long as it takes.
  retry: {
    ...PATIENT_BACKOFF,
    maximumAttempts: 20,
  },
});

const recordAuditActivities = proxiesBothWays({
  startToCloseTimeout: '30 seconds',
  // The audit row must land: retried for as long as the database needs; bad input is a bug, not retried.
  retry: {
    ...PATIENT_BACKOFF,
    maximumAttempts: 50,
    nonRetryableErrorTypes: ['InvalidAuditRecord'],
  },
});

/**
 * Legal intake: classify → mandatory checks → reason (tools) → draft → file the case, with a gate after
 * each stage and a person deciding whatever a gate does not pass.
 */
export async function legalIntake(input: LegalIntakeInput): Promise<LegalIntakeStatus> {
  if (!hasPatch(REVIEW_GATE_V2)) return (await legalIntakeV1(input as never)) as never;
  const everyIdentity = hasPatch(CHECKS_OVER_EVERY_IDENTITY);
  const { settings } = input;
  const { workflowId } = workflowInfo();
  const state = initialLegalIntakeStatus(workflowId, input.intake?.externalId ?? input.externalId);
  const confidences = hasPatch(COMPUTED_CONFIDENCE)
    ? confidenceKeeper<'classify' | 'reason' | 'draft'>((state.results.confidence = emptyConfidences()))
    : null;
  // The pseudonymized intake, once the first activity returned it (a run started with the clear intake,
  // before pseudonymization, goes on with that; the choice rests on the input alone, so replays agree).
  let intake: IntakeRequest | undefined = input.intake;
  const batched = hasPatch(AUDIT_BATCHES);
  const where = hasPatch(LOCAL_ACTIVITIES) ? 'local' : 'remote';
  const tools = checkTools(where === 'local');
  const audit = auditTrail(batched, recordAuditActivities[where].recordAudit);
  const harness = runHarness(state, settings, audit);
  const { gate, setStage } = harness;
  setHandler(intakeQuery, () => intake ?? null);
  const finish = (status: 'completed' | 'rejected') =>
    harness.finish(status, status === 'completed' ? { caseId: state.result?.caseId ?? null } : {});
  const toolsCalled: string[] = [];
  const hooks = harness.agentHooks((name, result, args) => {
    toolsCalled.push(name);
    const at = today();
    const { checks } = state.results;
    if (name === 'checkConflicts') {
      checks.conflicts.push({ source: 'reasoner', at, result: result as never, missing: [] });
    } else if (name === 'limitationPeriod') {
      const parsed = LimitationPeriodArgs.safeParse(args);
      const run = { source: 'reasoner' as const, at, result: result as never, missing: [] };
      checks.limitation.push({ ...run, args: parsed.success ? parsed.data : null });
    } else {
      state.results.clientLookup = result as never;
    }
  });
  const { thresholds } = settings;
  // The intake body's tokens, as the first activity counted them (absent in runs from before it did).
  let documentTokens: number | null = null;
  const cascadeOf = (
    agent: AgentDefinition,
    before: () => Omit<BeforeCall, 'documentTokens'>,
  ): StageCascade | undefined => {
    const rungs = settings.cascades?.[agent.name];
    return (
      rungs && {
        rungs,
        policyCodes: LEGAL_INTAKE_POLICY_CODES,
        before: () => ({ ...before(), documentTokens }),
      }
    );
  };

  try {
    if (!intake) {
      const read = await pseudonymizeActivities[where].pseudonymizeIntake();
      intake = read.intake;
      documentTokens = read.documentTokens ?? null;
    }
    const received = intake;
    const { body, from } = received;
    setStage('classify');
    const sourceText = [received.from, received.subject, received.body].filter(Boolean).join('\n');
    let directory: LookupClientResult | null = null;
    const classification = await runStage(
      gate,
      {
        stage: 'classify',
        agent: classifier,
        cascade: cascadeOf(classifier, () => ({ urgency: null, policy: false })),
        async run(how) {
          const run = await runAgent<Classification>(classifier, classifierInput(received), 1, hooks, how);
          const parsed =
            confidences && run.kind === 'output' ? ClassificationSchema.safeParse(run.output) : null;
          if (parsed?.success) directory = await runClientLookup(tools, parsed.data.client);
          return confidences?.keep('classify', run) ?? run;
        },
        check: (out) =>
          classificationGate(
            out,
            thresholds.classifier,
            confidences?.record('classify', (choices) =>
              classifierConfidence(out, { choices, clientLookup: directory, sourceText, today: today() }),
            ),
            everyIdentity
              ? { sender: senderName(from), whenCheckIncomplete: settings.policy.whenCheckIncomplete }
              : undefined,
          ),
        confidence: (out) => confidences?.value('classify') ?? out.confidence,
        show(out) {
          state.results.classification = out;
          // The queue filters and sorts on these from the first review on, a classify review included.
          if (out) {
            upsertSearchAttributes([
              { key: DocketUrgency, value: out.urgency },
              { key: DocketMatterType, value: out.matterType },
            ]);
          }
        },
        recordGate: (result) => {
          state.results.gates.classify = result;
          audit.record('gate_result', 'gate-classify', { stage: 'classify', ...result });
        },
        urgency: (out) => out?.urgency ?? null,
      },
      settings.batch,
    );
    if (!classification) return await finish('rejected');
    const urgency = () => classification.urgency;

    setStage('reason');
    const limitationArgs = limitationCheckArgs(classification);
    const [conflicts, limitation, candidates] = await Promise.all([
      everyIdentity
        ? runIntakeConflictCheck(tools, classification, today()).then((run) => [run])
        : Promise.all(
            conflictCheckArgs(classification, { from }).map((c) => runConflictCheck(tools, c, today())),
          ),
      runLimitationCheck(tools, limitationArgs, today()),
      everyIdentity ? runLimitationCandidates(tools, limitationArgs, today()) : null,
    ]);
    state.results.checks.conflicts.push(...conflicts);
    if (candidates) limitation.missing.push(...candidates.missing);
    state.results.checks.limitation.push(limitation, ...(candidates?.runs ?? []));
    // A cascade's policy rule: what the mandatory checks raised before any model read them.
    const beforeLaterStages = () => ({
      urgency: classification.urgency,
      policy: checksRaisePolicy(
        state.results.checks,
        settings.policy,
        today(),
        everyIdentity ? inputsAlreadyAsked(state.reviewHistory) : [],
      ),
    });
    const assessment = await runStage(
      gate,
      {
        stage: 'reason',
        agent: reasoner,
        cascade: cascadeOf(reasoner, beforeLaterStages),
        urgency,
        run: async (how) => {
          // A climb's answer rests on the tools its own run called.
          if (how.rung) toolsCalled.length = 0;
          const run = await runAgent<Assessment>(
            reasoner,
            reasonerInput({ classification, intakeBody: body, today: today() }),
            settings.maxToolRounds,
            hooks,
            how,
          );
          return confidences?.keep('reason', run) ?? run;
        },
        check: (out) =>
          assessmentGate(
            out,
            state.results.checks,
            { threshold: thresholds.reasoner, ...settings.policy },
            {
              today: today(),
              toolsCalled,
              requiredTools: reasoner.requiredTools,
              alreadyAsked: everyIdentity ? inputsAlreadyAsked(state.reviewHistory) : undefined,
              computed: confidences?.record('reason', (choices) =>
                reasonerConfidence(out, {
                  choices,
                  clientLookup: state.results.clientLookup ?? directory,
                  sourceText,
                  today: today(),
                }),
              ),
            },
          ),
        confidence: (out) => confidences?.value('reason') ?? out.confidence,
        show: (out) => (state.results.assessment = out),
        recordGate: (result) => {
          state.results.gates.reason = result;
          audit.record('gate_result', 'gate-reason', { stage: 'reason', ...result });
        },
      },
      settings.batch,
    );
    if (!assessment) return await finish('rejected');

    setStage('draft');
    const draft = await runStage(
      gate,
      {
        stage: 'draft',
        agent: drafter,
        cascade: cascadeOf(drafter, beforeLaterStages),
        urgency,
        run: async (how) => {
          const input = drafterInput({ classification, assessment, intakeBody: body });
          const run = await runAgent<Draft>(drafter, input, 1, hooks, how);
          return confidences?.keep('draft', run) ?? run;
        },
        check: (out) =>
          draftGate(
            out,
            thresholds.drafter,
            confidences?.record('draft', (choices) =>
              drafterConfidence(out, {
                choices,
                sourceText: `${sourceText}\n${JSON.stringify({ classification, assessment })}`,
                today: today(),
              }),
            ),
          ),
        confidence: (out) => confidences?.value('draft') ?? out.confidence,
        show: (out) => (state.results.draft = out),
        recordGate: (result) => {
          state.results.gates.draft = result;
          audit.record('gate_result', 'gate-draft', { stage: 'draft', ...result });
        },
      },
      settings.batch,
    );
    if (!draft) return await finish('rejected');

    setStage('file');
    if (gate.reviewed) {
      // The item waited for a person: a deadline may have come closer meanwhile.
      const recheck = await runLimitationCheck(tools, limitationArgs, today());
      state.results.checks.limitation.push(recheck);
      const filing = filingGate(
        recheck,
        settings.policy.limitationWarningDays,
        today(),
        state.reviewHistory,
        candidates?.runs,
      );
      state.results.gates.file = filing;
      audit.record('gate_result', 'gate-file', { stage: 'file', ...filing });
      if (!filing.passed) {
        const decided = await gate.request({
          stage: 'file',
          reasons: filing.reasons,
          confidence: null,
          output: draft,
          schema: null,
          urgency: urgency(),
        });
        if (!decided.output) return await finish('rejected');
      }
    }
    // What the stages decided goes to the trail beside the filing.
    audit.send();
    const filed = await createCase({
      workflowId,
      externalId: state.externalId,
      matterType: classification.matterType,
      jurisdiction: classification.jurisdiction,
      clientName: classification.client.organization ?? classification.client.name,
      queue: assessment.recommendedQueue,
      priority: assessment.priority,
      summary: draft.matterSummary,
      payload: { classification, assessment, acknowledgement: draft.clientAcknowledgement },
    });
    state.result = { caseId: filed.caseId };
    return await finish('completed');
  } catch (err) {
    return await harness.fail(err);
  }
}

/** No stage gated yet: each stage's computed confidence, null until its gate records it. */
function emptyConfidences(): Record<'classify' | 'reason' | 'draft', ComputedConfidence | null> {
  return { classify: null, reason: null, draft: null };
}
