import { pseudonymize, type PseudonymizeContext } from '../../pseudonymize';

/** The pseudonymized text alone. */
export function clean(text: string, context: PseudonymizeContext = {}): string {
  return pseudonymize(text, context).text;
}

/** The values replaced under tokens of one category, in text order. */
export function replaced(text: string, category: string, context: PseudonymizeContext = {}): string[] {
  const result = pseudonymize(text, context);
  return result.replacements
    .filter((replacement) => replacement.category === category)
    .map((replacement) => text.slice(replacement.start, replacement.end));
}
