/**
 * Agent definitions and their schemas: pure data, safe to import from workflow code.
 * The model gateway (which talks to providers) lives in `agents/gateway/` and is imported by activities only.
 */
import { classifier } from './classifier';
import { drafter } from './drafter';
import { reasoner } from './reasoner';
import type { AgentDefinition, AgentName } from './types';

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
export type { AgentDefinition, AgentName, Scored } from './types';
export type { ConversationMessage, ModelTurn, ModelUsage, ToolCall } from './conversation';

export const AGENTS: Record<AgentName, AgentDefinition> = { classifier, reasoner, drafter };
