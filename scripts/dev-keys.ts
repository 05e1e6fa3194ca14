import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EncryptionKeyError, generateEncryptionKeyEntry, parseEncryptionKeys } from '../codec';
import type { ApiRole } from '../config';

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
  /** A reviewer limited to clinical summaries: sees and decides those, and nothing of other types. */
  clinician: string;
}

export const DEV_KEYS_FILE = path.join('.data', 'dev-api-keys.json');

/** Each dev key's role, the workflow types it is limited to (none: all), and a prefix that tells it apart. */
export const DEV_KEYS: Record<keyof DevKeys, { role: ApiRole; types?: readonly string[]; prefix: string }> = {
  operator: { role: 'operator', prefix: 'dk_op_' },
  reviewer: { role: 'reviewer', prefix: 'dk_rv_' },
  engineer: { role: 'engineer', prefix: 'dk_en_' },
  auditor: { role: 'auditor', prefix: 'dk_au_' },
  admin: { role: 'admin', prefix: 'dk_ad_' },
  clinician: { role: 'reviewer', types: ['clinical-summary'], prefix: 'dk_cl_' },
};
/** The dev keys' names, in the order the banner lists them. */
export const DEV_KEY_NAMES = Object.keys(DEV_KEYS) as Array<keyof DevKeys>;

export function readDevKeys(file = DEV_KEYS_FILE): Partial<DevKeys> | null {
  if (!existsSync(file)) return null;
  return JSON.parse(readFileSync(file, 'utf8')) as Partial<DevKeys>;
}

/**
 * The dev keys, created on first run. A file from an earlier version gets the keys it lacks (`added`);
 * the keys it has are kept.
 */
export function loadOrCreateDevKeys(file = DEV_KEYS_FILE): {
  keys: DevKeys;
  created: boolean;
  added: Array<keyof DevKeys>;
} {
  const existing = readDevKeys(file);
  const added = DEV_KEY_NAMES.filter((name) => !existing?.[name]);
  const keys = Object.fromEntries(
    DEV_KEY_NAMES.map((name) => [
      name,
      existing?.[name] ?? `${DEV_KEYS[name].prefix}${randomBytes(20).toString('hex')}`,
    ]),
  ) as unknown as DevKeys;
  if (added.length > 0) writeSecret(file, `${JSON.stringify(keys, null, 2)}\n`);
  return { keys, created: existing === null, added: existing === null ? [] : added };
}

/**
 * The `DOCKET_API_KEYS` value for the dev keys (`dev-<name>:<role>:<key>[:type+type]`), leaving out a key
 * limited to a type that `registered` (the REST names of the registry the API runs) lacks: the API refuses
 * such a key at start.
 */
export function devKeysEnv(keys: DevKeys, registered: readonly string[]): string {
  return DEV_KEY_NAMES.filter((name) => devKeyUsable(name, registered))
    .map((name) => {
      const { role, types } = DEV_KEYS[name];
      return `dev-${name}:${role}:${keys[name]}${types ? `:${types.join('+')}` : ''}`;
    })
    .join(',');
}

/** Whether every type a dev key is limited to is registered. */
export function devKeyUsable(name: keyof DevKeys, registered: readonly string[]): boolean {
  return (DEV_KEYS[name].types ?? []).every((type) => registered.includes(type));
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
