import { ApplicationFailure } from '@temporalio/common';
import { createToolActivities, type ToolActivities } from '../../activities/tools';
import type { PersonalDataStore } from '../../personal-data';
import { testPersonalDataStore } from '../support/encryption';
import { capturingLogger, startTestDatabase, type TestDatabase } from '../db/support';

export interface ToolsUnderTest extends TestDatabase {
  tools: ToolActivities;
  /** Where createCase reads mappings and seals the case's personal fields. */
  personal: PersonalDataStore;
  /** The JSON log lines the activities wrote so far. */
  logLines: () => Array<Record<string, unknown>>;
}

/** The tool activities over a fresh, seeded in-memory database, exactly as the worker builds them. */
export async function startTools(): Promise<ToolsUnderTest> {
  const database = await startTestDatabase();
  const { logger, lines } = capturingLogger();
  const personal = testPersonalDataStore(database.db);
  return {
    ...database,
    personal,
    tools: createToolActivities({ db: database.db, logger, personal }),
    logLines: lines,
  };
}

/** The failure a call ended with; fails the test when the call succeeded. */
export async function failureOf(call: Promise<unknown>): Promise<ApplicationFailure> {
  const outcome = await call.then(
    () => null,
    (err: unknown) => err,
  );
  if (!(outcome instanceof ApplicationFailure)) {
    throw new Error(`expected an ApplicationFailure, got ${outcome === null ? 'success' : String(outcome)}`);
  }
  return outcome;
}
