import { tokenPattern } from './categories';
import type { PseudonymMapping } from './mapping';

/** Puts the values back in place of their tokens; a token the mapping does not know stays as it is. */
export function reidentify(text: string, mapping: PseudonymMapping): string {
  return text.replace(tokenPattern(), (token) => mapping.tokens[token] ?? token);
}
