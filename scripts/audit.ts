/**
 * `npm run audit -- verify`: walks the whole audit chain and names the first bad row.
 * `npm run audit -- export <workflowId>`: prints a workflow's audit trail as JSON.
 */
import { readWorkflowAudit, verifyAuditChain } from '../audit';
import { loadConfig } from '../config';
import { openConfiguredDatabase } from '../db';

const USAGE = `usage:
  npm run audit -- verify                 check the whole hash chain; exit 0 when it holds, 1 naming the
                                          first bad row (hash mismatch, broken link, gap in seq)
  npm run audit -- export <workflowId>    print the workflow's rows as JSON, with "verified"

The database comes from config: database.url (or DATABASE_URL) for PostgreSQL; otherwise the embedded
database of \`npm start\`, through its server while \`npm start\` runs, or by opening its data directory
(database.embeddedDataDir) when it does not. Exit 2: the check could not run (no database, bad usage).`;

/** The chain is broken: the verdict, not an error of the tool. */
const EXIT_BROKEN = 1;
const EXIT_CANNOT_RUN = 2;

async function main(): Promise<number> {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== 'verify' && command !== 'export') return usage();
  if (command === 'verify' && rest.length !== 0) return usage();
  if (command === 'export' && (rest.length !== 1 || !rest[0])) return usage();

  const config = loadConfig();
  const database = await openConfiguredDatabase(config);
  try {
    if (command === 'export') {
      process.stdout.write(`${JSON.stringify(await readWorkflowAudit(database.db, rest[0]), null, 2)}\n`);
      return 0;
    }
    const result = await verifyAuditChain(database.db);
    if (result.ok) {
      const head = result.head ? `; head seq ${result.head.seq}, hash ${result.head.hash}` : '';
      process.stdout.write(`audit chain OK: ${result.rows} row${result.rows === 1 ? '' : 's'}${head}\n`);
      return 0;
    }
    const { seq, workflowId, actionId, problems } = result.firstBad;
    process.stdout.write(
      `audit chain BROKEN at seq ${seq} (workflow ${workflowId}, action ${actionId}): ${problems.join('; ')}. ` +
        `The ${result.rowsBefore} rows before it verify.\n`,
    );
    return EXIT_BROKEN;
  } finally {
    await database.close();
  }
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return EXIT_CANNOT_RUN;
}

/** PostgreSQL's "undefined table": the database was never migrated. */
const UNDEFINED_TABLE = '42P01';

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    const message =
      (err as { code?: unknown }).code === UNDEFINED_TABLE
        ? 'this database has no audit_log table: start Docket (npm start or a worker) once to migrate it'
        : err instanceof Error
          ? err.message
          : String(err);
    process.stderr.write(`audit: ${message}\n`);
    process.exitCode = EXIT_CANNOT_RUN;
  },
);
