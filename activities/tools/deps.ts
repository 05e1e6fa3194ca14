import type { Logger } from '../../config';
import type { Queryable } from '../../db';
import type { PersonalDataStore } from '../../personal-data';

/** What every tool activity is built over: the database, the sealed personal data, the process's logger. */
export interface ToolDeps {
  db: Queryable;
  /** Where createCase re-identifies the drafter's text and seals the case's personal fields. */
  personal: PersonalDataStore;
  logger: Logger;
}
