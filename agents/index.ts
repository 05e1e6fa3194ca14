/**
 * Agent definitions and their schemas: pure data, safe to import from workflow code.
 * The model gateway (which talks to providers) lives in `agents/gateway/` and is imported by activities only.
 */
import { classifier } from './classifier';
import { drafter } from './drafter';
import { reasoner } from './reasoner';
import type { AgentDefinition, AgentName } from './types';

export { Classification, Jurisdiction, KeyDate, MatterType, Urgency, classifier } from './classifier';
export { Assessment, RoutingQueue, reasoner } from './reasoner';
export { Draft, drafter } from './drafter';
export * from './tools';
export type { AgentDefinition, AgentName, Scored } from './types';

export const AGENTS: Record<AgentName, AgentDefinition> = { classifier, reasoner, drafter };
