/**
 * The key set test stacks encrypt with. Fixed, and published here, so that histories recorded by
 * `test/fixtures/record-histories.ts` stay decodable by the replay test; it protects nothing real.
 */
import { docketDataConverter, parseEncryptionKeys } from '../../codec';

export const TEST_ENCRYPTION_KEYS = 'test-1:Y1r1hwT0vgSvx8LsYsBuLn6Wh8pTM+wAKOmijHAq5mM=';

/** The data converter of the test stacks, for clients and workers a test builds itself. */
export function testDataConverter() {
  return docketDataConverter(parseEncryptionKeys(TEST_ENCRYPTION_KEYS));
}
