import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam, ParsedChatCompletion } from 'openai/resources/chat/completions';
import type { DocketConfig } from '../../config/schema';
import type { Logger } from '../../config/logger';
import type { ConversationMessage, ModelTurn, ModelUsage } from '../conversation';
import { TOOL_SPECS } from '../tools';
import type { AgentDefinition } from '../types';
import { createModelClient } from './client';
import {
  ModelError,
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelUnavailableError,
} from './errors';
import { costUsd } from './pricing';

/** One model turn for one agent: the only way Docket talks to a model provider. */
export interface ModelGateway {
  /** `signal` aborts the HTTP request (an activity's cancellation, a worker shutting down). */
  runTurn<Output>(
    agent: AgentDefinition,
    messages: ConversationMessage[],
    options?: { signal?: AbortSignal },
  ): Promise<ModelTurn<Output>>;
}

export interface ModelGatewayDeps {
  config: Pick<DocketConfig, 'provider' | 'models' | 'simulator'>;
  logger: Logger;
  /** Injected by tests that point at a particular simulator; default from `config.provider`. */
  client?: OpenAI;
}

export function createModelGateway({ config, logger, client }: ModelGatewayDeps): ModelGateway {
  const openai = client ?? createModelClient(config);
  return {
    async runTurn<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options: { signal?: AbortSignal } = {},
    ): Promise<ModelTurn<Output>> {
      const tier = config.models[agent.tier];
      if (!tier) throw new ModelRequestRejectedError(`no model is configured for tier '${agent.tier}'`);
      // Reasoning models (o1 and later) take a developer message and reasoning_effort, and reject temperature.
      const reasoning = tier.reasoningEffort !== undefined;
      const started = performance.now();
      let completion: ParsedChatCompletion<Output>;
      try {
        completion = (await openai.chat.completions.parse(
          {
            model: tier.model,
            messages: [
              { role: reasoning ? 'developer' : 'system', content: agent.instructions },
              ...messages.map(toProviderMessage),
            ],
            response_format: zodResponseFormat(agent.outputSchema, agent.outputName),
            max_completion_tokens: tier.maxOutputTokens,
            ...(reasoning ? { reasoning_effort: tier.reasoningEffort } : {}),
            ...(!reasoning && tier.temperature !== undefined ? { temperature: tier.temperature } : {}),
            ...(agent.tools.length > 0
              ? {
                  tools: agent.tools.map((name) =>
                    zodFunction({
                      name,
                      description: TOOL_SPECS[name].description,
                      parameters: TOOL_SPECS[name].args,
                    }),
                  ),
                }
              : {}),
          },
          { signal: options.signal },
        )) as ParsedChatCompletion<Output>;
      } catch (err) {
        const error = toModelError(err, agent.outputName);
        logger.warn(
          { agent: agent.name, model: tier.model, error: error.name, status: error.status },
          'model call failed',
        );
        throw error;
      }

      const usage: ModelUsage = {
        agent: agent.name,
        tier: agent.tier,
        model: tier.model,
        inputTokens: completion.usage?.prompt_tokens ?? 0,
        outputTokens: completion.usage?.completion_tokens ?? 0,
        reasoningTokens: completion.usage?.completion_tokens_details?.reasoning_tokens ?? 0,
        costUsd: 0,
      };
      usage.costUsd = costUsd(tier, usage.inputTokens, usage.outputTokens);
      const turn = toTurn<Output>(completion, usage, agent.outputName);
      logger.info(
        {
          agent: agent.name,
          model: tier.model,
          answeredBy: completion.model,
          kind: turn.kind,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          costUsd: usage.costUsd,
          ms: Math.round(performance.now() - started),
        },
        'model call',
      );
      return turn;
    },
  };
}

function toTurn<Output>(
  completion: ParsedChatCompletion<Output>,
  usage: ModelUsage,
  outputName: string,
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
  return { kind: 'output', output: message.parsed, usage };
}

function toProviderMessage(message: ConversationMessage): ChatCompletionMessageParam {
  switch (message.role) {
    case 'user':
      return { role: 'user', content: message.content };
    case 'tool':
      return { role: 'tool', tool_call_id: message.toolCallId, content: message.content };
    case 'assistant':
      return {
        role: 'assistant',
        content: message.content,
        ...(message.toolCalls.length > 0
          ? {
              tool_calls: message.toolCalls.map((call) => ({
                id: call.id,
                type: 'function' as const,
                function: { name: call.name, arguments: call.arguments },
              })),
            }
          : {}),
      };
  }
}

/**
 * Maps provider and parsing errors to Docket's classes. Messages name the failure, never the content:
 * a JSON or schema error can quote model output, which quotes the intake.
 */
export function toModelError(err: unknown, outputName: string): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof LengthFinishReasonError) {
    return new ModelOutputTruncatedError(`the ${outputName} hit the output token limit`);
  }
  if (err instanceof ContentFilterFinishReasonError) {
    return new ModelOutputTruncatedError(`the ${outputName} was stopped by the provider's content filter`);
  }
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return new ModelUnavailableError('the model provider timed out');
  if (err instanceof OpenAI.APIConnectionError)
    return new ModelUnavailableError('cannot reach the model provider');
  if (err instanceof OpenAI.RateLimitError) {
    return new ModelRateLimitError('the model provider is rate limiting', retryAfterMs(err.headers));
  }
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const what = `the model provider answered ${status || 'an error'}${err.code ? ` (${err.code})` : ''}`;
    if (status === 408 || status === 409 || status >= 500 || status === 0)
      return new ModelUnavailableError(what, status);
    return new ModelRequestRejectedError(what, status);
  }
  // JSON syntax and schema mismatches surface from the SDK's parse step as SyntaxError or ZodError.
  const name = err instanceof Error ? err.name : typeof err;
  return new ModelOutputInvalidError(`the model's ${outputName} did not parse (${name})`);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers?.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  return undefined;
}
