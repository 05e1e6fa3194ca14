/**
 * A provider's completion as a Docket turn: the output, tool calls, refusal or unusable answer, with its usage
 * priced at the model that answered. Shared by the live call and the batch lane.
 */
import type {
  ChatCompletionCreateParamsNonStreaming,
  ParsedChatCompletion,
} from 'openai/resources/chat/completions';
import type { ZodError } from 'zod';
import type { ModelEntry } from '../../config';
import type { RungCall } from '../../domain';
import type { ModelTurn, ModelUsage } from '../conversation';
import type { AgentDefinition } from '../types';
import { ModelOutputInvalidError } from './errors';
import type { DocumentTrim } from './fit';
import { choiceProbabilities } from './logprobs';
import { costUsd } from './pricing';

/** A model of the tier that did not answer, and why. */
export type ModelFallback = NonNullable<ModelUsage['fallbacks']>[number];

/** The JSON schema a request asked its answer to follow, if any. */
export function responseSchema(
  request: ChatCompletionCreateParamsNonStreaming,
): Record<string, unknown> | undefined {
  return request.response_format?.type === 'json_schema'
    ? request.response_format.json_schema.schema
    : undefined;
}

export function usageOf(
  { agent, tier, rung }: { agent: AgentDefinition; tier: string; rung: RungCall | undefined },
  entry: ModelEntry,
  completion: ParsedChatCompletion<unknown>,
  passedOver: readonly ModelFallback[],
  trimmed: DocumentTrim | undefined,
): ModelUsage {
  const inputTokens = completion.usage?.prompt_tokens ?? 0;
  const cachedInputTokens = completion.usage?.prompt_tokens_details?.cached_tokens ?? 0;
  const outputTokens = completion.usage?.completion_tokens ?? 0;
  return {
    agent: agent.name,
    tier,
    model: entry.model,
    inputTokens,
    cachedInputTokens,
    outputTokens,
    reasoningTokens: completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0,
    costUsd: costUsd(entry, inputTokens, outputTokens, cachedInputTokens),
    answeredBy: entry.model,
    provider: entry.provider,
    ...(rung
      ? {
          rung: {
            index: rung.index,
            of: rung.of,
            ...(rung.climbedFor ? { climbedFor: rung.climbedFor } : {}),
          },
        }
      : {}),
    ...(passedOver.length > 0 ? { fallbacks: [...passedOver] } : {}),
    ...(trimmed ? { trimmed } : {}),
  };
}

export function toTurn<Output>(
  completion: ParsedChatCompletion<Output>,
  usage: ModelUsage,
  outputName: string,
  schema: Record<string, unknown> | undefined,
): ModelTurn<Output> {
  const message = completion.choices[0]?.message;
  if (!message) throw new ModelOutputInvalidError(`the provider returned no choice for ${outputName}`);
  if (message.refusal) return { kind: 'refusal', refusal: message.refusal, usage };
  const toolCalls = (message.tool_calls ?? []).flatMap((call) =>
    call.type === 'function'
      ? [{ id: call.id, name: call.function.name, arguments: call.function.arguments }]
      : [],
  );
  if (toolCalls.length > 0) return { kind: 'tool_calls', toolCalls, usage };
  if (message.parsed === null || message.parsed === undefined) {
    throw new ModelOutputInvalidError(`the model returned no ${outputName}`);
  }
  const probabilities = choiceProbabilities(
    message.content ?? '',
    completion.choices[0]?.logprobs?.content ?? [],
    schema,
  );
  return {
    kind: 'output',
    output: message.parsed,
    usage,
    ...(probabilities ? { choiceProbabilities: probabilities } : {}),
  };
}

/** What was wrong with an answer, for the model's repair turn: paths and messages, never the content. */
export function parseIssues(err: SyntaxError | ZodError): string[] {
  if (err instanceof SyntaxError) return [`not valid JSON: ${err.message}`];
  return err.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`);
}
