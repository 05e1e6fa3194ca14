import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';

/** One AES-256 key and the id written next to every payload it encrypts. */
export interface EncryptionKey {
  id: string;
  /** A secret KeyObject: printing or serialising it shows no key material. */
  key: KeyObject;
}

/** A key set that cannot be used; the message names the entry and key id, never the key. */
export class EncryptionKeyError extends Error {
  override readonly name = 'EncryptionKeyError';
}

const KEY_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** 32 bytes in base64 (standard or URL-safe alphabet): 43 characters and an optional `=`. */
const BASE64_32_BYTES = /^(?:[A-Za-z0-9+/]{43}|[A-Za-z0-9_-]{43})=?$/;
export const KEY_BYTES = 32;

/**
 * `keyId:base64key,...` (the form of DOCKET_ENCRYPTION_KEYS) → keys, in order: the first encrypts, all
 * decrypt. Each key must be 32 random bytes in base64; ids are unique.
 */
export function parseEncryptionKeys(text: string): EncryptionKey[] {
  const entries = text
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const seen = new Set<string>();
  return entries.map((entry, i) => {
    const at = entry.indexOf(':');
    const id = at < 0 ? '' : entry.slice(0, at).trim();
    const encoded = at < 0 ? '' : entry.slice(at + 1).trim();
    if (!id || !encoded) throw new EncryptionKeyError(`entry ${i + 1} must be keyId:base64key`);
    if (!KEY_ID.test(id)) {
      throw new EncryptionKeyError(
        `entry ${i + 1}: the key id must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
      );
    }
    if (seen.has(id)) throw new EncryptionKeyError(`entry ${i + 1}: key id ${id} appears twice`);
    seen.add(id);
    const bytes = BASE64_32_BYTES.test(encoded) ? Buffer.from(encoded, 'base64') : null;
    if (!bytes || bytes.length !== KEY_BYTES) {
      throw new EncryptionKeyError(
        `entry ${i + 1} (${id}): the key must be ${KEY_BYTES} bytes, base64-encoded (e.g. openssl rand -base64 32)`,
      );
    }
    return { id, key: createSecretKey(bytes) };
  });
}

/** A new random key as a `keyId:base64key` entry, the form `parseEncryptionKeys` reads. */
export function generateEncryptionKeyEntry(id: string): string {
  if (!KEY_ID.test(id)) throw new EncryptionKeyError(`not a valid key id: ${id}`);
  return `${id}:${randomBytes(KEY_BYTES).toString('base64')}`;
}
