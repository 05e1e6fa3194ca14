/**
 * Runs one agent inside a workflow: a model turn, the tools it asks for, the next turn, and so on,
 * up to a round limit. Every model call is an activity on its tier's task queue; every tool call is a
 * local activity (an activity in runs from before the `local-tools` marker).
 */
import {
  ActivityFailure,
  ApplicationFailure,
  TimeoutFailure,
  proxyActivities,
  uuid4,
} from '@temporalio/workflow';
import {
  INVALID_TOOL_ARGUMENTS,
  type AgentDefinition,
  type ConversationMessage,
  type ModelUsage,
  type ToolCall,
} from '../agents';
import type { RungCall, ToolContext } from '../domain';
import type { CallModelInput, DocketActivities } from '../activities';
import { activityApplicationFailure, modelFailureDetails, proxiesBothWays } from './activity-proxies';
import { batchedTurn, type BatchLaneSettings } from './batch-lane';
import { LOCAL_TOOLS, MODEL_FAILURES_TO_PERSON, TRANSCRIPTS_IN_DATABASE, hasPatch } from './patches';

/** Longer than the provider client's own timeout (config provider.timeoutMs, 2 minutes by default). */
const MODEL_CALL_ATTEMPT_MS = 3 * 60_000;

const { callModel } = proxyActivities<DocketActivities>({
  startToCloseTimeout: MODEL_CALL_ATTEMPT_MS,
  // callModel heartbeats every 3 s: a worker that died mid-call is noticed after 10 s and the call retried.
  heartbeatTimeout: '10 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 8,
    // Which model errors are final is decided once, in the activity: it marks those failures nonRetryable.
  },
});

const toolActivities = proxiesBothWays({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [INVALID_TOOL_ARGUMENTS],
  },
});

/**
 * How an agent's run ended; `piiLeaks` names identifiers a turn wrote in clear (screened out by the activity);
 * `choiceProbabilities` are the answering turn's (ModelTurn), for the computed confidence.
 */
export type AgentRun<Output> = (
  | { kind: 'output'; output: Output; choiceProbabilities?: Record<string, number> }
  | { kind: 'refusal'; refusal: string }
  | { kind: 'exhausted'; rounds: number }
  /** The provider kept failing with retryable errors until `modelCalls.giveUpAfter` ran out. */
  | { kind: 'unavailable'; reason: string }
  /** The answer was cut off by the token limit or the content filter, or did not parse, again and again. */
  | { kind: 'incomplete'; reason: string; code: 'output_truncated' | 'schema_invalid' }
  /** The next call would cross the workflow's budget: it was not made. */
  | { kind: 'over_budget'; spentUsd: number; estimateUsd: number; limitUsd: number }
) & { piiLeaks?: string[] };

/** How long a stage retries a failing provider, from config (`modelCalls`). */
export interface ModelCallPolicy {
  giveUpAfterMs: number;
  maximumBackoffMs: number;
}

/** The activity's failure type for a call not made because its counted cost would cross the budget. */
const BUDGET_EXCEEDED = 'ModelBudgetExceededError';

/** Error types (the activity's ApplicationFailure types) that end a stage for a person, not the workflow. */
const FOR_A_PERSON: Record<string, 'output_truncated' | 'schema_invalid'> = {
  ModelOutputTruncatedError: 'output_truncated',
  ModelOutputInvalidError: 'schema_invalid',
};

export interface AgentLoopHooks {
  onUsage(usage: ModelUsage): void;
  /** Records a tool's result (and the model's arguments) for the gates; once per successful tool call. */
  onToolResult(name: string, result: unknown, args: unknown): void;
  /** What the workflow supplies to a tool that asks for it (`ToolSpec.fromWorkflow`), read per call. */
  readonly toolContext: Readonly<ToolContext>;
  /** How long model calls are retried; absent in runs from before it was configurable (8 attempts). */
  readonly modelCalls?: ModelCallPolicy;
  /** The workflow's model budget: checked before every call. */
  readonly budget?: { limitUsd: number; spent(): number; calls(): readonly ModelUsage[] };
  /** The task queue of each tier's model calls; absent in runs from before, which ran them on their own. */
  readonly modelTaskQueues?: Partial<Record<string, string>>;
}

/** How a stage has its agent's calls made: on which cascade rung, and through the batch lane or not. */
export interface AgentCall {
  /** The cascade's rung (its tier's task queue), for every call of the run. */
  rung?: RungCall;
  /** Each turn through the provider's Batch API first (the normal lane when a batch is lost). */
  batch?: BatchLaneSettings;
}

/** Runs the agent's conversation, its calls made as `how` says. */
export async function runAgent<Output>(
  agent: AgentDefinition,
  userMessage: string,
  maxRounds: number,
  hooks: AgentLoopHooks,
  how: AgentCall = {},
): Promise<AgentRun<Output>> {
  const { rung, batch } = how;
  const agentName = agent.name;
  const messages: ConversationMessage[] = [{ role: 'user', content: userMessage }];
  const leaks = new Set<string>();
  const ended = (run: AgentRun<Output>): AgentRun<Output> =>
    leaks.size > 0 ? { ...run, piiLeaks: [...leaks].sort() } : run;
  const call = modelCaller(hooks.modelCalls, hooks.modelTaskQueues?.[rung?.tier ?? agent.tier]);
  const onRung = rung ? { rung } : {};
  // The conversation's messages the activity keeps; each call sends those after them.
  const transcript = hasPatch(TRANSCRIPTS_IN_DATABASE) ? { id: `${agentName}-${uuid4()}`, stored: 0 } : null;
  let repaired = false;
  for (let round = 1; round <= maxRounds; round++) {
    let budget: CallModelInput['budget'];
    if (hooks.budget) {
      const spentUsd = hooks.budget.spent();
      const estimateUsd = nextCallEstimate(hooks.budget.calls(), agentName);
      if (spentUsd + estimateUsd > hooks.budget.limitUsd) {
        return ended({ kind: 'over_budget', spentUsd, estimateUsd, limitUsd: hooks.budget.limitUsd });
      }
      // The activity checks again on the counted prompt: the first call of a run, or a prompt that grew.
      budget = {
        remainingUsd: hooks.budget.limitUsd - spentUsd,
        expectedOutputTokens: largestOutput(hooks.budget.calls(), agentName),
      };
    }
    let turn: Awaited<ReturnType<typeof callModel>>;
    const input: CallModelInput = transcript
      ? {
          agent: agentName,
          messages: messages.slice(transcript.stored),
          transcript: { ...transcript },
          budget,
          ...onRung,
        }
      : { agent: agentName, messages, budget, ...onRung };
    try {
      turn = (batch && (await batchedTurn(input, batch))) || (await call(input));
    } catch (err) {
      // An answer that came back unusable was billed: the run counts it before deciding what follows.
      const spent = modelFailureDetails(err)?.usage;
      if (spent) hooks.onUsage(spent);
      const stop = forAPerson(err, hooks.budget);
      if (!stop || !hasPatch(MODEL_FAILURES_TO_PERSON)) throw err;
      return ended(stop);
    }
    // A turn that goes on had the activity keep what it was sent.
    if (transcript && (turn.kind === 'tool_calls' || turn.kind === 'invalid')) {
      transcript.stored = messages.length;
    }
    hooks.onUsage(turn.usage);
    for (const token of turn.piiLeaks ?? []) leaks.add(token);
    if (turn.kind === 'output') {
      const { output, choiceProbabilities } = turn;
      return ended({
        kind: 'output',
        output: output as Output,
        ...(choiceProbabilities && { choiceProbabilities }),
      });
    }
    if (turn.kind === 'refusal') return ended({ kind: 'refusal', refusal: turn.refusal });
    if (turn.kind === 'invalid') {
      // One repair turn, which does not count as a round: the answer and what is wrong with it go back.
      if (repaired) {
        return ended({ kind: 'incomplete', code: 'schema_invalid', reason: repairFailed(turn.issues) });
      }
      repaired = true;
      round -= 1;
      messages.push({ role: 'assistant', content: turn.content, toolCalls: [] });
      messages.push({ role: 'user', content: repairRequest(turn.issues) });
      continue;
    }
    messages.push({ role: 'assistant', content: null, toolCalls: turn.toolCalls });
    const results = await Promise.all(turn.toolCalls.map((call) => runTool(call, agent, hooks)));
    turn.toolCalls.forEach((call, i) =>
      messages.push({ role: 'tool', toolCallId: call.id, content: results[i] }),
    );
  }
  return ended({ kind: 'exhausted', rounds: maxRounds });
}

/** What the model is told when its answer did not parse or broke the schema. */
function repairRequest(issues: readonly string[]): string {
  return [
    'Your previous answer could not be used: it does not match the required JSON schema.',
    ...issues.map((issue) => `- ${issue}`),
    'Answer again with the complete, corrected JSON only.',
  ].join('\n');
}

function repairFailed(issues: readonly string[]): string {
  return `the answer still did not match its schema after one repair turn (${issues.slice(0, 3).join('; ')})`;
}

/**
 * The callModel of a run: with its configured retry budget, on its tier's task queue (where the server
 * holds every worker together to the tier's rate), or as runs before they had those.
 */
function modelCaller(policy: ModelCallPolicy | undefined, taskQueue: string | undefined): typeof callModel {
  if (!policy) return callModel;
  return proxyActivities<DocketActivities>({
    ...(taskQueue ? { taskQueue } : {}),
    // One attempt may not outlast the whole budget (Temporal refuses that).
    startToCloseTimeout: Math.min(MODEL_CALL_ATTEMPT_MS, policy.giveUpAfterMs),
    heartbeatTimeout: '10 seconds',
    // Every attempt, waits included, within the budget; then the stage goes to a person.
    scheduleToCloseTimeout: policy.giveUpAfterMs,
    retry: {
      initialInterval: Math.min(2_000, policy.maximumBackoffMs),
      backoffCoefficient: 2,
      maximumInterval: policy.maximumBackoffMs,
      // no maximumAttempts: unlimited within scheduleToCloseTimeout
    },
  }).callModel;
}

/** What a failed model call means for the stage when a person should take it over; null: fail the run. */
function forAPerson(err: unknown, budget: AgentLoopHooks['budget']): AgentRun<never> | null {
  if (!(err instanceof ActivityFailure)) return null;
  const cause = err.cause;
  if (cause instanceof ApplicationFailure && cause.type && FOR_A_PERSON[cause.type]) {
    return { kind: 'incomplete', reason: cause.message, code: FOR_A_PERSON[cause.type] };
  }
  if (cause instanceof ApplicationFailure && cause.type === BUDGET_EXCEEDED && budget) {
    return {
      kind: 'over_budget',
      spentUsd: budget.spent(),
      estimateUsd: modelFailureDetails(err)?.estimateUsd ?? 0,
      limitUsd: budget.limitUsd,
    };
  }
  // The retry budget ran out while the provider was failing: the last failure says how.
  if (err.retryState === 'TIMEOUT' || err.retryState === 'MAXIMUM_ATTEMPTS_REACHED') {
    const last = cause instanceof TimeoutFailure ? (cause.cause ?? cause) : cause;
    return { kind: 'unavailable', reason: last?.message ?? 'the model provider did not answer' };
  }
  return null;
}

/**
 * What the next call of `agent` may cost, from this run's own calls: the costliest call of that agent so
 * far, else the costliest call of any agent, else nothing known (0). An estimate, so that the call that
 * would cross the budget is usually not made; the first call of a run is always made.
 */
function nextCallEstimate(calls: readonly ModelUsage[], agent: string): number {
  const costliest = (list: readonly ModelUsage[]) => list.reduce((max, c) => Math.max(max, c.costUsd), 0);
  return costliest(calls.filter((c) => c.agent === agent)) || costliest(calls);
}

/** The most output tokens one call of `agent` took in this run (0 before its first): what its next may take. */
function largestOutput(calls: readonly ModelUsage[], agent: string): number {
  return calls.reduce((max, c) => (c.agent === agent ? Math.max(max, c.outputTokens) : max), 0);
}

/** A tool's executor: the activity named after it, whichever workflow type registered it. */
type ToolExecutor = (input: unknown) => Promise<unknown>;

/** Runs one tool call and returns what the model reads back: the result, or why there is none. */
async function runTool(call: ToolCall, agent: AgentDefinition, hooks: AgentLoopHooks): Promise<string> {
  const tool = agent.tools.find((spec) => spec.name === call.name);
  if (!tool) return JSON.stringify({ error: `unknown tool '${call.name}'` });
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    return JSON.stringify({ error: 'arguments are not valid JSON' });
  }
  const tools = hasPatch(LOCAL_TOOLS) ? toolActivities.local : toolActivities.remote;
  const execute = (tools as unknown as Record<string, ToolExecutor>)[tool.name];
  const supplied = tool.fromWorkflow ?? [];
  const input = supplied.length
    ? { ...(args as object), ...Object.fromEntries(supplied.map((key) => [key, hooks.toolContext[key]])) }
    : args;
  try {
    const result = await execute(input);
    hooks.onToolResult(tool.name, result, args);
    return JSON.stringify(result);
  } catch (err) {
    // Bad arguments are the model's mistake: tell it, and let it try again on its next turn.
    const failure = activityApplicationFailure(err);
    if (failure?.type === INVALID_TOOL_ARGUMENTS) return JSON.stringify({ error: failure.message });
    throw err;
  }
}
