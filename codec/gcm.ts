import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyError, type EncryptionKey } from './keys';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** The shortest sealed bytes: an IV and a tag around nothing. */
export const MIN_SEALED_BYTES = IV_BYTES + TAG_BYTES;

/**
 * A key set as every user of it reads it: the first key seals, any key opens by its id. Refuses to exist
 * empty, naming the variable to set, so nothing is ever stored in clear for want of a key.
 */
export class KeySet {
  readonly primary: EncryptionKey;
  private readonly byId: ReadonlyMap<string, EncryptionKey>;

  constructor(keys: readonly EncryptionKey[]) {
    if (keys.length === 0) {
      throw new EncryptionKeyError(
        'no encryption key: set DOCKET_ENCRYPTION_KEYS=keyId:base64key (npm start creates a development key)',
      );
    }
    this.primary = keys[0];
    this.byId = new Map(keys.map((k) => [k.id, k]));
  }

  get(id: string): EncryptionKey | undefined {
    return this.byId.get(id);
  }

  get ids(): string[] {
    return [...this.byId.keys()];
  }
}

/** AES-256-GCM with a fresh 12-byte IV: IV ‖ ciphertext ‖ 16-byte tag, `aad` authenticated alongside. */
export function gcmSeal(key: EncryptionKey, plain: Uint8Array, aad: Buffer): Buffer {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv(CIPHER, key.key, iv, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  return Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
}

/** What gcmSeal sealed; null when it does not authenticate (altered, other key, other `aad`). */
export function gcmOpen(key: EncryptionKey, sealed: Buffer, aad: Buffer): Buffer | null {
  const decipher = createDecipheriv(CIPHER, key.key, sealed.subarray(0, IV_BYTES), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(aad);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    return null;
  }
}
