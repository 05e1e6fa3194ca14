/**
 * `npx tsx bench/codec-cost.ts`: what Docket's payload codec costs per intake. Encrypts and decrypts, as
 * the worker and the client do, payloads of the sizes one clear intake's history carries (~23 KB of
 * payload data in ~40 payloads, measured by `npm run bench`), many times over, and prints the time per intake.
 */
import { defaultPayloadConverter } from '@temporalio/common';
import { AesGcmPayloadCodec, generateEncryptionKeyEntry, parseEncryptionKeys } from '../codec';

const PAYLOADS_PER_INTAKE = 40;
const BYTES_PER_INTAKE = 23_500;
const ROUNDS = 500;

async function main(): Promise<void> {
  const codec = new AesGcmPayloadCodec(parseEncryptionKeys(generateEncryptionKeyEntry('bench')));
  const text = 'x'.repeat(Math.round(BYTES_PER_INTAKE / PAYLOADS_PER_INTAKE));
  const payloads = Array.from({ length: PAYLOADS_PER_INTAKE }, () =>
    defaultPayloadConverter.toPayload({ text }),
  );
  for (let i = 0; i < 50; i++) await codec.decode(await codec.encode(payloads));
  const t0 = performance.now();
  for (let i = 0; i < ROUNDS; i++) await codec.decode(await codec.encode(payloads));
  const perIntakeMs = (performance.now() - t0) / ROUNDS;
  process.stdout.write(
    `codec: ${PAYLOADS_PER_INTAKE} payloads, ${BYTES_PER_INTAKE} bytes encrypted and decrypted once each: ${perIntakeMs.toFixed(2)} ms per intake\n`,
  );
}

void main();
