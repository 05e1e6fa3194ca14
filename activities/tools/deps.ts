import type { Logger } from '../../config';
import type { Queryable } from '../../db';

/** What every tool activity is built over: the database and the process's logger. */
export interface ToolDeps {
  db: Queryable;
  logger: Logger;
}
