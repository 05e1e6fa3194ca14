import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import { parseChatCompletion } from 'openai/lib/parser';
import { toFile } from 'openai';
import type {
  ChatCompletion,
  ChatCompletionCreateParamsNonStreaming,
  ParsedChatCompletion,
} from 'openai/resources/chat/completions';
import { ZodError } from 'zod';
import {
  missingCapability,
  takesReasoningEffort,
  type DocketConfig,
  type Logger,
  type ModelEntry,
} from '../../config';
import type { RungCall } from '../../domain';
import type { ConversationMessage, ModelTurn, ModelUsage } from '../conversation';
import type { AgentDefinition } from '../types';
import { createModelClients } from './client';
import {
  ModelBudgetExceededError,
  ModelContextWindowError,
  ModelError,
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  ModelRequestRejectedError,
  ModelRetiredError,
  ModelUnavailableError,
} from './errors';
import { fitToContext, tokensNeeded, type DocumentTrim } from './fit';
import { choiceProbabilities } from './logprobs';
import { costUsd } from './pricing';
import { chatRequest } from './request';

/** What a turn may still spend: checked on the counted prompt before anything is sent. */
export interface TurnBudget {
  remainingUsd: number;
  /** Output tokens the answer is expected to take (the agent's largest answer in the run so far). */
  expectedOutputTokens: number;
}

export interface RunTurnOptions {
  /** Aborts the HTTP request (an activity's cancellation, a worker shutting down). */
  signal?: AbortSignal;
  budget?: TurnBudget;
  /** The agent's cascade rung: its tier's models (from its model on) with its effort and output limit. */
  rung?: RungCall;
}

/** A turn sent to the provider's Batch API: the batch, and the model it was sent to. */
export interface SubmittedBatch {
  batchId: string;
  model: string;
  provider: string;
}

/** Where a batched turn stands: still waiting, answered, or lost (expired, failed, refused: call it live). */
export type BatchPoll<Output = unknown> =
  | { state: 'waiting'; status: string }
  | { state: 'done'; turn: ModelTurn<Output> }
  | { state: 'lost'; reason: string };

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
    options?: Pick<RunTurnOptions, 'signal' | 'rung'>,
  ): Promise<SubmittedBatch>;
  /**
   * The submitted turn's answer once its batch is done, checked and parsed as a live answer is and priced at
   * the provider's batch price (`usage.lane: 'batch'`); `lost` when the batch or its request did not complete.
   */
  pollBatch<Output>(
    agent: AgentDefinition,
    messages: ConversationMessage[],
    submitted: SubmittedBatch,
    options?: Pick<RunTurnOptions, 'signal' | 'rung'>,
  ): Promise<BatchPoll<Output>>;
}

export interface ModelGatewayDeps {
  config: Pick<DocketConfig, 'provider' | 'providers' | 'models' | 'simulator'>;
  logger: Logger;
  /** One client per provider name, for tests; default one from each provider's config (`createModelClients`). */
  clients?: ReadonlyMap<string, OpenAI>;
}

/** A model of the tier that did not answer, and why. */
export type ModelFallback = NonNullable<ModelUsage['fallbacks']>[number];

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
    async runTurn<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options: RunTurnOptions = {},
    ): Promise<ModelTurn<Output>> {
      const candidates = modelsFor(config, agent, options.rung);
      const tier = options.rung?.tier ?? agent.tier;
      // A document too long for every model is trimmed to fit the roomiest one (see fitToContext).
      const { messages: sent, trimmed } = fitToContext(candidates, messages, (entry, conversation) => {
        const provider = config.providers[entry.provider];
        return provider ? chatRequest(entry, provider, agent, conversation) : null;
      });
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
          const estimateUsd = costUsd(
            entry,
            needed - entry.maxOutputTokens,
            options.budget.expectedOutputTokens,
            0,
          );
          if (estimateUsd > options.budget.remainingUsd) {
            throw new ModelBudgetExceededError(
              `the ${agent.outputName} request to ${entry.model} would cost about $${estimateUsd.toFixed(4)}, more than the $${Math.max(0, options.budget.remainingUsd).toFixed(4)} left of the run's budget`,
              estimateUsd,
            );
          }
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

    async submitBatch(agent, messages, options = {}) {
      const { entry, request, client } = batchTurn(agent, messages, options.rung);
      const line = JSON.stringify({
        custom_id: 'turn',
        method: 'POST',
        url: '/v1/chat/completions',
        body: request,
      });
      try {
        const file = await client.files.create(
          { file: await toFile(Buffer.from(`${line}\n`), 'turn.jsonl'), purpose: 'batch' },
          { signal: options.signal },
        );
        const batch = await client.batches.create(
          { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' },
          { signal: options.signal },
        );
        logger.info({ agent: agent.name, model: entry.model, batchId: batch.id }, 'model call batched');
        return { batchId: batch.id, model: entry.model, provider: entry.provider };
      } catch (err) {
        throw toModelError(err, agent.outputName);
      }
    },

    async pollBatch<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      submitted: SubmittedBatch,
      options: Pick<RunTurnOptions, 'signal' | 'rung'> = {},
    ): Promise<BatchPoll<Output>> {
      const { entry, request, client, factor, trimmed } = batchTurn(agent, messages, options.rung);
      if (entry.model !== submitted.model) {
        return {
          state: 'lost',
          reason: `the batch was sent to ${submitted.model}, no longer the first model able`,
        };
      }
      let raw: ChatCompletion;
      try {
        const batch = await client.batches.retrieve(submitted.batchId, { signal: options.signal });
        if (['validating', 'in_progress', 'finalizing'].includes(batch.status)) {
          return { state: 'waiting', status: batch.status };
        }
        if (batch.status !== 'completed') return { state: 'lost', reason: `the batch is ${batch.status}` };
        const fileId = batch.output_file_id ?? batch.error_file_id;
        if (!fileId) return { state: 'lost', reason: 'the completed batch has no output' };
        const [answer] = (await (await client.files.content(fileId, { signal: options.signal })).text())
          .split('\n')
          .filter((text) => text.trim() !== '')
          .map((text) => JSON.parse(text) as BatchOutputLine);
        const status = answer?.response?.status_code;
        if (status !== 200) {
          const code = answer?.response?.body?.error?.code ?? answer?.error?.code ?? 'no answer';
          return { state: 'lost', reason: `the batched request answered ${status ?? 'nothing'} (${code})` };
        }
        raw = answer.response!.body as ChatCompletion;
      } catch (err) {
        throw toModelError(err, agent.outputName);
      }
      const usage = (completion: ParsedChatCompletion<unknown>) => {
        const live = usageOf(
          { agent, tier: options.rung?.tier ?? agent.tier, rung: options.rung },
          entry,
          completion,
          [],
          trimmed,
        );
        return { ...live, costUsd: Math.round(live.costUsd * factor * 1e10) / 1e10, lane: 'batch' as const };
      };
      let completion: ParsedChatCompletion<Output>;
      try {
        completion = parseChatCompletion(raw, request) as ParsedChatCompletion<Output>;
      } catch (err) {
        const spent = usage(raw as ParsedChatCompletion<Output>);
        if (err instanceof SyntaxError || err instanceof ZodError) {
          const content = raw.choices[0]?.message.content ?? '';
          return {
            state: 'done',
            turn: { kind: 'invalid', content, issues: parseIssues(err), usage: spent },
          };
        }
        // Cut off by the output limit or the content filter: billed all the same.
        const error = toModelError(err, agent.outputName);
        error.usage = spent;
        throw error;
      }
      return {
        state: 'done',
        turn: toTurn<Output>(completion, usage(completion), agent.outputName, responseSchema(request)),
      };
    },
  };

  /**
   * The one request a batched turn sends, built as a live turn's would be for the first model that can hold it
   * (the document trimmed when none can), with that model's client and its provider's batch price.
   */
  function batchTurn(agent: AgentDefinition, messages: ConversationMessage[], rung: RungCall | undefined) {
    const candidates = modelsFor(config, agent, rung);
    const { messages: sent, trimmed } = fitToContext(candidates, messages, (entry, conversation) => {
      const provider = config.providers[entry.provider];
      return provider ? chatRequest(entry, provider, agent, conversation) : null;
    });
    for (const entry of candidates) {
      const provider = config.providers[entry.provider];
      const client = providerClients.get(entry.provider);
      if (!provider || !client) continue;
      const request = chatRequest(entry, provider, agent, sent);
      if (tokensNeeded(entry, request) > entry.contextWindow) continue;
      const factor = provider.kind === 'openai' ? provider.batchPriceFactor : null;
      if (factor === null) {
        throw new ModelRequestRejectedError(
          `provider '${entry.provider}' of ${entry.model} has no batch lane`,
        );
      }
      return { entry, request, client, factor, trimmed };
    }
    throw new ModelContextWindowError(`no model can hold the ${agent.outputName} request`);
  }
}

/** One line of a batch's output (or error) file, as the Batch API writes it. */
interface BatchOutputLine {
  custom_id: string;
  response: { status_code: number; body?: ChatCompletion & { error?: { code?: string } } } | null;
  error: { code?: string; message?: string } | null;
}

/** The JSON schema a request asked its answer to follow, if any. */
function responseSchema(
  request: ChatCompletionCreateParamsNonStreaming,
): Record<string, unknown> | undefined {
  return request.response_format?.type === 'json_schema'
    ? request.response_format.json_schema.schema
    : undefined;
}

/**
 * The models that can serve the agent, in order: its tier's, or its rung's (from the rung's model on, with the
 * rung's output limit, and its reasoning effort for those that take one). None is a configuration error.
 */
function modelsFor(
  config: Pick<DocketConfig, 'models'>,
  agent: AgentDefinition,
  rung?: RungCall,
): ModelEntry[] {
  const tier = rung?.tier ?? agent.tier;
  const tierEntries = config.models[tier];
  if (!tierEntries) throw new ModelRequestRejectedError(`no model is configured for tier '${tier}'`);
  const entries = rung ? onRung(tierEntries, rung) : tierEntries;
  const able = entries.filter((entry) => missingCapability(entry, agent) === null);
  if (able.length === 0) {
    const lacks = entries.map((entry) => `${entry.model} lacks ${missingCapability(entry, agent)}`);
    throw new ModelRequestRejectedError(
      `no model of tier '${tier}' can serve the ${agent.name} (${lacks.join(', ')})`,
    );
  }
  return able;
}

/** A tier's models as a rung calls them. */
function onRung(entries: readonly ModelEntry[], rung: RungCall): ModelEntry[] {
  const from = rung.model === undefined ? 0 : entries.findIndex((entry) => entry.model === rung.model);
  if (from < 0) throw new ModelRequestRejectedError(`tier '${rung.tier}' has no model ${rung.model}`);
  return entries.slice(from).map((entry) => ({
    ...entry,
    ...(rung.maxOutputTokens !== undefined ? { maxOutputTokens: rung.maxOutputTokens } : {}),
    ...(rung.reasoningEffort !== undefined && takesReasoningEffort(entry.capabilities)
      ? { reasoningEffort: rung.reasoningEffort }
      : {}),
  }));
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

function usageOf(
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

function toTurn<Output>(
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

/** Provider error codes that say the model is not there (any more). */
const RETIRED_CODES = new Set(['model_not_found', 'DeploymentNotFound']);

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
    const code = typeof err.code === 'string' ? err.code : null;
    const what = `the model provider answered ${status || 'an error'}${code ? ` (${code})` : ''}`;
    if (status === 404 && code && RETIRED_CODES.has(code)) return new ModelRetiredError(what);
    if (status === 400 && code === 'context_length_exceeded')
      return new ModelContextWindowError(what, status);
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

/** What was wrong with an answer, for the model's repair turn: paths and messages, never the content. */
function parseIssues(err: SyntaxError | ZodError): string[] {
  if (err instanceof SyntaxError) return [`not valid JSON: ${err.message}`];
  return err.issues.slice(0, 20).map((issue) => `${issue.path.join('.') || '(answer)'}: ${issue.message}`);
}
