import type { z } from 'zod';
import type { TierName } from '../config';
import type { ToolName } from './tools';

/** Every agent output ends with these two fields: the gates read them. */
export interface Scored {
  confidence: number;
  rationale: string;
}

/** An agent is data: what it is told, which tier runs it, what it must return, which tools it may call. */
export interface AgentDefinition<Output extends Scored = Scored> {
  name: AgentName;
  tier: TierName;
  /** System (or, for reasoning models, developer) message. */
  instructions: string;
  outputName: string;
  outputSchema: z.ZodType<Output>;
  tools: readonly ToolName[];
  /** Tools whose results the policy gate needs; an agent that skips one is escalated. */
  requiredTools: readonly ToolName[];
}

export type AgentName = 'classifier' | 'reasoner' | 'drafter';
