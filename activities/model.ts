import { ApplicationFailure, Context } from '@temporalio/activity';
import { AGENTS, type AgentName, type ConversationMessage, type ModelTurn } from '../agents';
import { ModelRateLimitError, toModelError, type ModelGateway } from '../agents/gateway';
import type { Logger } from '../config/logger';

export interface CallModelInput {
  agent: AgentName;
  messages: ConversationMessage[];
}

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
          nonRetryable: !error.retryable,
          nextRetryDelay: error instanceof ModelRateLimitError ? error.retryAfterMs : undefined,
        });
      } finally {
        clearInterval(heartbeat);
      }
    },
  };
}
