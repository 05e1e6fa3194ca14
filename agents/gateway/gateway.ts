import OpenAI from 'openai';
import { parseChatCompletion } from 'openai/lib/parser';
import type { ChatCompletion, ParsedChatCompletion } from 'openai/resources/chat/completions';
import { ZodError } from 'zod';
import type { DocketConfig, Logger, ModelEntry } from '../../config';
import type { RungCall } from '../../domain';
import type { ConversationMessage, ModelTurn } from '../conversation';
import type { AgentDefinition } from '../types';
import { parseIssues, responseSchema, toTurn, usageOf, type ModelFallback } from './answer';
import { createBatchLane, type BatchCallOptions, type BatchPoll, type SubmittedBatch } from './batch';
import { createModelClients } from './client';
import {
  ModelContextWindowError,
  ModelError,
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelRetiredError,
  ModelUnavailableError,
  toModelError,
} from './errors';
import { tokensNeeded } from './fit';
import { refuseOverBudget, type TurnBudget } from './pricing';
import { chatRequest } from './request';
import { fittedConversation, modelsFor } from './serving';

export type { TurnBudget } from './pricing';

export interface RunTurnOptions {
  /** Aborts the HTTP request (an activity's cancellation, a worker shutting down). */
  signal?: AbortSignal;
  budget?: TurnBudget;
  /** The agent's cascade rung: its tier's models (from its model on) with its effort and output limit. */
  rung?: RungCall;
}

/** One model turn for one agent: the only way Docket talks to a model provider. */
export interface ModelGateway {
  runTurn<Output>(
    agent: AgentDefinition,
    messages: ConversationMessage[],
    options?: RunTurnOptions,
  ): Promise<ModelTurn<Output>>;
  /**
   * Tokens a turn takes as providers count them for their rate limits: the prompt as the tier's first able
   * model would receive it, plus the answer's allowance (`maxOutputTokens`).
   */
  rateLimitTokens(agent: AgentDefinition, messages: ConversationMessage[], rung?: RungCall): number;
  /**
   * Sends the turn to the Batch API of the first model (of the tier, or the rung) that can hold it, as the
   * live turn would be sent to it. Throws a ModelError when none can or its provider has no batch lane.
   */
  submitBatch(
    agent: AgentDefinition,
    messages: ConversationMessage[],
    options?: BatchCallOptions,
  ): Promise<SubmittedBatch>;
  /**
   * The submitted turn's answer once its batch is done, checked and parsed as a live answer is and priced at
   * the provider's batch price (`usage.lane: 'batch'`); `lost` when the batch or its request did not complete.
   */
  pollBatch<Output>(
    agent: AgentDefinition,
    messages: ConversationMessage[],
    submitted: SubmittedBatch,
    options?: BatchCallOptions,
  ): Promise<BatchPoll<Output>>;
}

export interface ModelGatewayDeps {
  config: Pick<DocketConfig, 'provider' | 'providers' | 'models' | 'simulator'>;
  logger: Logger;
  /** One client per provider name, for tests; default one from each provider's config (`createModelClients`). */
  clients?: ReadonlyMap<string, OpenAI>;
}

export type { ModelFallback } from './answer';
export type { BatchCallOptions, BatchPoll, SubmittedBatch } from './batch';

/**
 * The gateway tries the agent's tier's models in order and moves to the next one when a model is retired
 * (404), overloaded (429 or 5xx: the client does not retry, Temporal does), or cannot hold the request in
 * its context window (counted before sending; that model is not called). When no model can hold it, the
 * intake document is trimmed first, to fit the model with the most room (`fitToContext`). Any other
 * failure is the request's own and is thrown at once. The usage names the model that answered, those
 * passed over, and what was trimmed.
 */
export function createModelGateway({ config, logger, clients }: ModelGatewayDeps): ModelGateway {
  const providerClients = clients ?? createModelClients(config);
  return {
    ...createBatchLane({ config, providerClients, logger }),
    async runTurn<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options: RunTurnOptions = {},
    ): Promise<ModelTurn<Output>> {
      const candidates = modelsFor(config, agent, options.rung);
      const tier = options.rung?.tier ?? agent.tier;
      // A document too long for every model is trimmed to fit the roomiest one (see fitToContext).
      const { messages: sent, trimmed } = fittedConversation(config, candidates, agent, messages);
      if (trimmed) logger.warn({ agent: agent.name, ...trimmed }, 'intake document trimmed to fit');
      const passedOver: ModelFallback[] = [];
      let last: ModelError | null = null;
      let lastRetryable: ModelError | null = null;

      for (const entry of candidates) {
        const provider = config.providers[entry.provider];
        const client = providerClients.get(entry.provider);
        if (!provider || !client) {
          throw new ModelRequestRejectedError(`provider '${entry.provider}' of ${entry.model} has no client`);
        }
        const request = chatRequest(entry, provider, agent, sent);
        const needed = tokensNeeded(entry, request);
        if (needed > entry.contextWindow) {
          last = new ModelContextWindowError(
            `the ${agent.outputName} request needs ${needed} tokens with room for the answer; ${entry.model} holds ${entry.contextWindow}`,
          );
          passedOver.push(fallback(entry, 'context_window'));
          logger.warn(
            { agent: agent.name, model: entry.model, needed, contextWindow: entry.contextWindow },
            'model passed over: the request does not fit its context window',
          );
          continue;
        }
        if (options.budget) {
          refuseOverBudget(entry, needed - entry.maxOutputTokens, options.budget, agent.outputName);
        }

        const started = performance.now();
        let completion: ParsedChatCompletion<Output>;
        let raw: ChatCompletion | undefined;
        try {
          raw = await client.chat.completions.create(request, { signal: options.signal });
          completion = parseChatCompletion(raw, request) as ParsedChatCompletion<Output>;
        } catch (err) {
          // An answer that came back but does not parse: the model gets one turn to repair it (agent loop).
          if (raw && (err instanceof SyntaxError || err instanceof ZodError)) {
            const usage = usageOf(
              { agent, tier, rung: options.rung },
              entry,
              raw as ParsedChatCompletion<Output>,
              passedOver,
              trimmed,
            );
            logger.warn(
              { agent: agent.name, model: entry.model, error: err.name, outputTokens: usage.outputTokens },
              'model answer does not parse',
            );
            return {
              kind: 'invalid',
              content: raw.choices[0]?.message.content ?? '',
              issues: parseIssues(err),
              usage,
            };
          }
          const error = toModelError(err, agent.outputName);
          // An answer came back and was cut off: billed all the same.
          if (raw) {
            error.usage ??= usageOf(
              { agent, tier, rung: options.rung },
              entry,
              raw as ParsedChatCompletion<Output>,
              passedOver,
              trimmed,
            );
          }
          // A timeout is told by the time spent too: under jest's VM the SDK reports it as a connection error.
          const spentMs = performance.now() - started;
          const timedOut =
            err instanceof OpenAI.APIConnectionTimeoutError || spentMs >= config.provider.timeoutMs;
          const reason = options.signal?.aborted || timedOut ? null : fallbackReason(error);
          logger.warn(
            {
              agent: agent.name,
              model: entry.model,
              provider: entry.provider,
              error: error.name,
              status: error.status,
              fallback: reason,
            },
            'model call failed',
          );
          if (!reason) throw withPassedOver(error, passedOver, tier);
          passedOver.push(fallback(entry, reason));
          last = error;
          if (error.retryable) lastRetryable = error;
          continue;
        }

        const turn = toTurn<Output>(
          completion,
          usageOf({ agent, tier, rung: options.rung }, entry, completion, passedOver, trimmed),
          agent.outputName,
          responseSchema(request),
        );
        logger.info(
          {
            agent: agent.name,
            model: entry.model,
            provider: entry.provider,
            reportedModel: completion.model,
            fallbacks: passedOver.length > 0 ? passedOver : undefined,
            kind: turn.kind,
            inputTokens: turn.usage.inputTokens,
            cachedInputTokens: turn.usage.cachedInputTokens,
            outputTokens: turn.usage.outputTokens,
            costUsd: turn.usage.costUsd,
            ms: Math.round(performance.now() - started),
          },
          'model call',
        );
        return turn;
      }
      // Every model was passed over. If one was only overloaded, a later attempt may find it answering:
      // its retryable error lets Temporal retry the tier. Otherwise the last failure is final (a 404 on the
      // last model, a request too big for every model).
      const final = lastRetryable ?? last ?? new ModelRequestRejectedError(`tier '${tier}' has no model`);
      throw withPassedOver(final, passedOver, tier);
    },

    rateLimitTokens(agent: AgentDefinition, messages: ConversationMessage[], rung?: RungCall): number {
      const [entry] = modelsFor(config, agent, rung);
      const provider = config.providers[entry.provider];
      if (!provider) return entry.maxOutputTokens;
      return tokensNeeded(entry, chatRequest(entry, provider, agent, messages));
    },
  };
}

function fallback(entry: ModelEntry, reason: ModelFallback['reason']): ModelFallback {
  return { model: entry.model, provider: entry.provider, reason };
}

/**
 * Whether a failure moves the call to the tier's next model: a retired model, an overloaded one (429, 5xx,
 * no connection: the client does not retry, so its retries are spent), a context window the provider says
 * is too small. Anything else (400, 401, output that does not parse) would fail on any model. A timeout
 * never gets here: it has already taken `provider.timeoutMs` of the activity's time, and Temporal retries.
 */
function fallbackReason(error: ModelError): ModelFallback['reason'] | null {
  if (error instanceof ModelRetiredError) return 'retired';
  if (error instanceof ModelContextWindowError) return 'context_window';
  if (error instanceof ModelRateLimitError || error instanceof ModelUnavailableError) return 'overloaded';
  return null;
}

/** The error, its message naming the models passed over before it (names and reasons, never content). */
function withPassedOver(error: ModelError, passedOver: readonly ModelFallback[], tier: string): ModelError {
  if (passedOver.length === 0) return error;
  error.fallbacks = [...passedOver];
  error.message = `${error.message} (tier '${tier}' passed over ${passedOver
    .map((f) => `${f.model} (${f.reason})`)
    .join(', ')})`;
  return error;
}
