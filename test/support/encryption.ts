/**
 * The key set test stacks encrypt with. Fixed, and published here, so that histories recorded by
 * `test/fixtures/record-histories.ts` stay decodable by the replay test; it protects nothing real.
 */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import { AesGcmPayloadCodec, Sealer, docketDataConverter, parseEncryptionKeys } from '../../codec';
import type { Database } from '../../db';
import { PersonalDataStore, TranscriptStore } from '../../personal-data';

export const TEST_ENCRYPTION_KEYS = 'test-1:Y1r1hwT0vgSvx8LsYsBuLn6Wh8pTM+wAKOmijHAq5mM=';

/** The data converter of the test stacks, for clients and workers a test builds itself. */
export function testDataConverter() {
  return docketDataConverter(parseEncryptionKeys(TEST_ENCRYPTION_KEYS));
}

/** The sealed personal-data store over `db`, with the test key set (what the worker and the API build). */
export function testPersonalDataStore(db: Database): PersonalDataStore {
  return new PersonalDataStore(db, new Sealer(parseEncryptionKeys(TEST_ENCRYPTION_KEYS)));
}

/** The agents' transcripts over `db`, sealed with the fixed test key set. */
export function testTranscriptStore(db: Database): TranscriptStore {
  return new TranscriptStore(db, new Sealer(parseEncryptionKeys(TEST_ENCRYPTION_KEYS)));
}

/**
 * A run's history as an engineer with the key reads it: every payload decrypted by the codec and shown
 * as text, the rest as JSON. What must not be in history must not be in this text. (The ciphertext itself
 * is left out: its base64 may spell a name by chance.)
 */
export async function decodedHistoryText(client: Client, workflowId: string): Promise<string> {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const codec = new AesGcmPayloadCodec(parseEncryptionKeys(TEST_ENCRYPTION_KEYS));
  const decoded: string[] = [];
  const visit = async (node: unknown): Promise<unknown> => {
    if (Array.isArray(node)) return Promise.all(node.map(visit));
    if (!node || typeof node !== 'object') return node;
    const record = node as Record<string, unknown>;
    if (record.metadata && typeof record.metadata === 'object' && record.data instanceof Uint8Array) {
      const [plain] = await codec.decode([record as Payload]);
      decoded.push(Buffer.from(plain.data ?? new Uint8Array()).toString('utf8'));
      return `[payload ${decoded.length}]`;
    }
    const entries = await Promise.all(
      Object.entries(record).map(async ([key, value]) => [key, await visit(value)] as const),
    );
    return Object.fromEntries(entries);
  };
  const structure = JSON.stringify(await visit(history), (_key, value: unknown) =>
    value instanceof Uint8Array ? Buffer.from(value).toString('base64') : value,
  );
  return [structure, ...decoded].join('\n');
}
