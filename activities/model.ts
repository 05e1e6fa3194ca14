import { ApplicationFailure, Context } from '@temporalio/activity';
import type { AgentDefinition, ConversationMessage, ModelTurn, ModelUsage } from '../agents';
import type { RungCall } from '../domain';
import {
  ModelBudgetExceededError,
  ModelError,
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  toModelError,
  type BatchPoll,
  type ModelGateway,
  type RunTurnOptions,
  type SubmittedBatch,
  type TurnBudget,
} from '../agents/gateway';
import type { DocketConfig, Logger } from '../config';
import type { ModelCallObservation, ModelCallOutcome, WorkerMetrics } from '../metrics';
import { TranscriptMissingError, type TranscriptStore } from '../personal-data';
import type { TokenRateLimiter } from './token-rate';

export interface CallModelInput {
  /** The agent's name within the calling workflow's type (`AgentLookup`). */
  agent: string;
  /** The messages to send: all of them, or with `transcript` only those after the stored ones. */
  messages: ConversationMessage[];
  /**
   * The conversation's earlier messages are kept in Docket's database (`TranscriptStore`): `stored` of them
   * come before `messages`. Absent in runs from before, which sent the whole conversation every time.
   */
  transcript?: { id: string; stored: number };
  /** What the run may still spend: the call is not made when its counted cost would cross it. */
  budget?: TurnBudget;
  /** The agent's cascade rung to call on (its tier, model, effort, output limit); absent: the agent's tier. */
  rung?: RungCall;
}

/** The details of a failed model call's ApplicationFailure, for the workflow. */
export interface ModelFailureDetails {
  /** A call refused for the run's budget: what it would have cost. */
  estimateUsd?: number;
  /** An answer that came back unusable (cut off): what it cost all the same. */
  usage?: ModelUsage;
}

/** A batched turn to ask about: the call as it was submitted, and its batch. */
export interface PollModelBatchInput {
  call: CallModelInput;
  batch: SubmittedBatch;
}

/** Attempts at an answer that does not parse before the stage goes to a person (schema_invalid). */
const INVALID_OUTPUT_ATTEMPTS = 3;

/** How often a model call tells Temporal it is alive; the workflow's heartbeat timeout is a few of these. */
const HEARTBEAT_EVERY_MS = 3_000;

/**
 * `callModel`: one model turn for one agent. Provider errors leave as ApplicationFailures whose `type`
 * is the Docket error class; a rate limit carries the provider's delay as `nextRetryDelay`.
 * It heartbeats while the provider thinks, so a crashed worker is noticed in seconds, not at the
 * start-to-close timeout, and the HTTP request is aborted when the activity is cancelled.
 */
/** Finds the agent a model call names, by the calling workflow's type (the registry's `agent`). */
export type AgentLookup = (workflowType: string, name: string) => AgentDefinition | undefined;

export interface ModelActivityDeps {
  agents: AgentLookup;
  gateway: ModelGateway;
  logger: Logger;
  transcripts: TranscriptStore;
  tokenRate: TokenRateLimiter;
  rateLimits: DocketConfig['rateLimits'];
}

export function createModelActivities({
  agents,
  gateway,
  logger,
  transcripts,
  tokenRate,
  rateLimits,
}: ModelActivityDeps) {
  /**
   * What every model-call activity does around its provider request: finds the agent, reads the
   * conversation (the stored part of its transcript first), heartbeats, keeps the transcript when the turn
   * goes on, and turns a failure into an ApplicationFailure typed by its Docket error class.
   */
  async function inConversation<Result>(
    input: CallModelInput,
    work: (agent: AgentDefinition, messages: ConversationMessage[], signal: AbortSignal) => Promise<Result>,
    turnOf: (result: Result) => ModelTurn | null,
  ): Promise<Result> {
    const context = Context.current();
    const agent = agents(context.info.workflowType ?? '', input.agent);
    if (!agent) {
      throw ApplicationFailure.nonRetryable(
        `workflow type ${context.info.workflowType} has no agent '${input.agent}'`,
        'UnknownAgent',
      );
    }
    const run = context.info.workflowExecution;
    const key = input.transcript && run && { ...run, transcriptId: input.transcript.id };
    const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
    try {
      const messages = key
        ? [...(await transcripts.load(key, input.transcript!.stored)), ...input.messages]
        : input.messages;
      const result = await work(agent, messages, context.cancellationSignal);
      const turn = turnOf(result);
      // The next call of this conversation will carry only what follows: keep these for it.
      if (key && turn && (turn.kind === 'tool_calls' || turn.kind === 'invalid')) {
        await transcripts.save(key, input.transcript!.stored, input.messages);
      }
      return result;
    } catch (err) {
      if (err instanceof TranscriptMissingError) {
        throw ApplicationFailure.nonRetryable(err.message, err.name);
      }
      const error = toModelError(err, agent.outputName);
      logger.debug(
        {
          agent: agent.name,
          activity: context.info.activityType,
          error: error.name,
          attempt: context.info.attempt,
        },
        'model call failed',
      );
      throw ApplicationFailure.create({
        type: error.name,
        message: error.message,
        details: failureDetails(error),
        // An answer that does not parse may parse on a new sample, a few times; then a person looks at it.
        nonRetryable:
          !error.retryable ||
          (error instanceof ModelOutputInvalidError && context.info.attempt >= INVALID_OUTPUT_ATTEMPTS),
        nextRetryDelay: error instanceof ModelRateLimitError ? error.retryAfterMs : undefined,
      });
    } finally {
      clearInterval(heartbeat);
    }
  }

  return {
    callModel: (input: CallModelInput): Promise<ModelTurn> =>
      inConversation(
        input,
        async (agent, messages, signal) => {
          // On a rung, the call is the rung's tier's: its rate limit, its models.
          const tier = input.rung?.tier ?? agent.tier;
          const tokensPerMinute = rateLimits[tier]?.tokensPerMinute;
          const reservation = tokensPerMinute
            ? await tokenRate.reserve(
                tier,
                gateway.rateLimitTokens(agent, messages, input.rung),
                tokensPerMinute,
              )
            : null;
          if (reservation && 'spent' in reservation) {
            throw new ModelRateLimitError(
              `tier '${tier}' has used its ${reservation.limit} tokens of this minute (rateLimits.${tier}.tokensPerMinute)`,
              reservation.retryAfterMs,
            );
          }
          let turn: ModelTurn;
          try {
            turn = await gateway.runTurn(agent, messages, { signal, budget: input.budget, rung: input.rung });
          } catch (err) {
            // A request the provider never took (refused before sending, a connection that failed) gives back
            // its tokens; one it may have counted keeps them.
            if (err instanceof ModelBudgetExceededError) await reservation?.settle(0);
            throw err;
          }
          await reservation?.settle(turn.usage.inputTokens + turn.usage.outputTokens);
          return turn;
        },
        (turn) => turn,
      ),

    /** `submitModelBatch`: the turn sent to the provider's Batch API (the batch lane); the workflow then polls. */
    submitModelBatch: (input: CallModelInput): Promise<SubmittedBatch> =>
      inConversation(
        input,
        (agent, messages, signal) =>
          gateway.submitBatch(agent, messages, { signal, rung: input.rung, budget: input.budget }),
        () => null,
      ),

    /** `pollModelBatch`: whether a batched turn is answered, and its answer once it is. */
    pollModelBatch: ({ call, batch }: PollModelBatchInput): Promise<BatchPoll> =>
      inConversation(
        call,
        (agent, messages, signal) => gateway.pollBatch(agent, messages, batch, { signal, rung: call.rung }),
        (polled) => (polled.state === 'done' ? polled.turn : null),
      ),
  };
}

/**
 * What the workflow reads from a failed call (`ModelFailureDetails`): the estimate of a call refused for the
 * budget, the usage of an answer that came back unusable (it is billed, so the run counts it).
 */
function failureDetails(error: ModelError): [ModelFailureDetails] | undefined {
  const details: ModelFailureDetails = {
    ...(error instanceof ModelBudgetExceededError ? { estimateUsd: error.estimateUsd } : {}),
    ...(error.usage ? { usage: error.usage } : {}),
  };
  return Object.keys(details).length > 0 ? [details] : undefined;
}

/** The workflow type of the run whose activity makes a call; `unknown` outside an activity. */
function callingWorkflowType(): string {
  try {
    return Context.current().info.workflowType ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The model gateway `callModel` runs on, counting every provider request into Docket's model metrics
 * (`docket_model_*`): agent, model, outcome, tokens, cost and latency. It wraps the gateway rather than
 * the activity so that each request is measured alone (not the audit row or the activity's other work)
 * and its failure is still a typed ModelError. `model` is the tier's model from the answer's usage, or
 * from config when there was no answer. A request cut short by the activity's cancellation is not counted.
 */
export function withModelCallMetrics(
  gateway: ModelGateway,
  metrics: WorkerMetrics,
  models: DocketConfig['models'],
): ModelGateway {
  return {
    rateLimitTokens: (agent, messages, rung) => gateway.rateLimitTokens(agent, messages, rung),
    async runTurn<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options?: RunTurnOptions,
    ): Promise<ModelTurn<Output>> {
      const started = performance.now();
      const latencySeconds = () => (performance.now() - started) / 1000;
      const workflowType = callingWorkflowType();
      let turn: ModelTurn<Output>;
      try {
        turn = await gateway.runTurn<Output>(agent, messages, options);
      } catch (err) {
        // A call refused for the budget was never sent; a cancelled one was cut short by Docket.
        if (!options?.signal?.aborted && !(err instanceof ModelBudgetExceededError)) {
          // An answer that came back unusable names its model and what it cost; otherwise the tier's first.
          const billed = err instanceof ModelError ? err.usage : undefined;
          metrics.modelCall({
            workflowType,
            agent: agent.name,
            model: billed?.model ?? models[options?.rung?.tier ?? agent.tier]?.[0]?.model ?? 'unknown',
            outcome: failureOutcome(err, agent.outputName),
            latencySeconds: latencySeconds(),
            ...(billed ? { usage: usageCounts(billed) } : {}),
          });
        }
        throw err;
      }
      countTurn(turn, latencySeconds());
      return turn;
    },
    submitBatch: (agent, messages, options) => gateway.submitBatch(agent, messages, options),
    async pollBatch<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      submitted: SubmittedBatch,
      options?: Pick<RunTurnOptions, 'signal' | 'rung'>,
    ): Promise<BatchPoll<Output>> {
      const polled = await gateway.pollBatch<Output>(agent, messages, submitted, options);
      // A batched call is counted once, when its answer is read; it has no latency of its own.
      if (polled.state === 'done') countTurn(polled.turn, undefined);
      return polled;
    },
  };

  function countTurn(turn: ModelTurn<unknown>, latencySeconds: number | undefined): void {
    const { usage } = turn;
    metrics.modelCall({
      workflowType: callingWorkflowType(),
      agent: usage.agent,
      model: usage.model,
      outcome: turn.kind === 'refusal' ? 'refused' : turn.kind === 'invalid' ? 'invalid_output' : 'ok',
      latencySeconds,
      usage: usageCounts(usage),
    });
  }
}

/** A call's usage as the model metrics count it. */
function usageCounts(usage: ModelUsage): NonNullable<ModelCallObservation['usage']> {
  return {
    inputTokens: usage.inputTokens,
    cachedTokens: usage.cachedInputTokens ?? 0,
    outputTokens: usage.outputTokens,
    reasoningTokens: usage.reasoningTokens,
    costUsd: usage.costUsd,
  };
}

/** The model answered, but unusably (`invalid_output`), or the request failed (`error`). */
function failureOutcome(err: unknown, outputName: string): ModelCallOutcome {
  const error = toModelError(err, outputName);
  return error instanceof ModelOutputInvalidError || error instanceof ModelOutputTruncatedError
    ? 'invalid_output'
    : 'error';
}
