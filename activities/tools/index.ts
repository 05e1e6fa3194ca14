import { createCheckConflicts } from './check-conflicts';
import { createCreateCase } from './create-case';
import type { ToolDeps } from './deps';
import { createLimitationPeriod } from './limitation-period';
import { createLookupClient } from './lookup-client';

/**
 * The tool activities the reasoner calls (lookupClient, checkConflicts, limitationPeriod) and createCase,
 * the workflow's one high-impact action. Plain async functions over the injected database and logger;
 * Temporal registers them as activities and tests call them directly.
 */
export function createToolActivities(deps: ToolDeps) {
  return {
    lookupClient: createLookupClient(deps),
    checkConflicts: createCheckConflicts(deps),
    limitationPeriod: createLimitationPeriod(deps),
    createCase: createCreateCase(deps),
  };
}

export type ToolActivities = ReturnType<typeof createToolActivities>;
export type { ToolDeps } from './deps';
export { CreateCaseInput, caseIdFor, type CreateCaseResult } from './create-case';
export { LimitationPeriodInput } from './limitation-period';
