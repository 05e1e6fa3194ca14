import { ApplicationFailure, Context } from '@temporalio/activity';
import {
  AGENTS,
  type AgentDefinition,
  type AgentName,
  type ConversationMessage,
  type ModelTurn,
} from '../agents';
import {
  ModelOutputInvalidError,
  ModelOutputTruncatedError,
  ModelRateLimitError,
  toModelError,
  type ModelGateway,
} from '../agents/gateway';
import type { Logger } from '../config/logger';
import type { DocketConfig } from '../config/schema';
import type { ModelCallOutcome, WorkerMetrics } from '../metrics';

export interface CallModelInput {
  agent: AgentName;
  messages: ConversationMessage[];
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
export function createModelActivities({ gateway, logger }: { gateway: ModelGateway; logger: Logger }) {
  return {
    async callModel(input: CallModelInput): Promise<ModelTurn> {
      const agent = AGENTS[input.agent];
      if (!agent) throw ApplicationFailure.nonRetryable(`unknown agent '${input.agent}'`, 'UnknownAgent');
      const context = Context.current();
      const heartbeat = setInterval(() => context.heartbeat(), HEARTBEAT_EVERY_MS);
      try {
        return await gateway.runTurn(agent, input.messages, { signal: context.cancellationSignal });
      } catch (err) {
        const error = toModelError(err, agent.outputName);
        logger.debug(
          { agent: agent.name, error: error.name, attempt: context.info.attempt },
          'callModel failed',
        );
        throw ApplicationFailure.create({
          type: error.name,
          message: error.message,
          // An answer that does not parse may parse on a new sample, a few times; then a person looks at it.
          nonRetryable:
            !error.retryable ||
            (error instanceof ModelOutputInvalidError && context.info.attempt >= INVALID_OUTPUT_ATTEMPTS),
          nextRetryDelay: error instanceof ModelRateLimitError ? error.retryAfterMs : undefined,
        });
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
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
    async runTurn<Output>(
      agent: AgentDefinition,
      messages: ConversationMessage[],
      options?: { signal?: AbortSignal },
    ): Promise<ModelTurn<Output>> {
      const started = performance.now();
      const latencySeconds = () => (performance.now() - started) / 1000;
      let turn: ModelTurn<Output>;
      try {
        turn = await gateway.runTurn<Output>(agent, messages, options);
      } catch (err) {
        if (!options?.signal?.aborted) {
          metrics.modelCall({
            agent: agent.name,
            model: models[agent.tier]?.[0]?.model ?? 'unknown',
            outcome: failureOutcome(err, agent.outputName),
            latencySeconds: latencySeconds(),
          });
        }
        throw err;
      }
      const { usage } = turn;
      metrics.modelCall({
        agent: agent.name,
        model: usage.model,
        outcome: turn.kind === 'refusal' ? 'refused' : turn.kind === 'invalid' ? 'invalid_output' : 'ok',
        latencySeconds: latencySeconds(),
        usage: {
          inputTokens: usage.inputTokens,
          cachedTokens: turn.usage.cachedInputTokens ?? 0,
          outputTokens: usage.outputTokens,
          reasoningTokens: usage.reasoningTokens,
          costUsd: usage.costUsd,
        },
      });
      return turn;
    },
  };
}

/** The model answered, but unusably (`invalid_output`), or the request failed (`error`). */
function failureOutcome(err: unknown, outputName: string): ModelCallOutcome {
  const error = toModelError(err, outputName);
  return error instanceof ModelOutputInvalidError || error instanceof ModelOutputTruncatedError
    ? 'invalid_output'
    : 'error';
}
