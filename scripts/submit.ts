/**
 * `npm run submit -- examples/clear-personal-injury.json [--type <workflow type>] [--new-id] [--wait]`
 * Posts a body to `POST /v1/workflows/<type>` (default `legal-intake`; e.g. `--type clinical-summary`) to the running API with the operator key (DOCKET_API_KEY, else the dev key from
 * `npm start`), prints the answer, and with --wait follows the workflow until it completes or needs a reviewer.
 */
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config';
import { readDevKeys } from './dev-keys';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const typeAt = args.indexOf('--type');
  const type = typeAt === -1 ? 'legal-intake' : args[typeAt + 1];
  if (!type || type.startsWith('--')) throw new Error('--type needs a workflow type, e.g. clinical-summary');
  const file = args.find((a, i) => !a.startsWith('--') && i !== typeAt + 1);
  if (!file)
    throw new Error('usage: npm run submit -- <body.json> [--type <workflow type>] [--new-id] [--wait]');
  const intake = JSON.parse(readFileSync(file, 'utf8')) as { externalId?: string };
  if (args.includes('--new-id')) intake.externalId = `${intake.externalId ?? 'intake'}-${Date.now()}`;

  const config = loadConfig();
  const base = process.env.DOCKET_API_URL ?? `http://${config.api.host}:${config.api.port}`;
  const key = process.env.DOCKET_API_KEY ?? readDevKeys()?.operator;
  if (!key) throw new Error('no API key: set DOCKET_API_KEY or run `npm start` once to create the dev keys');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };

  const response = await fetch(`${base}/v1/workflows/${type}`, {
    method: 'POST',
    headers,
    body: JSON.stringify(intake),
  });
  const answer = (await response.json()) as { workflowId?: string };
  process.stdout.write(`${response.status} ${JSON.stringify(answer, null, 2)}\n`);
  if (!response.ok || !args.includes('--wait') || !answer.workflowId) return;

  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const status = (await (await fetch(`${base}/v1/workflows/${answer.workflowId}`, { headers })).json()) as {
      status: string;
      stage: string;
    };
    process.stdout.write(`  ${status.status} (stage ${status.stage})\n`);
    if (status.status !== 'running') {
      process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
      return;
    }
  }
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
