/**
 * `npm run submit -- examples/clear-personal-injury.json [--type <workflow type>] [--new-id] [--wait]`
 * Posts a body to `POST /v1/workflows/<type>` (default `legal-intake`; e.g. `--type clinical-summary`) to the
 * running API with the operator key (DOCKET_API_KEY, else the dev key from `npm start`), prints the answer, and
 * with --wait follows the workflow until it completes or needs a reviewer.
 *
 * `npm run submit -- --batch DIR [--type <workflow type>] [--new-id]`: a bulk import. Posts every `*.json` body
 * of DIR, in name order, with `?lane=batch` (each run's model calls through the provider's Batch API), a line
 * per body as it goes, and a count at the end; exits 1 if any was refused.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config';
import { readDevKeys } from './dev-keys';

const USAGE =
  'usage: npm run submit -- <body.json> [--type <workflow type>] [--new-id] [--wait]\n' +
  '       npm run submit -- --batch <dir> [--type <workflow type>] [--new-id]';

/** The value after `flag`, or null when the flag is absent; a flag without a value is a usage error. */
function flagValue(args: readonly string[], flag: string, what: string): string | null {
  const at = args.indexOf(flag);
  if (at === -1) return null;
  const value = args[at + 1];
  if (!value || value.startsWith('--')) throw new Error(`${flag} needs ${what}\n${USAGE}`);
  return value;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const type = flagValue(args, '--type', 'a workflow type, e.g. clinical-summary') ?? 'legal-intake';
  const batchDir = flagValue(args, '--batch', 'a folder of JSON bodies');
  const valued = new Set(['--type', '--batch'].flatMap((flag) => [flag, args[args.indexOf(flag) + 1]]));
  const file = args.find((a) => !a.startsWith('--') && !valued.has(a));
  if (batchDir ? file : !file) throw new Error(USAGE);
  if (batchDir && args.includes('--wait'))
    throw new Error(`--wait follows one run; not with --batch\n${USAGE}`);

  const config = loadConfig();
  const base = process.env.DOCKET_API_URL ?? `http://${config.api.host}:${config.api.port}`;
  const key = process.env.DOCKET_API_KEY ?? readDevKeys()?.operator;
  if (!key) throw new Error('no API key: set DOCKET_API_KEY or run `npm start` once to create the dev keys');
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const post = async (bodyFile: string, query: string) => {
    const body = JSON.parse(readFileSync(bodyFile, 'utf8')) as { externalId?: string };
    if (args.includes('--new-id')) body.externalId = `${body.externalId ?? 'intake'}-${Date.now()}`;
    const response = await fetch(`${base}/v1/workflows/${type}${query}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    return {
      response,
      answer: (await response.json()) as { workflowId?: string; error?: { message?: string } },
    };
  };

  if (batchDir) {
    const files = readdirSync(batchDir)
      .filter((name) => name.endsWith('.json'))
      .sort();
    if (files.length === 0) throw new Error(`${batchDir} holds no .json body`);
    let refused = 0;
    for (const [i, name] of files.entries()) {
      const { response, answer } = await post(path.join(batchDir, name), '?lane=batch');
      if (!response.ok) refused += 1;
      const said = response.ok ? answer.workflowId : (answer.error?.message ?? JSON.stringify(answer));
      process.stdout.write(`[${i + 1}/${files.length}] ${name}: ${response.status} ${said}\n`);
    }
    process.stdout.write(`${files.length - refused} started in the batch lane, ${refused} refused\n`);
    if (refused > 0) process.exitCode = 1;
    return;
  }

  const { response, answer } = await post(file!, '');
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
