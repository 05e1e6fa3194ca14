/**
 * The offline simulator: an OpenAI-compatible HTTP server that Docket's model gateway talks to,
 * through the real `openai` client, when no OPENAI_API_KEY is set, and that tests and benchmarks
 * use for deterministic answers and scripted faults.
 */
export { startSimulator } from './server';
export type { RunningSimulator, SimulatorOptions } from './server';
export type { BatchFate } from './state';
export { FaultKind } from './faults';
