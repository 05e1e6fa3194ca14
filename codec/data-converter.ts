import type { DataConverter } from '@temporalio/common';
import { AesGcmPayloadCodec } from './aes-gcm-codec';
import type { EncryptionKey } from './keys';

/** Module path of the failure converter; the workflow bundle must be built with it (`bundleWorkflowCode`). */
export const FAILURE_CONVERTER_PATH = require.resolve('./failure-converter');

/**
 * The data converter that the worker and every Temporal client use: payloads encrypted with the key set
 * (the first key encrypts, all decrypt), failure messages and stack traces encoded and so encrypted too.
 * Throws EncryptionKeyError when there is no key.
 */
export function docketDataConverter(keys: readonly EncryptionKey[]): DataConverter {
  return {
    payloadCodecs: [new AesGcmPayloadCodec(keys)],
    failureConverterPath: FAILURE_CONVERTER_PATH,
  };
}
