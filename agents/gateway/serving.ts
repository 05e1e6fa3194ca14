/** Which models serve an agent's call (its tier's, or its rung's) and the conversation as they can hold it. */
import { missingCapability, takesReasoningEffort, type DocketConfig, type ModelEntry } from '../../config';
import type { RungCall } from '../../domain';
import type { ConversationMessage } from '../conversation';
import type { AgentDefinition } from '../types';
import { ModelRequestRejectedError } from './errors';
import { fitToContext } from './fit';
import { chatRequest } from './request';

/**
 * The models that can serve the agent, in order: its tier's, or its rung's (from the rung's model on, with the
 * rung's output limit, and its reasoning effort for those that take one). None is a configuration error.
 */
export function modelsFor(
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

/**
 * The conversation as the candidates can hold it: as it is, or with the intake document trimmed to fit the
 * roomiest of them when none can (see fitToContext).
 */
export function fittedConversation(
  config: Pick<DocketConfig, 'providers'>,
  candidates: readonly ModelEntry[],
  agent: AgentDefinition,
  messages: ConversationMessage[],
) {
  return fitToContext(candidates, messages, (entry, conversation) => {
    const provider = config.providers[entry.provider];
    return provider ? chatRequest(entry, provider, agent, conversation) : null;
  });
}
