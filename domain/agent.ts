/**
 * Agents and tools as data, the same for every workflow type: a workflow type's definition lists its own,
 * and the engine (the agent loop, the model gateway, the model-call activity) runs whatever it is given.
 */
import type { z } from 'zod';

/** Model tier aliases (config `models`): agents name a tier, never a model. */
export const AGENT_TIERS = ['fast', 'reasoning', 'drafting'] as const;
export type AgentTier = (typeof AGENT_TIERS)[number];

/** Every agent output ends with these two fields: the gates read them. */
export interface Scored {
  confidence: number;
  rationale: string;
}

/** What a workflow supplies to a tool from its own state, never from the model (read per call). */
export interface ToolContext {
  /** Today in workflow time (YYYY-MM-DD). */
  asOf: string;
}

/**
 * A tool an agent may call: the name the model sees, what it is for, and zod schemas for its arguments (sent
 * as a strict function definition) and its result. Its executor is the activity of the same name, which
 * the workflow type's definition registers with the worker.
 */
export interface ToolSpec<Args = unknown, Result = unknown> {
  name: string;
  description: string;
  args: z.ZodType<Args>;
  result: z.ZodType<Result>;
  /** Arguments the workflow adds to the model's (e.g. `asOf`): facts the model must not choose. */
  fromWorkflow?: readonly (keyof ToolContext)[];
}

/** An agent is data: what it is told, which tier runs it, what it must return, which tools it may call. */
export interface AgentDefinition<Output extends Scored = Scored> {
  /** Unique within its workflow type; model-call activities carry it (with the workflow type) to find it. */
  name: string;
  tier: AgentTier;
  /** System (or, for reasoning models, developer) message. */
  instructions: string;
  outputName: string;
  outputSchema: z.ZodType<Output>;
  tools: readonly ToolSpec[];
  /** Names of tools whose results the policy gate needs; an agent that skips one is escalated. */
  requiredTools: readonly string[];
}
