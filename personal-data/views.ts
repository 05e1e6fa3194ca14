import {
  pseudonymizeTexts,
  reidentify,
  tokenizeValue,
  type PiiCategory,
  type PseudonymMapping,
  type PseudonymizeContext,
} from '../pseudonymize';

/** `value` with `change` applied to every string in it, at any depth (keys stay as they are). */
export function mapStrings<T>(value: T, change: (text: string) => string): T {
  return walkText(value, undefined, change);
}

/** What a reviewer reads: every token put back to its value. */
export function reidentifyValue<T>(value: T, mapping: PseudonymMapping): T {
  return mapStrings(value, (text) => reidentify(text, mapping));
}

/** A JSON Schema, as far as `pseudonymizeValue` reads one. */
export interface JsonSchemaLike {
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  type?: string | string[];
  properties?: Record<string, JsonSchemaLike>;
  items?: JsonSchemaLike;
  anyOf?: JsonSchemaLike[];
  oneOf?: JsonSchemaLike[];
  /**
   * The whole string is one identifier of this category (zod `.meta({ pii: 'ID' })`), e.g. a medical record
   * number sent on its own, which no detector would recognise without its label: it becomes one token.
   */
  pii?: PiiCategory;
}

/**
 * Every string of `value` pseudonymized under the workflow's mapping (extended with anything new), so what
 * a reviewer typed (corrections, a comment) enters the workflow as tokens, like the intake did. With
 * `schema`, strings it pins down (an enum, a constant, a date format or pattern: "US-CA", "employment")
 * are values, not text, and stay as they are.
 */
export function pseudonymizeValue<T>(
  value: T,
  context: PseudonymizeContext & { mapping: PseudonymMapping },
  schema?: JsonSchemaLike,
): { value: T; mapping: PseudonymMapping } {
  const marked = tokenizeIdentifiers(value, schema, context.mapping);
  const { texts, mapping } = pseudonymizeTexts(freeTexts(marked.value, schema), {
    ...context,
    mapping: marked.mapping,
  });
  return { value: withTexts(marked.value, schema, texts), mapping };
}

/**
 * `pseudonymizeValue` with the texts pseudonymized by `pseudonymize` (the worker runs it on the
 * pseudonymizer's thread, so a long body does not hold up the activities' event loop).
 */
export async function pseudonymizeValueWith<T>(
  value: T,
  context: PseudonymizeContext & { mapping: PseudonymMapping },
  schema: JsonSchemaLike | undefined,
  pseudonymize: (
    texts: readonly string[],
    context: PseudonymizeContext & { mapping: PseudonymMapping },
  ) => Promise<{ texts: string[]; mapping: PseudonymMapping }>,
): Promise<{ value: T; mapping: PseudonymMapping }> {
  const marked = tokenizeIdentifiers(value, schema, context.mapping);
  const { texts, mapping } = await pseudonymize(freeTexts(marked.value, schema), {
    ...context,
    mapping: marked.mapping,
  });
  return { value: withTexts(marked.value, schema, texts), mapping };
}

/** `value` with each string its schema marks as one identifier (`pii`) replaced by its token. */
function tokenizeIdentifiers<T>(
  value: T,
  schema: JsonSchemaLike | undefined,
  mapping: PseudonymMapping,
): { value: T; mapping: PseudonymMapping } {
  let current = mapping;
  const next = walkText(
    value,
    schema,
    (text) => text,
    (text, category) => {
      const { token, mapping: extended } = tokenizeValue(current, category, text);
      current = extended;
      return token;
    },
  );
  return { value: next, mapping: current };
}

/** The free-text strings of `value`, in the order `withTexts` puts them back. */
function freeTexts(value: unknown, schema: JsonSchemaLike | undefined): string[] {
  const texts: string[] = [];
  walkText(value, schema, (text) => (texts.push(text), text));
  return texts;
}

/** `value` with its free-text strings replaced by `texts`, in `freeTexts`' order. */
function withTexts<T>(value: T, schema: JsonSchemaLike | undefined, texts: readonly string[]): T {
  let next = 0;
  return walkText(value, schema, () => texts[next++]);
}

/**
 * `change` applied to the free-text strings of `value`: all of them, or those `schema` does not pin down.
 * A string the schema marks as one identifier goes to `identifier` instead (left as it is by default: by
 * then it is a token).
 */
function walkText<T>(
  value: T,
  schema: JsonSchemaLike | undefined,
  change: (text: string) => string,
  identifier: (text: string, category: PiiCategory) => string = (text) => text,
): T {
  const node = schema && branchFor(schema, value);
  if (typeof value === 'string') {
    if (node?.pii) return identifier(value, node.pii) as T;
    const pinned = node && (node.enum || node.const !== undefined || node.format || node.pattern);
    return (pinned ? value : change(value)) as T;
  }
  if (Array.isArray(value))
    return value.map((item: unknown) => walkText(item, node?.items, change, identifier)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        key,
        walkText(item, node?.properties?.[key], change, identifier),
      ]),
    ) as T;
  }
  return value;
}

/** The branch of a union that describes `value` (by JSON type), or the schema itself. */
function branchFor(schema: JsonSchemaLike, value: unknown): JsonSchemaLike {
  const branches = schema.anyOf ?? schema.oneOf;
  if (!branches) return schema;
  const type = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  const matches = (b: JsonSchemaLike) =>
    b.type === type ||
    (Array.isArray(b.type) && b.type.includes(type)) ||
    (type === 'number' && b.type === 'integer') ||
    (b.type === undefined && (b.enum !== undefined || b.const !== undefined));
  return branches.find(matches) ?? schema;
}
