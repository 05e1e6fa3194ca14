/**
 * Runs one agent inside a workflow: a model turn, the tools it asks for, the next turn, and so on,
 * up to a round limit. Every model call and every tool call is its own activity.
 */
import { ActivityFailure, ApplicationFailure, proxyActivities } from '@temporalio/workflow';
import {
  AGENTS,
  INVALID_TOOL_ARGUMENTS,
  isToolName,
  type AgentName,
  type ConversationMessage,
  type ModelUsage,
  type ToolCall,
  type ToolName,
} from '../agents';
import type { DocketActivities } from '../activities';

const { callModel } = proxyActivities<DocketActivities>({
  // Longer than the provider client's own timeout (config provider.timeoutMs, 2 minutes by default).
  startToCloseTimeout: '3 minutes',
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

const toolActivities = proxyActivities<DocketActivities>({
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '30 seconds',
    maximumAttempts: 5,
    nonRetryableErrorTypes: [INVALID_TOOL_ARGUMENTS],
  },
});

/** How an agent's run ended; `piiLeaks` names identifiers a turn wrote in clear (screened out by the activity). */
export type AgentRun<Output> = (
  | { kind: 'output'; output: Output }
  | { kind: 'refusal'; refusal: string }
  | { kind: 'exhausted'; rounds: number }
) & { piiLeaks?: string[] };

export interface AgentLoopHooks {
  onUsage(usage: ModelUsage): void;
  /** Records a tool's result (and the model's arguments) for the gates; once per successful tool call. */
  onToolResult(name: ToolName, result: unknown, args: unknown): void;
  /** Extra arguments the workflow supplies to a tool (e.g. today's date from workflow time, read per call). */
  readonly toolContext: { readonly asOf: string };
}

export async function runAgent<Output>(
  agentName: AgentName,
  userMessage: string,
  maxRounds: number,
  hooks: AgentLoopHooks,
): Promise<AgentRun<Output>> {
  const agent = AGENTS[agentName];
  const messages: ConversationMessage[] = [{ role: 'user', content: userMessage }];
  const leaks = new Set<string>();
  const ended = (run: AgentRun<Output>): AgentRun<Output> =>
    leaks.size > 0 ? { ...run, piiLeaks: [...leaks].sort() } : run;
  for (let round = 1; round <= maxRounds; round++) {
    const turn = await callModel({ agent: agentName, messages });
    hooks.onUsage(turn.usage);
    for (const token of turn.piiLeaks ?? []) leaks.add(token);
    if (turn.kind === 'output') return ended({ kind: 'output', output: turn.output as Output });
    if (turn.kind === 'refusal') return ended({ kind: 'refusal', refusal: turn.refusal });
    messages.push({ role: 'assistant', content: null, toolCalls: turn.toolCalls });
    const results = await Promise.all(
      turn.toolCalls.map((call) => runTool(call, agent.tools as readonly string[], hooks)),
    );
    turn.toolCalls.forEach((call, i) =>
      messages.push({ role: 'tool', toolCallId: call.id, content: results[i] }),
    );
  }
  return ended({ kind: 'exhausted', rounds: maxRounds });
}

/** Runs one tool call and returns what the model reads back: the result, or why there is none. */
async function runTool(call: ToolCall, allowed: readonly string[], hooks: AgentLoopHooks): Promise<string> {
  if (!isToolName(call.name) || !allowed.includes(call.name)) {
    return JSON.stringify({ error: `unknown tool '${call.name}'` });
  }
  let args: unknown;
  try {
    args = JSON.parse(call.arguments);
  } catch {
    return JSON.stringify({ error: 'arguments are not valid JSON' });
  }
  try {
    let result: unknown;
    switch (call.name) {
      case 'lookupClient':
        result = await toolActivities.lookupClient(args as Parameters<DocketActivities['lookupClient']>[0]);
        break;
      case 'checkConflicts':
        result = await toolActivities.checkConflicts(
          args as Parameters<DocketActivities['checkConflicts']>[0],
        );
        break;
      case 'limitationPeriod':
        result = await toolActivities.limitationPeriod({
          ...(args as Parameters<DocketActivities['limitationPeriod']>[0]),
          asOf: hooks.toolContext.asOf,
        });
        break;
    }
    hooks.onToolResult(call.name, result, args);
    return JSON.stringify(result);
  } catch (err) {
    // Bad arguments are the model's mistake: tell it, and let it try again on its next turn.
    if (
      err instanceof ActivityFailure &&
      err.cause instanceof ApplicationFailure &&
      err.cause.type === INVALID_TOOL_ARGUMENTS
    ) {
      return JSON.stringify({ error: err.cause.message });
    }
    throw err;
  }
}
