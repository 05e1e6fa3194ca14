import type { ModelUsage } from '../domain';

export type { ModelUsage };

/**
 * The transcript of one agent's turns, as the workflow keeps it and the gateway sends it.
 * Plain data, so it travels through Temporal history; the gateway adds the instructions.
 */
export interface ToolCall {
  id: string;
  name: string;
  /** JSON text, exactly as the model produced it. */
  arguments: string;
}

export type ConversationMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls: ToolCall[] }
  | { role: 'tool'; toolCallId: string; content: string };

/**
 * What one model turn produced: the agent's output, a request to run tools, or a refusal. `piiLeaks`
 * names the tokens whose values the model wrote in clear (replaced by their tokens before the turn left
 * the activity): the stage's gate sends such an output to a person. `choiceProbabilities`: the probability
 * of each enum value the model chose, by field path (`matterType`, `keyDates.0.kind`), from its token
 * logprobs; absent when the model has none.
 */
export type ModelTurn<Output = unknown> = (
  | { kind: 'output'; output: Output; usage: ModelUsage; choiceProbabilities?: Record<string, number> }
  | { kind: 'tool_calls'; toolCalls: ToolCall[]; usage: ModelUsage }
  | { kind: 'refusal'; refusal: string; usage: ModelUsage }
  /** An answer that does not parse or breaks the schema, as written, with what is wrong with it. */
  | { kind: 'invalid'; content: string; issues: string[]; usage: ModelUsage }
) & { piiLeaks?: string[] };
