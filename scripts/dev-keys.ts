import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EncryptionKeyError, generateEncryptionKeyEntry, parseEncryptionKeys } from '../codec';

/** Development API keys that `npm start` creates on first run and keeps under `.data/` (mode 0600). */
export interface DevKeys {
  operator: string;
  reviewer: string;
  /** Decodes payloads through the codec endpoint (Temporal UI and CLI). */
  engineer: string;
  /** Reads audit trails (`GET /v1/workflows/:id/audit`). */
  auditor: string;
  /** Erases a client's personal data (`DELETE /v1/workflows/:id/personal-data`). */
  admin: string;
}

export const DEV_KEYS_FILE = path.join('.data', 'dev-api-keys.json');

const PREFIXES: Record<keyof DevKeys, string> = {
  operator: 'dk_op_',
  reviewer: 'dk_rv_',
  engineer: 'dk_en_',
  auditor: 'dk_au_',
  admin: 'dk_ad_',
};
const ROLES = Object.keys(PREFIXES) as Array<keyof DevKeys>;

export function readDevKeys(file = DEV_KEYS_FILE): Partial<DevKeys> | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<DevKeys>;
}

/**
 * The dev keys, created on first run. A file from an earlier version gets the roles it lacks (`added`);
 * the keys it has are kept.
 */
export function loadOrCreateDevKeys(file = DEV_KEYS_FILE): {
  keys: DevKeys;
  created: boolean;
  added: Array<keyof DevKeys>;
} {
  const existing = readDevKeys(file);
  const added = ROLES.filter((role) => !existing?.[role]);
  const keys = Object.fromEntries(
    ROLES.map((role) => [role, existing?.[role] ?? `${PREFIXES[role]}${randomBytes(20).toString('hex')}`]),
  ) as unknown as DevKeys;
  if (added.length > 0) writeSecret(file, `${JSON.stringify(keys, null, 2)}\n`);
  return { keys, created: existing === null, added: existing === null ? [] : added };
}

/** The `DOCKET_API_KEYS` value for the dev keys. */
export function devKeysEnv(keys: DevKeys): string {
  return ROLES.map((role) => `dev-${role}:${role}:${keys[role]}`).join(',');
}

/** The id of the development encryption key. */
export const DEV_ENCRYPTION_KEY_ID = 'dev-1';

/**
 * Where `npm start` keeps its development encryption key: next to the dev server's database, whose
 * payloads it encrypts (default `.data/dev-encryption-key`). Losing it makes those payloads unreadable.
 */
export function devEncryptionKeyFile(devServerDbFile: string): string {
  return path.join(path.dirname(devServerDbFile), 'dev-encryption-key');
}

/**
 * The development key set as a `DOCKET_ENCRYPTION_KEYS` value (`dev-1:<base64>`), created on first run
 * (mode 0600). The key itself is never printed.
 */
export function loadOrCreateDevEncryptionKey(file: string): {
  value: string;
  keyIds: string[];
  created: boolean;
} {
  if (existsSync(file)) {
    const value = readFileSync(file, 'utf8').trim();
    try {
      return { value, keyIds: parseEncryptionKeys(value).map((k) => k.id), created: false };
    } catch (err) {
      if (!(err instanceof EncryptionKeyError)) throw err;
      throw new EncryptionKeyError(`${file}: ${err.message}`);
    }
  }
  const value = generateEncryptionKeyEntry(DEV_ENCRYPTION_KEY_ID);
  writeSecret(file, `${value}\n`);
  return { value, keyIds: [DEV_ENCRYPTION_KEY_ID], created: true };
}

function writeSecret(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content, { mode: 0o600 });
}
