/**
 * Agent definitions and their schemas: pure data, safe to import from workflow code.
 * The model gateway (which talks to providers) lives in `agents/gateway/` and is imported by activities only.
 */
import { classifier } from './classifier';
import { drafter } from './drafter';
import { reasoner } from './reasoner';
import type { AgentDefinition } from './types';

export { Classification, KeyDate, classifier, classifierInput } from './classifier';
export { Assessment, RoutingQueue, reasoner, reasonerInput } from './reasoner';
export { Draft, drafter, drafterInput } from './drafter';
export * from './tools';
export {
  CHECK_PENALTIES,
  CONFIDENCE_FORMULA,
  classifierConfidence,
  drafterConfidence,
  reasonerConfidence,
  type ConfidenceEvidence,
} from './confidence';
export type { AgentDefinition, Scored, ToolSpec } from './types';
export type { ConversationMessage, ModelTurn, ModelUsage, ToolCall } from './conversation';

/** Legal intake's agents by name. */
export const AGENTS = { classifier, reasoner, drafter } satisfies Record<string, AgentDefinition>;
export type AgentName = keyof typeof AGENTS;
export { Confidence, IsoDate, Rationale } from './fields';
