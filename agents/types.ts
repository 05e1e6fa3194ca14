/** Agents as data: the engine's types (domain/agent.ts), named here where the agents live. */
export type { AgentDefinition, Scored, ToolSpec } from '../domain';
