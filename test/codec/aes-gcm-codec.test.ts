import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  EncryptionKeyError,
  generateEncryptionKeyEntry,
  KEY_ID_METADATA,
  parseEncryptionKeys,
  PayloadDecryptionError,
} from '../../codec';

const k1 = generateEncryptionKeyEntry('k1');
const k2 = generateEncryptionKeyEntry('k2');
const intake = { from: 'Jordan Reyes <jordan.reyes@example.com>', body: 'call me on (310) 555-0142' };

function codecOf(text: string): AesGcmPayloadCodec {
  return new AesGcmPayloadCodec(parseEncryptionKeys(text));
}

function payloadOf(value: unknown): Payload {
  return defaultPayloadConverter.toPayload(value);
}

function text(bytes: Uint8Array | null | undefined): string {
  return Buffer.from(bytes ?? []).toString('utf8');
}

async function decryptionError(promise: Promise<unknown>): Promise<PayloadDecryptionError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof PayloadDecryptionError) return err;
    throw err;
  }
  throw new Error('expected a PayloadDecryptionError');
}

describe('the AES-256-GCM payload codec', () => {
  it('encrypts every payload under the first key, marked binary/encrypted, and decrypts it back whole', async () => {
    const codec = codecOf(k1);
    const original = payloadOf(intake);
    const [sealed] = await codec.encode([original]);

    expect(text(sealed.metadata!.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(sealed.metadata![KEY_ID_METADATA])).toBe('k1');
    // Nothing of the value or its original metadata is readable in what Temporal stores.
    const stored = Buffer.from(sealed.data!);
    for (const clear of ['Jordan', 'jordan.reyes@example.com', '555-0142', 'json/plain']) {
      expect(stored.includes(Buffer.from(clear))).toBe(false);
    }

    const [opened] = await codec.decode([sealed]);
    expect(text(opened.metadata!.encoding)).toBe('json/plain');
    expect(defaultPayloadConverter.fromPayload(opened)).toEqual(intake);
  });

  it('uses a fresh IV for each payload, so equal values do not look equal', async () => {
    const codec = codecOf(k1);
    const [a, b] = await codec.encode([payloadOf(intake), payloadOf(intake)]);
    expect(Buffer.from(a.data!).equals(Buffer.from(b.data!))).toBe(false);
    expect(Buffer.from(a.data!).subarray(0, 12).equals(Buffer.from(b.data!).subarray(0, 12))).toBe(false);
  });

  it('rotates: k2 encrypts new payloads, payloads sealed under k1 still decrypt with k2,k1', async () => {
    const [old] = await codecOf(k1).encode([payloadOf('sealed under k1')]);
    const rotated = codecOf(`${k2},${k1}`);
    const [fresh] = await rotated.encode([payloadOf('sealed under k2')]);

    expect(text(fresh.metadata![KEY_ID_METADATA])).toBe('k2');
    const [a, b] = await rotated.decode([old, fresh]);
    expect(defaultPayloadConverter.fromPayload(a)).toBe('sealed under k1');
    expect(defaultPayloadConverter.fromPayload(b)).toBe('sealed under k2');
  });

  it('refuses a payload whose ciphertext was altered', async () => {
    const codec = codecOf(k1);
    const [sealed] = await codec.encode([payloadOf(intake)]);
    const data = Buffer.from(sealed.data!);
    data[20] ^= 0x01;
    const err = await decryptionError(codec.decode([{ ...sealed, data }]));
    expect(err.reason).toBe('tampered');
    expect(err.message).toMatch(/does not authenticate under key id 'k1'/);
  });

  it('refuses a payload relabelled with another known key id', async () => {
    const [sealed] = await codecOf(`${k1},${k2}`).encode([payloadOf(intake)]);
    const relabelled = { ...sealed, metadata: { ...sealed.metadata, [KEY_ID_METADATA]: Buffer.from('k2') } };
    expect((await decryptionError(codecOf(`${k1},${k2}`).decode([relabelled]))).reason).toBe('tampered');
  });

  it('names an unknown key id, and the ids it does know, never a key', async () => {
    const [sealed] = await codecOf(k1).encode([payloadOf(intake)]);
    const err = await decryptionError(codecOf(k2).decode([sealed]));
    expect(err.reason).toBe('unknown_key');
    expect(err.keyId).toBe('k1');
    expect(err.message).toMatch(/key id 'k1'.*not among the configured keys \(k2\)/);
    expect(err.message).not.toContain(k2.split(':')[1]);
  });

  it('lets payloads that are not encrypted through unchanged', async () => {
    const plain = payloadOf({ reviewId: 'classify-1', decision: 'approve' });
    const [passed] = await codecOf(k1).decode([plain]);
    expect(passed).toBe(plain);
  });

  it('needs at least one key', () => {
    expect(() => new AesGcmPayloadCodec([])).toThrow(EncryptionKeyError);
  });
});

describe('parseEncryptionKeys', () => {
  it('reads keyId:base64key entries in order', () => {
    const keys = parseEncryptionKeys(` ${k2} , ${k1} `);
    expect(keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keys[0].key.symmetricKeySize).toBe(32);
  });

  it.each([
    ['an entry without a key', 'k1', /entry 1 must be keyId:base64key/],
    ['a repeated key id', `${k1},k1:${k2.split(':')[1]}`, /entry 2: key id k1 appears twice/],
    ['a short key', 'k1:c2hvcnQ=', /entry 1 \(k1\): the key must be 32 bytes, base64-encoded/],
    ['a key that is not base64', `k1:${'!'.repeat(43)}=`, /entry 1 \(k1\): the key must be 32 bytes/],
    ['a key id with a space', `bad id:${k1.split(':')[1]}`, /entry 1: the key id must be/],
  ])('refuses %s without echoing the key', (_label, value, message) => {
    let caught: unknown;
    try {
      parseEncryptionKeys(value);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(EncryptionKeyError);
    expect((caught as Error).message).toMatch(message);
    for (const secret of value
      .split(',')
      .map((entry) => entry.split(':')[1])
      .filter(Boolean)) {
      expect((caught as Error).message).not.toContain(secret);
    }
  });
});
