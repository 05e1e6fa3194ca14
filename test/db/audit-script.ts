/** Runs `scripts/audit.ts` (what `npm run audit` runs) as its own process against a test database. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

const ROOT = path.join(__dirname, '../..');

export function runAuditScript(databaseUrl: string, ...args: string[]): Promise<ScriptRun> {
  const child = spawn(
    process.execPath,
    ['--import', pathToFileURL(require.resolve('tsx')).href, path.join(ROOT, 'scripts/audit.ts'), ...args],
    { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}
