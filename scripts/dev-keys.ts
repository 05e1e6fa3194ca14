import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Development API keys that `npm start` creates on first run and keeps under `.data/` (mode 0600). */
export interface DevKeys {
  operator: string;
  reviewer: string;
}

export const DEV_KEYS_FILE = path.join('.data', 'dev-api-keys.json');

export function readDevKeys(file = DEV_KEYS_FILE): DevKeys | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as DevKeys;
}

export function loadOrCreateDevKeys(file = DEV_KEYS_FILE): { keys: DevKeys; created: boolean } {
  const existing = readDevKeys(file);
  if (existing) return { keys: existing, created: false };
  const keys: DevKeys = {
    operator: `dk_op_${randomBytes(20).toString('hex')}`,
    reviewer: `dk_rv_${randomBytes(20).toString('hex')}`,
  };
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(keys, null, 2)}\n`, { mode: 0o600 });
  return { keys, created: true };
}

/** The `DOCKET_API_KEYS` value for the dev keys. */
export function devKeysEnv(keys: DevKeys): string {
  return `dev-operator:operator:${keys.operator},dev-reviewer:reviewer:${keys.reviewer}`;
}
