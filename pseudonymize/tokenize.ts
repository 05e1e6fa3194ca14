import type { PiiCategory } from './categories';
import { MappingBuilder, type PseudonymMapping } from './mapping';
import { looksLikeOrganization } from './names/classify';
import { normaliseValue } from './normalise';

/**
 * The token for one known value (a directory row's name or e-mail that a tool returns): the mapping's
 * token when the value already has one (a name under PERSON or ORG alike, since a directory may file a
 * sole trader either way), otherwise a new one. Returns the mapping extended; the one given is not changed.
 */
export function tokenizeValue(
  mapping: PseudonymMapping,
  category: PiiCategory,
  value: string,
): { token: string; mapping: PseudonymMapping } {
  const builder = new MappingBuilder(mapping);
  const names: PiiCategory[] = category === 'PERSON' || category === 'ORG' ? ['PERSON', 'ORG'] : [category];
  for (const each of names) {
    const token = builder.lookup(each, normaliseValue(each, value));
    if (token) return { token, mapping };
  }
  const token = builder.tokenFor(category, normaliseValue(category, value), value);
  return { token, mapping: builder.build() };
}

/** tokenizeValue for a name whose kind nobody recorded (an adverse party): an organisation by its words. */
export function tokenizeName(
  mapping: PseudonymMapping,
  value: string,
): { token: string; mapping: PseudonymMapping } {
  return tokenizeValue(mapping, looksLikeOrganization(value) ? 'ORG' : 'PERSON', value);
}
