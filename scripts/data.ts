/**
 * `npm run data -- erase <workflowId>`: a client's right to erasure. Deletes the raw intake and the
 * pseudonym mapping and clears the personal fields of Docket's case record, with an `erasure` row on the
 * audit chain. Refused while the workflow still runs (it needs them to re-identify and to file).
 */
import { Client, Connection, WorkflowNotFoundError } from '@temporalio/client';
import { unreachableTemporal } from '../client';
import { Sealer, docketDataConverter } from '../codec';
import { loadConfig, temporalConnectionOptions } from '../config';
import { openConfiguredDatabase } from '../db';
import { PersonalDataStore } from '../personal-data';

const USAGE = `usage:
  npm run data -- erase <workflowId>    delete the workflow's raw intake and pseudonym mapping and clear
                                        its case's personal fields; the erasure is recorded on the audit
                                        chain. Refused while the workflow runs.

Needs the same DOCKET_ENCRYPTION_KEYS as the worker, the database of config (as npm run audit finds it)
and Temporal (temporal.address) to check the workflow has ended. Exit 1: refused; 2: could not run.`;

const EXIT_REFUSED = 1;
const EXIT_CANNOT_RUN = 2;

async function main(): Promise<number> {
  const [command, workflowId, ...rest] = process.argv.slice(2);
  if (command !== 'erase' || !workflowId || rest.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return EXIT_CANNOT_RUN;
  }
  const config = loadConfig();
  const sealer = new Sealer(config.encryption.keys);

  const connection = await Connection.connect({
    ...temporalConnectionOptions(config.temporal),
    connectTimeout: '5s',
  }).catch((err: unknown) => {
    throw unreachableTemporal(config.temporal.address, err);
  });
  try {
    const description = await new Client({
      connection,
      namespace: config.temporal.namespace,
      // describe() decodes the memo, which the codec encrypted
      dataConverter: docketDataConverter(config.encryption.keys),
    }).workflow
      .getHandle(workflowId)
      .describe()
      .catch((err: unknown) => (err instanceof WorkflowNotFoundError ? null : Promise.reject(err)));
    if (description && ['RUNNING', 'PAUSED'].includes(description.status.name)) {
      process.stderr.write(`data: ${workflowId} is still running: end it first, then erase\n`);
      return EXIT_REFUSED;
    }
  } finally {
    await connection.close();
  }

  const database = await openConfiguredDatabase(config);
  try {
    const erased = await new PersonalDataStore(database.db, sealer).erase(
      workflowId,
      `cli:${process.env.USER ?? 'unknown'}`,
    );
    process.stdout.write(`${JSON.stringify(erased, null, 2)}\n`);
    return 0;
  } finally {
    await database.close();
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`data: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = EXIT_CANNOT_RUN;
  },
);
