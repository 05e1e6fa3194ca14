/**
 * Client data by design: the sealed store of raw intakes, pseudonym mappings and case fields, and the
 * views that turn tokens back into values for the people entitled to see them.
 */
export { PersonalDataStore, type ErasureResult } from './store';
export {
  mapStrings,
  pseudonymizeValue,
  pseudonymizeValueWith,
  reidentifyValue,
  type JsonSchemaLike,
} from './views';
export { TranscriptStore, TranscriptMissingError, type TranscriptKey } from './transcripts';
