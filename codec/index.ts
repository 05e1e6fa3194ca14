/** What Temporal stores, encrypted: the payload codec, its key set and the data converter both sides use. */
export {
  AesGcmPayloadCodec,
  ENCRYPTED_ENCODING,
  KEY_ID_METADATA,
  PayloadDecryptionError,
  type DecryptionFailure,
} from './aes-gcm-codec';
export { docketDataConverter, FAILURE_CONVERTER_PATH } from './data-converter';
export {
  EncryptionKeyError,
  generateEncryptionKeyEntry,
  KEY_BYTES,
  parseEncryptionKeys,
  type EncryptionKey,
} from './keys';
export { Sealer, UnsealError } from './sealing';
/** A Temporal payload, what the codec encodes and decodes (the codec endpoint takes them as proto JSON). */
export type { Payload } from '@temporalio/common';
