import { KeySet, MIN_SEALED_BYTES, gcmOpen, gcmSeal } from './gcm';
import type { EncryptionKey } from './keys';

const PREFIX = 'sealed.v1';

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
  private readonly keys: KeySet;

  constructor(keys: readonly EncryptionKey[]) {
    this.keys = new KeySet(keys);
  }

  seal(plain: string, context: string): string {
    const { id } = this.keys.primary;
    const sealed = gcmSeal(this.keys.primary, Buffer.from(plain, 'utf8'), additionalData(id, context));
    return `${PREFIX}.${id}.${sealed.toString('base64')}`;
  }

  open(sealed: string, context: string): string {
    const [prefix1, prefix2, id, body, extra] = sealed.split('.');
    if (`${prefix1}.${prefix2}` !== PREFIX || !id || !body || extra !== undefined) {
      throw new UnsealError(`a sealed value for ${context} is not in the sealed.v1 form`);
    }
    const entry = this.keys.get(id);
    if (!entry) {
      throw new UnsealError(
        `a value for ${context} is sealed with key id '${id}', which is not among the configured keys`,
      );
    }
    const data = Buffer.from(body, 'base64');
    if (data.length < MIN_SEALED_BYTES) throw new UnsealError(`a sealed value for ${context} is too short`);
    const plain = gcmOpen(entry, data, additionalData(id, context));
    if (!plain) {
      throw new UnsealError(
        `a sealed value for ${context} does not authenticate under key id '${id}': altered, moved from another row, or sealed with another key of that id`,
      );
    }
    return plain.toString('utf8');
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
