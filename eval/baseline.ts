/**
 * The naive baseline of report.json's `cost`: what the same item would have cost if every model call it made
 * had gone to the drafting tier with the whole intake document pasted in, and nothing else changed.
 *
 * For each model call the item really made (same agent, same number of calls, no extra ones), on the rung that
 * gave each agent's answer: a naive setup makes one pass per agent, so the calls of rungs a cascade climbed
 * from are Docket's cost only, not the baseline's.
 * - input = the agent's instructions + the full intake document in clear, as received (channel, from,
 *   subject, receivedAt and body, rendered as the classifier reads it) + whatever else the call's own
 *   conversation held beyond the intake: the classification and assessment handed on, today's date, the
 *   tool calls and tool results of earlier rounds. The intake text inside the call's user message is not
 *   counted twice: the full document stands in for it.
 * - output = the tokens the call really wrote that a reader sees (its completion tokens less hidden
 *   reasoning tokens: the drafting tier does not think out loud, so a reasoning model's thinking is not
 *   billed to the baseline).
 * - counted with the real tokenizer (`gpt-tokenizer`, o200k_base: GPT-4o's, o1's and later models'), as
 *   plain text: no per-message framing, no JSON schema or tool definitions. Those would cost the baseline
 *   as much as Docket, so leaving them out makes the baseline cheaper, never Docket look better.
 * - priced at the config file's drafting tier's first model (`models.drafting[0].pricing`, the one the
 *   gateway tries first; GPT-4o as shipped), with no prompt-cache discount. An `--config` overlay does not
 *   move it, so every configuration is measured against the same baseline.
 */
import { countTokens } from 'gpt-tokenizer';
import { AGENTS, classifierInput, type AgentName, type ConversationMessage } from '../agents';
import { costUsd } from '../agents/gateway';
import type { ModelEntry } from '../config';
import type { CorpusIntake } from './corpus';

/** One model call as the item made it: its agent, the conversation it sent, what it wrote. */
export interface RecordedCall {
  agent: AgentName;
  messages: readonly ConversationMessage[];
  outputTokens: number;
  reasoningTokens: number;
  /** The cascade rung the call was made on; absent when its agent has no cascade. */
  rung?: number;
}

/** The baseline's tokens for one call (see the module comment for what is counted). */
export function naiveCallTokens(call: RecordedCall, intake: CorpusIntake): { input: number; output: number } {
  const rest = call.messages.map(textBeyondIntake).filter((text) => text !== '');
  const input =
    countTokens(AGENTS[call.agent].instructions) +
    countTokens(classifierInput(intake)) +
    rest.reduce((sum, text) => sum + countTokens(text), 0);
  return { input, output: Math.max(0, call.outputTokens - call.reasoningTokens) };
}

/** What the item would have cost with every call on the drafting tier and the full document each time. */
export function naiveBaselineUsd(
  calls: readonly RecordedCall[],
  intake: CorpusIntake,
  drafting: Pick<ModelEntry, 'pricing'>,
): number {
  const answering = new Map<AgentName, number>();
  for (const call of calls)
    answering.set(call.agent, Math.max(answering.get(call.agent) ?? 0, call.rung ?? 0));
  const once = calls.filter((call) => (call.rung ?? 0) === answering.get(call.agent));
  const total = once.reduce((sum, call) => {
    const tokens = naiveCallTokens(call, intake);
    return sum + costUsd(drafting, tokens.input, tokens.output);
  }, 0);
  return Math.round(total * 1e8) / 1e8;
}

/** Keys under which the agents' user messages carry the intake (see `classifierInput`, `reasonerInput`). */
const INTAKE_KEYS = ['intake', 'body', 'channel', 'from', 'subject', 'receivedAt'];

/**
 * A message's text less the intake it quotes. Every agent's user message is a JSON object: the classifier's
 * is the intake itself (nothing is left), the reasoner's and drafter's put it under `intake`. A message
 * that is not a JSON object is counted whole.
 */
function textBeyondIntake(message: ConversationMessage): string {
  if (message.role === 'assistant') {
    return [message.content ?? '', ...message.toolCalls.map((c) => `${c.name}${c.arguments}`)].join('');
  }
  if (message.role === 'tool') return message.content;
  const parsed = parseObject(message.content);
  if (!parsed) return message.content;
  const rest = Object.fromEntries(Object.entries(parsed).filter(([key]) => !INTAKE_KEYS.includes(key)));
  return Object.keys(rest).length > 0 ? JSON.stringify(rest) : '';
}

function parseObject(text: string): Record<string, unknown> | null {
  if (!text.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(text);
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    // Starts like JSON but is not: plain text, counted whole by the caller.
    return null;
  }
}
