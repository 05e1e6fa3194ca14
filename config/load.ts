import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EncryptionKeyError, parseEncryptionKeys } from '../codec/keys';
import { API_KEY_TYPE_PATTERN, DocketConfig, type ApiKeyEntry, type ApiRole } from './schema';

/** A config problem found at start; its message names the key (and the variable it came from). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

type EnvKind = 'string' | 'number' | 'boolean' | 'json' | 'list';

/**
 * Environment variables that override config keys; numbers and booleans are parsed, lists split on commas,
 * everything else taken as text.
 */
const ENV_OVERRIDES: ReadonlyArray<{ env: string; key: string[]; kind: EnvKind }> = [
  { env: 'TEMPORAL_ADDRESS', key: ['temporal', 'address'], kind: 'string' },
  { env: 'TEMPORAL_NAMESPACE', key: ['temporal', 'namespace'], kind: 'string' },
  { env: 'TEMPORAL_TASK_QUEUE', key: ['temporal', 'taskQueue'], kind: 'string' },
  // Temporal's own names for these (its CLI and SDKs read the same variables).
  { env: 'TEMPORAL_API_KEY', key: ['temporal', 'apiKey'], kind: 'string' },
  // Before the paths below: a path turns `tls` into the object that holds it.
  { env: 'TEMPORAL_TLS', key: ['temporal', 'tls'], kind: 'boolean' },
  { env: 'TEMPORAL_TLS_SERVER_NAME', key: ['temporal', 'tls', 'serverNameOverride'], kind: 'string' },
  {
    env: 'TEMPORAL_TLS_SERVER_CA_CERT_PATH',
    key: ['temporal', 'tls', 'serverRootCACertPath'],
    kind: 'string',
  },
  { env: 'TEMPORAL_TLS_CLIENT_CERT_PATH', key: ['temporal', 'tls', 'clientCertPath'], kind: 'string' },
  { env: 'TEMPORAL_TLS_CLIENT_KEY_PATH', key: ['temporal', 'tls', 'clientKeyPath'], kind: 'string' },
  { env: 'OPENAI_API_KEY', key: ['provider', 'apiKey'], kind: 'string' },
  { env: 'OPENAI_BASE_URL', key: ['provider', 'baseURL'], kind: 'string' },
  { env: 'DATABASE_URL', key: ['database', 'url'], kind: 'string' },
  { env: 'PORT', key: ['api', 'port'], kind: 'number' },
  { env: 'DOCKET_CODEC_TRUSTS_LOCAL_UI', key: ['api', 'codecTrustsLocalUi'], kind: 'boolean' },
  { env: 'LOG_LEVEL', key: ['logging', 'level'], kind: 'string' },
  { env: 'DOCKET_SIMULATOR_PORT', key: ['simulator', 'port'], kind: 'number' },
  { env: 'DOCKET_SIMULATOR_LATENCY_MS', key: ['simulator', 'latencyMs'], kind: 'number' },
  { env: 'DOCKET_SIMULATOR_FAULTS', key: ['simulator', 'faults'], kind: 'json' },
  { env: 'DOCKET_SIMULATOR_RETIRED_MODELS', key: ['simulator', 'retiredModels'], kind: 'list' },
  {
    env: 'DOCKET_TEMPORAL_METRICS_ADDRESS',
    key: ['metrics', 'worker', 'temporalBindAddress'],
    kind: 'string',
  },
  { env: 'DOCKET_WORKER_METRICS_ADDRESS', key: ['metrics', 'worker', 'docketBindAddress'], kind: 'string' },
];

export interface LoadConfigOptions {
  /** Path of the JSON file; default `DOCKET_CONFIG` or `temporal.config.json` in the working directory. */
  file?: string;
  env?: Env;
  /**
   * Path of a JSON overlay (`npm run eval -- --config FILE`): merged over the file, key by key (a list replaces
   * the file's), before the environment. Held to the file's rules: no secrets in it.
   */
  overlay?: string;
  /** Applied after the file and the environment: how tests and launch scripts set ports. */
  overrides?: DeepPartial<DocketConfig>;
}

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? DeepPartial<T[K]> : T[K] };

/** Reads, overrides and validates the config; throws ConfigError naming the first bad key. */
export function loadConfig(options: LoadConfigOptions = {}): DocketConfig {
  const env = options.env ?? process.env;
  const file = path.resolve(options.file ?? env.DOCKET_CONFIG ?? 'temporal.config.json');
  const raw = readConfigFile(file);
  const source = new Map<string, string>();
  if (options.overlay) {
    const overlay = path.resolve(options.overlay);
    const patch = readConfigFile(overlay);
    mergeInto(raw, patch);
    for (const key of leafKeys(patch)) source.set(key, overlay);
  }
  for (const { env: name, key, kind } of ENV_OVERRIDES) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    setPath(raw, key, parseEnvValue(name, value, kind));
    source.set(key.join('.'), name);
  }
  if (options.overrides) mergeInto(raw, options.overrides);

  const parsed = DocketConfig.safeParse(raw);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, file, source));
  const config = parsed.data;
  config.api.keys = [...config.api.keys, ...parseApiKeysEnv(env.DOCKET_API_KEYS)];
  const encryptionKeys = parseEncryptionKeysEnv(env.DOCKET_ENCRYPTION_KEYS);
  if (encryptionKeys.length > 0) config.encryption.keys = encryptionKeys;
  // Each provider's key from the variable it names, and only from there (or a test's overrides).
  for (const provider of Object.values(config.providers)) {
    const key = env[provider.apiKeyEnv];
    if (key) provider.apiKey = key;
  }
  return config;
}

/** `keyId:base64key,...` → the payload codec's keys. Errors name the variable and the entry, never a key. */
export function parseEncryptionKeysEnv(value: string | undefined): DocketConfig['encryption']['keys'] {
  if (!value?.trim()) return [];
  try {
    return parseEncryptionKeys(value);
  } catch (err) {
    if (err instanceof EncryptionKeyError) throw new ConfigError(`DOCKET_ENCRYPTION_KEYS ${err.message}`);
    throw err;
  }
}

/** Hex SHA-256 of an API key, the form in which keys are kept in config. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** The roles an API key may have, as the config schema lists them. */
const API_ROLES: readonly ApiRole[] = DocketConfig.shape.api.shape.keys.element.shape.role.options;

function isApiRole(role: string | undefined): role is ApiRole {
  return (API_ROLES as readonly (string | undefined)[]).includes(role);
}

/**
 * `name:role:key[:type+type…],...` → hashed key entries; the fourth field limits a key to those workflow
 * types (REST names), none means all. Errors name the entry, never echo the key nor a field that could hold
 * part of it.
 */
export function parseApiKeysEnv(value: string | undefined): ApiKeyEntry[] {
  if (!value) return [];
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry, i) => {
      const fields = entry.split(':');
      const [name, role, key, types] = fields;
      if (fields.length > 4 || !name || !key || !isApiRole(role)) {
        throw new ConfigError(
          `DOCKET_API_KEYS entry ${i + 1} must be name:role:key[:type+type…] with role ${API_ROLES.join(', ')} ` +
            `(a key holds no ':')`,
        );
      }
      if (key.length < 16)
        throw new ConfigError(`DOCKET_API_KEYS entry ${i + 1} (${name}): key shorter than 16 characters`);
      if (types === undefined) return { name, role, sha256: hashApiKey(key) };
      const names = types.split('+');
      if (!names.every((type) => API_KEY_TYPE_PATTERN.test(type))) {
        throw new ConfigError(
          `DOCKET_API_KEYS entry ${i + 1} (${name}): the fourth field must be workflow type REST names ` +
            `joined by + (lower-case letters, digits and dashes, e.g. legal-intake+clinical-summary)`,
        );
      }
      return { name, role, sha256: hashApiKey(key), types: [...new Set(names)] };
    });
}

/** A config file's JSON object; refused when it holds a secret, which only the environment may give. */
function readConfigFile(file: string): Record<string, unknown> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new ConfigError(`cannot read config file ${file}: ${(err as Error).message}`);
  }
  if (!isObject(raw)) throw new ConfigError(`config file ${file} must hold a JSON object`);
  if (isObject(raw.encryption) && 'keys' in raw.encryption) {
    throw new ConfigError(
      `encryption.keys in ${file}: encryption keys come from DOCKET_ENCRYPTION_KEYS, never from the config file`,
    );
  }
  if (isObject(raw.temporal) && 'apiKey' in raw.temporal) {
    throw new ConfigError(
      `temporal.apiKey in ${file}: Temporal's API key comes from TEMPORAL_API_KEY, never from the config file`,
    );
  }
  if (isObject(raw.providers)) {
    for (const [name, provider] of Object.entries(raw.providers)) {
      if (isObject(provider) && 'apiKey' in provider) {
        throw new ConfigError(
          `providers.${name}.apiKey in ${file}: a provider's key comes from the environment variable its apiKeyEnv names, never from the config file`,
        );
      }
    }
  }
  return raw;
}

/** The dotted keys an overlay sets, down to its values (a list is one value). */
function leafKeys(patch: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(patch).flatMap(([k, v]) =>
    isObject(v) ? leafKeys(v, `${prefix}${k}.`) : [`${prefix}${k}`],
  );
}

function describeIssues(error: z.ZodError, file: string, source: Map<string, string>): string {
  const lines = error.issues.map((issue) => {
    const key = issue.path.join('.');
    const from = [...source.entries()].find(([k]) => key === k || key.startsWith(`${k}.`));
    return `  ${key || '(root)'}${from ? ` (from ${from[1]})` : ''}: ${issue.message}`;
  });
  return `invalid config in ${file}:\n${lines.join('\n')}`;
}

function parseEnvValue(name: string, value: string, kind: EnvKind): unknown {
  if (kind === 'string') return value;
  if (kind === 'list') {
    return value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
  }
  if (kind === 'boolean') {
    if (value !== 'true' && value !== 'false') throw new ConfigError(`${name} must be true or false`);
    return value === 'true';
  }
  if (kind === 'number') {
    const n = Number(value);
    if (!Number.isFinite(n)) throw new ConfigError(`${name} must be a number`);
    return n;
  }
  try {
    return JSON.parse(value);
  } catch {
    throw new ConfigError(`${name} must be JSON`);
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function setPath(target: Record<string, unknown>, key: string[], value: unknown): void {
  let node = target;
  for (const part of key.slice(0, -1)) {
    if (!isObject(node[part])) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[key[key.length - 1]] = value;
}

function mergeInto(target: Record<string, unknown>, patch: object): void {
  for (const [k, v] of Object.entries(patch)) {
    if (isObject(v) && isObject(target[k])) mergeInto(target[k] as Record<string, unknown>, v);
    else if (v !== undefined) target[k] = v;
  }
}
