import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletionCreateParamsNonStreaming,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
import {
  ConfigError,
  missingCapability,
  takesReasoningEffort,
  type ModelEntry,
  type Provider,
} from '../../config';
import type { ConversationMessage } from '../conversation';
import type { AgentDefinition } from '../types';

/**
 * One agent turn as a chat request to one model, shaped by the model's capabilities, not its name: the
 * instructions in the role it takes (`developer` for o1 and o3-mini), `max_completion_tokens`,
 * `reasoning_effort` when configured, a temperature only for models that accept one, and `logprobs`
 * only from models that return them.
 */
export function chatRequest(
  entry: ModelEntry,
  provider: Provider,
  agent: AgentDefinition,
  messages: readonly ConversationMessage[],
): ChatCompletionCreateParamsNonStreaming {
  const { capabilities } = entry;
  return {
    // Azure OpenAI routes by deployment; its client puts the request's `model` into the path.
    model: provider.kind === 'azure' ? (entry.deployment ?? entry.model) : entry.model,
    // Static first, for providers' prompt caches: the instructions, then (rendered by the provider after
    // them) the tools and the schema, then the conversation, whose user message ends with the intake.
    messages: [{ role: capabilities.role, content: agent.instructions }, ...messages.map(toProviderMessage)],
    response_format: responseFormat(agent),
    max_completion_tokens: entry.maxOutputTokens,
    // Only to a model that takes it (config refuses an effort on one that does not; this keeps it so).
    ...(entry.reasoningEffort !== undefined && takesReasoningEffort(capabilities)
      ? { reasoning_effort: entry.reasoningEffort }
      : {}),
    // Token probabilities of the answer, for the computed confidence (agents/confidence.ts); only models
    // that have them are asked: o1 and o3-mini answer 400 to `logprobs`.
    ...(capabilities.logprobs ? { logprobs: true } : {}),
    ...(capabilities.temperature && entry.temperature !== undefined
      ? { temperature: entry.temperature }
      : {}),
    ...(agent.tools.length > 0 ? { tools: agentTools(agent) } : {}),
  };
}

type ResponseFormat = NonNullable<ChatCompletionCreateParamsNonStreaming['response_format']>;
type Tool = NonNullable<ChatCompletionCreateParamsNonStreaming['tools']>[number];

// An agent's schema and tools are fixed, and turning zod into JSON Schema costs a few milliseconds a call:
// built once per agent, then shared by every request (the SDK only reads them). The same objects also let
// promptTokens count their tokens once (tokens.ts).
const responseFormats = new WeakMap<AgentDefinition, ResponseFormat>();
const toolLists = new WeakMap<AgentDefinition, Tool[]>();

function responseFormat(agent: AgentDefinition): ResponseFormat {
  let format = responseFormats.get(agent);
  if (!format) {
    format = zodResponseFormat(agent.outputSchema, agent.outputName);
    responseFormats.set(agent, format);
  }
  return format;
}

function agentTools(agent: AgentDefinition): Tool[] {
  let tools = toolLists.get(agent);
  if (!tools) {
    tools = agent.tools.map((tool) =>
      zodFunction({ name: tool.name, description: tool.description, parameters: tool.args }),
    );
    toolLists.set(agent, tools);
  }
  return tools;
}

/**
 * Refuses, before any run, a tier an agent cannot rely on: one that config does not have, or that lists a model
 * lacking what the agent needs (a model the gateway would pass over at every call, so a fallback that is not
 * one). Throws a ConfigError naming the entry, the model and the agent.
 */
export function checkTiersServeAgents(
  models: Readonly<Record<string, readonly ModelEntry[]>>,
  agents: ReadonlyArray<{ workflow: string; agent: AgentDefinition }>,
): void {
  for (const { workflow, agent } of agents) {
    const entries = models[agent.tier];
    if (!entries) {
      throw new ConfigError(
        `models.${agent.tier}: no such tier, and ${workflow}'s ${agent.name} runs on it (tiers: ${Object.keys(models).join(', ')})`,
      );
    }
    entries.forEach((entry, index) => {
      const lacks = missingCapability(entry, agent);
      if (lacks) {
        throw new ConfigError(
          `models.${agent.tier}.${index} (${entry.model}): lacks ${lacks}, which ${workflow}'s ${agent.name} needs on this tier`,
        );
      }
    });
  }
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
