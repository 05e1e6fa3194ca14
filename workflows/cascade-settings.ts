/**
 * An agent's cascade as a run's settings keep it, read from config and checked when the API and the worker
 * start (node-side: the workflow bundle never imports it). Every refusal names the config key.
 */
import { z } from 'zod';
import {
  ConfigError,
  missingCapability,
  takesReasoningEffort,
  type CascadeRungConfig,
  type DocketConfig,
} from '../config';
import type { AgentDefinition, AgentTier, CascadeRung } from '../domain';

type Models = DocketConfig['models'];

/**
 * The cascades of a type's agents that config gives one (`<key>.<agent>.cascade`), resolved: each rung with
 * its tier. Undefined when none has one: runs then call every agent on its own tier, as before cascades.
 */
export function agentCascades(
  models: Models,
  agents: readonly AgentDefinition[],
  configured: Readonly<Record<string, { cascade?: CascadeRungConfig[] } | undefined>>,
  key: string,
): Record<string, CascadeRung[]> | undefined {
  const cascades: Record<string, CascadeRung[]> = {};
  for (const agent of agents) {
    const rungs = configured[agent.name]?.cascade;
    if (rungs) cascades[agent.name] = resolveCascade(models, agent, rungs, `${key}.${agent.name}.cascade`);
  }
  return Object.keys(cascades).length > 0 ? cascades : undefined;
}

function resolveCascade(
  models: Models,
  agent: AgentDefinition,
  rungs: readonly CascadeRungConfig[],
  key: string,
): CascadeRung[] {
  const fields = outputFields(agent);
  let cheaper: { price: number; model: string } | null = null;
  return rungs.map((rung, index) => {
    const at = `${key}.${index}`;
    const tier = rung.tier ?? tierOf(models, rung.model!, `${at}.model`);
    const entries = models[tier];
    if (!entries) {
      throw new ConfigError(`${at}.tier: no such tier in models (tiers: ${Object.keys(models).join(', ')})`);
    }
    const served = entries.slice(rung.model ? entries.findIndex((e) => e.model === rung.model) : 0);
    for (const entry of served) {
      const lacks = missingCapability(entry, agent);
      if (lacks) throw new ConfigError(`${at}: ${entry.model} lacks ${lacks}, which the ${agent.name} needs`);
    }
    const [first] = served;
    if (rung.reasoningEffort !== undefined && !takesReasoningEffort(first.capabilities)) {
      throw new ConfigError(`${at}.reasoningEffort: ${first.model} takes no reasoning effort`);
    }
    if (index === 0 && rung.when) {
      throw new ConfigError(`${at}.when: the first rung has no rule, every call starts there`);
    }
    if (index > 0 && !rung.when) {
      throw new ConfigError(`${at}.when: missing; without a rule no call climbs to this rung`);
    }
    for (const field of Object.keys(rung.when?.output ?? {})) {
      if (!fields.includes(field)) {
        throw new ConfigError(
          `${at}.when.output.${field}: the ${agent.name} produces no such field (${fields.join(', ')})`,
        );
      }
    }
    // A rung's price: its first model's input and output per million tokens. A cascade only climbs in price.
    const price = first.pricing.inputPerMTokUsd + first.pricing.outputPerMTokUsd;
    if (cheaper && price < cheaper.price) {
      throw new ConfigError(
        `${at}: ${first.model} ($${price} per million tokens in and out) is cheaper than the rung below it (${cheaper.model}, $${cheaper.price}); rungs go up in price`,
      );
    }
    cheaper = { price, model: first.model };
    return {
      tier,
      ...(rung.model ? { model: rung.model } : {}),
      ...(rung.reasoningEffort ? { reasoningEffort: rung.reasoningEffort } : {}),
      ...(rung.maxOutputTokens ? { maxOutputTokens: rung.maxOutputTokens } : {}),
      ...(rung.when ? { when: rung.when } : {}),
    };
  });
}

/** The tier whose models list `model`. */
function tierOf(models: Models, model: string, at: string): AgentTier {
  const found = Object.entries(models).find(([, entries]) => entries.some((e) => e.model === model));
  if (!found) throw new ConfigError(`${at}: ${model} is in no tier's models`);
  return found[0] as AgentTier;
}

/** The top-level fields of the agent's output: what an `output` climb rule may name. */
function outputFields(agent: AgentDefinition): string[] {
  return agent.outputSchema instanceof z.ZodObject ? Object.keys(agent.outputSchema.shape) : [];
}
