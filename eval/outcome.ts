/**
 * A finished run as report.ts scores it: its status (re-identified) and its history turned into an
 * `EvaluatedItem`.
 *
 * What is read where:
 * - predicted fields: `results.classification` re-identified as a reviewer sees it (the models saw tokens);
 *   the client is its organisation, else its name.
 * - escalated: the run stopped for review at least once; reasons: every gate reason code, in order.
 * - conflict caught: any conflict check found a hit, or the reasoner's conflictStatus is not `clear`
 *   (the two halves of the reason gate's `potential_conflict`); null when no check produced a result and
 *   there is no assessment. `conflictSources`: where: the distinct `source` of every hit of every run
 *   (`unlabelled` for a hit from before sources were recorded), and `reasoner:status` for the assessment.
 * - deadline caught: a gate gave `limitation_imminent`, or any limitation check found a deadline within
 *   `policy.limitationWarningDays` of the day it ran (the gate's own rule); null when none found a result.
 *   `deadlineSources`: `classified` when a run counted from the classifier's incident date flags,
 *   `recognized` when a run counted from a date the intake writes (`candidate`) flags, `gate` when only a
 *   gate's `limitation_imminent` says so.
 * - confidence: each agent's computed confidence (`results.confidence`, what its gate judged), or its
 *   output's `confidence` in runs without one; cost and tokens: the status's `usage.calls` per agent.
 * - latency per stage: from the stage transitions in the workflow history (the `DocketStage` search
 *   attribute upserts), less the time each review waited for a decision, so it is the pipeline's time and
 *   workflow-task overhead, not a person's. `received` (reading and pseudonymizing the intake) is reported
 *   as `pseudonymize`; `total` is start to close, less the review waits.
 * - naive baseline: from each model call's conversation in history, decrypted (see baseline.ts).
 */
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import type { temporal } from '@temporalio/proto';
import type { CallModelInput } from '../activities';
import type { AgentName, ModelTurn } from '../agents';
import type { AesGcmPayloadCodec } from '../codec';
import type { ReviewRecord } from '../domain';
import { reidentifyValue } from '../personal-data';
import { deadlineReasons, type LegalIntakeStatus } from '../workflows';
import { naiveBaselineUsd, type RecordedCall } from './baseline';
import type { CorpusItem } from './corpus';
import type { EvaluatedItem, PredictedFields } from './runner-output';
import type { EvalStack } from './stack';

/** A run that produced nothing to score (it could not start, or its status could not be read). */
export function failedItem(item: CorpusItem, error: string): EvaluatedItem {
  return {
    id: item.id,
    expected: item.expected,
    predicted: null,
    escalated: false,
    escalationReasons: [],
    confidence: {},
    costUsd: 0,
    agentCostUsd: {},
    tokens: {},
    latencyMs: {},
    caught: { conflict: null, deadline: null, conflictSources: [], deadlineSources: [] },
    naiveBaselineUsd: 0,
    error,
  };
}

/** The run as report.ts scores it (see the module comment for where each field comes from). */
export async function describeRun(
  stack: Pick<EvalStack, 'client' | 'personal' | 'codec' | 'config' | 'baselineModel'>,
  item: CorpusItem,
  run: { workflowId: string; runId: string },
  status: LegalIntakeStatus,
  error: string | undefined,
): Promise<EvaluatedItem> {
  const seen = reidentifyValue(status, await stack.personal.loadMapping(run.workflowId));
  const history = await stack.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const { classification, assessment, draft, confidence: computed } = seen.results;
  const reviews = [...seen.reviewHistory, ...(seen.review ? [seen.review] : [])];
  const byAgent = usageByAgent(status);
  return {
    id: item.id,
    expected: item.expected,
    predicted:
      classification &&
      ({
        matterType: classification.matterType,
        urgency: classification.urgency,
        jurisdiction: classification.jurisdiction,
        clientName: classification.client.organization ?? classification.client.name,
        opposingParties: classification.opposingParties,
      } satisfies PredictedFields),
    escalated: reviews.length > 0,
    escalationReasons: [...new Set(reviews.flatMap((r) => r.reasons.map((reason) => reason.code)))],
    // The number the gates judged: computed (model, logprobs, checks) where the run has it, else the model's.
    confidence: defined({
      classifier: computed?.classify?.value ?? classification?.confidence,
      reasoner: computed?.reason?.value ?? assessment?.confidence,
      drafter: computed?.draft?.value ?? draft?.confidence,
    }),
    costUsd: status.usage.total.costUsd,
    agentCostUsd: Object.fromEntries(Object.entries(byAgent).map(([agent, u]) => [agent, u.costUsd])),
    tokens: Object.fromEntries(
      Object.entries(byAgent).map(([agent, u]) => [agent, { input: u.input, output: u.output }]),
    ),
    models: Object.fromEntries(Object.entries(byAgent).map(([agent, u]) => [agent, u.models])),
    rungs: Object.fromEntries(
      Object.entries(byAgent).flatMap(([agent, u]) => (u.rung === undefined ? [] : [[agent, u.rung]])),
    ),
    latencyMs: stageLatency(history, status.reviewHistory),
    caught: {
      conflict: conflictCaught(status),
      deadline: deadlineCaught(status, stack.config.policy.limitationWarningDays),
      conflictSources: conflictSources(status),
      deadlineSources: deadlineSources(status, stack.config.policy.limitationWarningDays),
    },
    naiveBaselineUsd: naiveBaselineUsd(
      await recordedCalls(history, stack.codec),
      item.intake,
      stack.baselineModel,
    ),
    ...(error !== undefined ? { error } : {}),
  };
}

function defined<T extends object>(value: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

function usageByAgent(status: LegalIntakeStatus) {
  const byAgent: Partial<
    Record<AgentName, { costUsd: number; input: number; output: number; models: string[]; rung?: number }>
  > = {};
  for (const call of status.usage.calls) {
    const agent = call.agent as AgentName;
    const sum = (byAgent[agent] ??= { costUsd: 0, input: 0, output: 0, models: [] });
    sum.costUsd = Math.round((sum.costUsd + call.costUsd) * 1e8) / 1e8;
    sum.input += call.inputTokens;
    sum.output += call.outputTokens;
    if (!sum.models.includes(call.model)) sum.models.push(call.model);
    if (call.rung) sum.rung = Math.max(sum.rung ?? 0, call.rung.index);
  }
  return byAgent;
}

function conflictCaught(status: LegalIntakeStatus): boolean | null {
  const { checks, assessment } = status.results;
  const ran = checks.conflicts.filter((run) => run.result !== null);
  if (ran.length === 0 && !assessment) return null;
  return (
    ran.some((run) => run.result!.hits.length > 0) || (!!assessment && assessment.conflictStatus !== 'clear')
  );
}

/** Where a conflict was caught: each hit's `source` (`unlabelled` without one), then `reasoner:status`. */
export function conflictSources(status: LegalIntakeStatus): string[] {
  const { checks, assessment } = status.results;
  const sources: string[] = checks.conflicts.flatMap(
    (run) => run.result?.hits.map((hit) => hit.source ?? 'unlabelled') ?? [],
  );
  if (assessment && assessment.conflictStatus !== 'clear') sources.push('reasoner:status');
  return [...new Set(sources)];
}

function deadlineCaught(status: LegalIntakeStatus, warningDays: number): boolean | null {
  const ran = status.results.checks.limitation.filter((run) => run.result !== null);
  if (ran.length === 0) return limitationGated(status) ? true : null;
  return limitationGated(status) || ran.some((run) => deadlineReasons(run, warningDays, run.at).length > 0);
}

/**
 * Where a deadline was caught: `classified` (a run from the classifier's incident date flags), `recognized`
 * (a run from a date the intake writes flags), or `gate` when only a gate's `limitation_imminent` says so.
 */
export function deadlineSources(status: LegalIntakeStatus, warningDays: number): string[] {
  const flagging = status.results.checks.limitation.filter(
    (run) => run.result !== null && deadlineReasons(run, warningDays, run.at).length > 0,
  );
  const sources: string[] = flagging.map((run) => (run.candidate ? 'recognized' : 'classified'));
  if (sources.length === 0 && limitationGated(status)) sources.push('gate');
  return [...new Set(sources)];
}

function limitationGated(status: LegalIntakeStatus): boolean {
  const { gates } = status.results;
  return [gates.reason, gates.file].some((gate) =>
    gate?.reasons.some((reason) => reason.code === 'limitation_imminent'),
  );
}

type History = temporal.api.history.v1.IHistory;

const STAGE_NAMES: Record<string, string> = { received: 'pseudonymize' };
const TERMINAL = new Set(['done', 'rejected', 'failed']);

/** Milliseconds per stage from the history's stage transitions, less the time reviews waited (see top). */
function stageLatency(history: History, reviews: readonly ReviewRecord[]): Record<string, number> {
  const events = history.events ?? [];
  const marks: Array<{ stage: string; at: number }> = [];
  let closedAt: number | null = null;
  for (const event of events) {
    const fields =
      event.workflowExecutionStartedEventAttributes?.searchAttributes?.indexedFields ??
      event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields;
    const stage = fields?.DocketStage ? keyword(fields.DocketStage) : null;
    if (stage) marks.push({ stage, at: timestampMs(event.eventTime) });
    if (
      event.workflowExecutionCompletedEventAttributes ||
      event.workflowExecutionFailedEventAttributes ||
      event.workflowExecutionTerminatedEventAttributes ||
      event.workflowExecutionTimedOutEventAttributes ||
      event.workflowExecutionCanceledEventAttributes
    ) {
      closedAt = timestampMs(event.eventTime);
    }
  }
  const latency: Record<string, number> = {};
  marks.forEach((mark, i) => {
    if (TERMINAL.has(mark.stage)) return;
    const end = marks[i + 1]?.at ?? closedAt;
    if (end === null) return;
    const name = STAGE_NAMES[mark.stage] ?? mark.stage;
    latency[name] = (latency[name] ?? 0) + end - mark.at;
  });
  let waited = 0;
  for (const review of reviews) {
    const wait = Date.parse(review.decidedAt) - Date.parse(review.requestedAt);
    waited += wait;
    if (latency[review.stage] !== undefined)
      latency[review.stage] = Math.max(0, latency[review.stage] - wait);
  }
  const startedAt = events[0]?.eventTime ? timestampMs(events[0].eventTime) : null;
  if (startedAt !== null && closedAt !== null) latency.total = Math.max(0, closedAt - startedAt - waited);
  return latency;
}

/** A Keyword search attribute's value (older SDKs wrote a one-element list). */
function keyword(payload: Payload): string | null {
  const value: unknown = defaultPayloadConverter.fromPayload(payload);
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : null;
}

function timestampMs(ts: { seconds?: unknown; nanos?: number | null } | null | undefined): number {
  return Number(ts?.seconds ?? 0) * 1000 + Math.floor((ts?.nanos ?? 0) / 1e6);
}

/** Each completed `callModel` activity: the conversation it sent and the tokens it spent, decrypted. */
async function recordedCalls(history: History, codec: AesGcmPayloadCodec): Promise<RecordedCall[]> {
  const events = history.events ?? [];
  const inputs = new Map<string, Pick<RecordedCall, 'agent' | 'messages' | 'rung'>>();
  const calls: RecordedCall[] = [];
  for (const event of events) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name === 'callModel') {
      const { agent, messages, rung } = await decodeFirst<CallModelInput>(codec, scheduled.input?.payloads);
      inputs.set(String(event.eventId), {
        agent: agent as AgentName,
        messages,
        ...(rung ? { rung: rung.index } : {}),
      });
    }
    const completed = event.activityTaskCompletedEventAttributes;
    const input = completed && inputs.get(String(completed.scheduledEventId));
    if (completed && input) {
      const turn: ModelTurn = await decodeFirst(codec, completed.result?.payloads);
      calls.push({
        ...input,
        outputTokens: turn.usage.outputTokens,
        reasoningTokens: turn.usage.reasoningTokens,
      });
    }
  }
  return calls;
}

async function decodeFirst<T>(codec: AesGcmPayloadCodec, payloads: Payload[] | null | undefined): Promise<T> {
  if (!payloads?.[0]) throw new Error('a model call in history has no payload');
  const [plain] = await codec.decode([payloads[0]]);
  return defaultPayloadConverter.fromPayload<T>(plain);
}
