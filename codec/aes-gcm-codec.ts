import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeySet, MIN_SEALED_BYTES, gcmOpen, gcmSeal } from './gcm';
import type { EncryptionKey } from './keys';

/** The `encoding` of a payload this codec encrypted. */
export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** Metadata key naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

/** Why a payload marked encrypted could not be decrypted. */
export type DecryptionFailure = 'unknown_key' | 'missing_key_id' | 'malformed' | 'tampered';

/** A payload marked encrypted that this key set cannot decrypt; the message names the key id, never a key. */
export class PayloadDecryptionError extends Error {
  override readonly name = 'PayloadDecryptionError';
  constructor(
    readonly reason: DecryptionFailure,
    message: string,
    readonly keyId?: string,
  ) {
    super(message);
  }
}

/**
 * AES-256-GCM over whole payloads (metadata and data, serialised as the Payload protobuf). Encode encrypts
 * every payload with the first key, a fresh 12-byte IV each time, and writes the key id in the metadata;
 * decode decrypts with whichever known key the metadata names, and lets payloads that are not encrypted
 * through unchanged (an operator's plain `temporal workflow signal --input`).
 *
 * Stored form: `data` = IV ‖ ciphertext ‖ 16-byte tag; the key id is also the cipher's additional
 * authenticated data, so relabelling a payload with another key id fails like any other tampering.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly keys: KeySet;

  constructor(keys: readonly EncryptionKey[]) {
    this.keys = new KeySet(keys);
  }

  /** The id new payloads are encrypted under. */
  get encryptingKeyId(): string {
    return this.keys.primary.id;
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.encrypt(payload));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => this.decrypt(payload));
  }

  private encrypt(payload: Payload): Payload {
    const { id } = this.keys.primary;
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const sealed = gcmSeal(this.keys.primary, plain, Buffer.from(id, 'utf8'));
    return {
      metadata: {
        [METADATA_ENCODING_KEY]: Buffer.from(ENCRYPTED_ENCODING, 'utf8'),
        [KEY_ID_METADATA]: Buffer.from(id, 'utf8'),
      },
      data: sealed,
    };
  }

  private decrypt(payload: Payload): Payload {
    const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
    if (!encoding || Buffer.from(encoding).toString('utf8') !== ENCRYPTED_ENCODING) return payload;

    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    if (!idBytes || idBytes.length === 0) {
      throw new PayloadDecryptionError(
        'missing_key_id',
        `an encrypted payload carries no ${KEY_ID_METADATA}`,
      );
    }
    const id = Buffer.from(idBytes).toString('utf8');
    const entry = this.keys.get(id);
    if (!entry) {
      throw new PayloadDecryptionError(
        'unknown_key',
        `a payload is encrypted with key id '${id}', which is not among the configured keys (${this.keys.ids.join(', ')})`,
        id,
      );
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < MIN_SEALED_BYTES) {
      throw new PayloadDecryptionError('malformed', `an encrypted payload (key id '${id}') is too short`, id);
    }
    const plain = gcmOpen(entry, data, Buffer.from(id, 'utf8'));
    if (!plain) {
      // GCM's only answer is "does not authenticate": the bytes, the key id or the key are not the ones sealed.
      throw new PayloadDecryptionError(
        'tampered',
        `an encrypted payload does not authenticate under key id '${id}': it was altered, or sealed with another key of that id`,
        id,
      );
    }
    try {
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadDecryptionError(
        'malformed',
        `a decrypted payload (key id '${id}') is not a Payload`,
        id,
      );
    }
  }
}
