import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { EncryptionKeyError, type EncryptionKey } from './keys';

const PREFIX = 'sealed.v1';
const IV_BYTES = 12;
const TAG_BYTES = 16;
const CIPHER = 'aes-256-gcm';

/** A sealed value that cannot be opened; the message names the key id and the context, never content. */
export class UnsealError extends Error {
  override readonly name = 'UnsealError';
}

/**
 * Application-level AES-256-GCM for what Docket keeps in its own database (raw intakes, pseudonym
 * mappings, the personal fields of a filed case), with the payload codec's key set: the first key seals,
 * every key opens, so keys rotate the same way. Sealed form: `sealed.v1.<keyId>.<base64(IV ‖ ciphertext ‖
 * tag)>`. The key id and a context (`intake:<workflowId>`, say) are the cipher's additional authenticated
 * data, so a sealed value moved to another row or relabelled with another key id does not open.
 */
export class Sealer {
  private readonly primary: EncryptionKey;
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

  seal(plain: string, context: string): string {
    const { id, key } = this.primary;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(CIPHER, key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(id, context));
    const sealed = Buffer.concat([iv, cipher.update(plain, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${PREFIX}.${id}.${sealed.toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [prefix1, prefix2, id, body, extra] = sealed.split('.');
    if (`${prefix1}.${prefix2}` !== PREFIX || !id || !body || extra !== undefined) {
      throw new UnsealError(`a sealed value for ${context} is not in the sealed.v1 form`);
    }
    const entry = this.byId.get(id);
    if (!entry) {
      throw new UnsealError(
        `a value for ${context} is sealed with key id '${id}', which is not among the configured keys`,
      );
    }
    const data = Buffer.from(body, 'base64');
    if (data.length < IV_BYTES + TAG_BYTES)
      throw new UnsealError(`a sealed value for ${context} is too short`);
    const decipher = createDecipheriv(CIPHER, entry.key, data.subarray(0, IV_BYTES), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(additionalData(id, context));
    decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
    try {
      return Buffer.concat([
        decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new UnsealError(
        `a sealed value for ${context} does not authenticate under key id '${id}': altered, moved from another row, or sealed with another key of that id`,
      );
    }
  }

  sealJson(value: unknown, context: string): string {
    return this.seal(JSON.stringify(value), context);
  }

  openJson<T = unknown>(sealed: string, context: string): T {
    return JSON.parse(this.open(sealed, context)) as T;
  }
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${keyId}\n${context}`, 'utf8');
}
