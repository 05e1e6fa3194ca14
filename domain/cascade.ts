/**
 * An agent's cascade as a run keeps it and a model call carries it: rungs cheapest first, each a tier (or
 * one model of a tier) with the rules that climb a call to it. Config writes them (`agents.<agent>.cascade`);
 * the workflow decides each climb (workflows/cascade.ts); the model-call activity serves the rung it is given.
 */
import type { AgentTier } from './agent';

/** The rules under which a call climbs to a rung: any one that holds (config's `ClimbRules`, documented there). */
export interface ClimbRules {
  lowConfidence?: true;
  failedCheck?: true;
  policy?: true;
  urgency?: string[];
  documentTokensOver?: number;
  output?: Record<string, Array<string | number | boolean>>;
}

/** Why a call climbed: one code per rule that held. */
export type ClimbReason =
  'low_confidence' | 'failed_check' | 'policy' | 'urgency' | 'document_length' | 'output';

/** A rung as a run's settings keep it: its tier always (a model rung's is that model's tier). */
export interface CascadeRung {
  tier: AgentTier;
  /** The model to start with; the tier's later models are its fallbacks. Absent: the tier's first. */
  model?: string;
  reasoningEffort?: 'low' | 'medium' | 'high';
  maxOutputTokens?: number;
  when?: ClimbRules;
}

/** The rung a model call is made on: which one of how many, and why the call climbed to it. */
export interface RungCall extends Omit<CascadeRung, 'when'> {
  /** 0 for the first rung. */
  index: number;
  of: number;
  /** Absent on the first rung; otherwise the rules that held. */
  climbedFor?: ClimbReason[];
}
