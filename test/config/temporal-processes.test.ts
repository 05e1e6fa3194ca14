/**
 * The worker and the API connect with config's Temporal TLS settings: `npm run worker` and `npm run api`
 * with a CA file that does not exist stop at start, naming the key and the file, before anything runs.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { TEST_ENCRYPTION_KEYS } from '../support/encryption';
import { freePort } from '../../scripts/free-port';

const root = path.join(__dirname, '..', '..');

function run(entry: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', entry], {
      cwd: root,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stderr }));
  });
}

it.each(['worker/main.ts', 'api/main.ts'])(
  '%s stops at start when the Temporal CA file cannot be read',
  async (entry) => {
    const { code, stderr } = await run(entry, {
      ...process.env,
      TEMPORAL_TLS_SERVER_CA_CERT_PATH: '/nonexistent/docket-ca.pem',
      DOCKET_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS,
      DOCKET_TEMPORAL_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      DOCKET_WORKER_METRICS_ADDRESS: `127.0.0.1:${await freePort()}`,
      LOG_LEVEL: 'silent',
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/temporal\.tls\.serverRootCACertPath: cannot read \/nonexistent\/docket-ca\.pem/);
  },
  60_000,
);
