/**
 * Pseudonymization of intake text: identifiers become stable tokens before any model sees the text, and
 * come back only where a real identity is needed. Pure: no I/O, no clock, no logging.
 */
export {
  PII_CATEGORIES,
  formatToken,
  isPiiCategory,
  parseToken,
  tokenPattern,
  type PiiCategory,
} from './categories';
export { PseudonymMapping, emptyMapping } from './mapping';
export {
  pseudonymize,
  pseudonymizeTexts,
  type PseudonymizeContext,
  type PseudonymizeResult,
  type Replacement,
} from './pseudonymize';
export { reidentify } from './reidentify';
export { findLeaks } from './leaks';
export { ExtraPattern, InvalidPatternError, PseudonymizeSettings } from './settings';
export { senderSignatureNames, type DirectoryEntry } from './names';
export { findEventDates } from './detect/dates';
export {
  LabeledIntake,
  formatMeasurement,
  measureRecall,
  type CategoryScore,
  type Measurement,
} from './measure';
export { tokenizeName, tokenizeValue } from './tokenize';
