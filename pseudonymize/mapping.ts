import { z } from 'zod';
import { formatToken, parseToken, type PiiCategory } from './categories';
import { fold } from './text';

/**
 * What a workflow's pseudonymization knows, JSON-serialisable so it can be stored (encrypted) and passed
 * back in to extend: the texts of one intake share one mapping, so a value gets one token everywhere.
 * - `tokens`: token → the value as first written (what `reidentify` puts back);
 * - `keys`: `<CATEGORY>:<normalised value>` → token (the inverse lookup: "Acme Freight Inc." and
 *   "ACME FREIGHT" share a key, as do "(213) 555-0187" and "213.555.0187");
 * - `forms`: token → every written form replaced under it ("Maria Lopez", "Lopez"), for `findLeaks`.
 */
export const PseudonymMapping = z.object({
  tokens: z.record(z.string(), z.string()),
  keys: z.record(z.string(), z.string()),
  forms: z.record(z.string(), z.array(z.string())),
});
export type PseudonymMapping = z.infer<typeof PseudonymMapping>;

export function emptyMapping(): PseudonymMapping {
  return { tokens: {}, keys: {}, forms: {} };
}

export function mappingKey(category: PiiCategory, normalised: string): string {
  return `${category}:${normalised}`;
}

/** A working copy of a mapping that hands out tokens; the caller's mapping is never changed. */
export class MappingBuilder {
  private readonly tokens: Record<string, string>;
  private readonly keys: Record<string, string>;
  private readonly forms: Record<string, string[]>;
  private readonly next = new Map<PiiCategory, number>();

  constructor(base: PseudonymMapping = emptyMapping()) {
    this.tokens = { ...base.tokens };
    this.keys = { ...base.keys };
    this.forms = Object.fromEntries(Object.entries(base.forms).map(([token, list]) => [token, [...list]]));
    for (const token of Object.keys(this.tokens)) {
      const parsed = parseToken(token);
      if (parsed)
        this.next.set(parsed.category, Math.max(this.next.get(parsed.category) ?? 1, parsed.index + 1));
    }
  }

  /** The token already given to this key, if any. */
  lookup(category: PiiCategory, normalised: string): string | undefined {
    return this.keys[mappingKey(category, normalised)];
  }

  /** The token for a value: the existing one for its key, or a new one. Records the written form. */
  tokenFor(category: PiiCategory, normalised: string, value: string, written = value): string {
    const key = mappingKey(category, normalised);
    let token = this.keys[key];
    if (!token) {
      const index = this.next.get(category) ?? 1;
      this.next.set(category, index + 1);
      token = formatToken(category, index);
      this.keys[key] = token;
      this.tokens[token] = value.trim();
    }
    this.addForm(token, written);
    return token;
  }

  /** Files another key (a variant of a name) under an existing token. */
  alias(token: string, category: PiiCategory, normalised: string, written: string): void {
    const key = mappingKey(category, normalised);
    if (!this.keys[key]) this.keys[key] = token;
    this.addForm(token, written);
  }

  private addForm(token: string, written: string): void {
    const form = written.trim();
    const list = (this.forms[token] ??= []);
    if (form && !list.some((known) => fold(known) === fold(form))) list.push(form);
  }

  build(): PseudonymMapping {
    return { tokens: { ...this.tokens }, keys: { ...this.keys }, forms: { ...this.forms } };
  }
}
