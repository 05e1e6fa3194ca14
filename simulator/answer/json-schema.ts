import { z } from 'zod';

/**
 * The part of JSON Schema (draft-07, as openai's zod helpers emit it) that the simulator reads.
 * Loose: keywords it does not know pass through untouched.
 */
export const JsonSchema = z.looseObject({
  type: z.union([z.string(), z.array(z.string())]).optional(),
  get properties() {
    return z.record(z.string(), JsonSchema).optional();
  },
  required: z.array(z.string()).optional(),
  get items() {
    return JsonSchema.optional();
  },
  get anyOf() {
    return z.array(JsonSchema).optional();
  },
  get oneOf() {
    return z.array(JsonSchema).optional();
  },
  get allOf() {
    return z.array(JsonSchema).optional();
  },
  get definitions() {
    return z.record(z.string(), JsonSchema).optional();
  },
  get $defs() {
    return z.record(z.string(), JsonSchema).optional();
  },
  $ref: z.string().optional(),
  enum: z.array(z.unknown()).optional(),
  const: z.unknown().optional(),
  minimum: z.number().optional(),
  maximum: z.number().optional(),
  exclusiveMinimum: z.number().optional(),
  exclusiveMaximum: z.number().optional(),
  multipleOf: z.number().positive().optional(),
  minLength: z.number().int().nonnegative().optional(),
  maxLength: z.number().int().nonnegative().optional(),
  pattern: z.string().optional(),
  format: z.string().optional(),
  minItems: z.number().int().nonnegative().optional(),
  maxItems: z.number().int().nonnegative().optional(),
  description: z.string().optional(),
});
export type JsonSchema = z.infer<typeof JsonSchema>;

/** Follows a local `$ref` (`#`, `#/definitions/…`, `#/$defs/…`); anything else resolves to itself. */
export function resolveRef(schema: JsonSchema, root: JsonSchema): JsonSchema {
  let current = schema;
  for (let hops = 0; current.$ref !== undefined && hops < 32; hops++) {
    const ref = current.$ref;
    if (ref === '#') {
      current = root;
      continue;
    }
    if (!ref.startsWith('#/')) return current;
    let node: unknown = root;
    for (const part of ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[key] : undefined;
    }
    if (typeof node !== 'object' || node === null) return current;
    current = node as JsonSchema;
  }
  return current;
}

/** The alternatives a value may take: anyOf/oneOf branches, or one branch per entry of a `type` array. */
export function branchesOf(schema: JsonSchema, root: JsonSchema): JsonSchema[] {
  const s = resolveRef(schema, root);
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.flatMap((branch) => branchesOf(branch, root));
  if (Array.isArray(s.type)) return s.type.map((type) => ({ ...s, type }));
  return [s];
}

export function isNullBranch(schema: JsonSchema): boolean {
  return schema.type === 'null' || (schema.enum !== undefined && schema.enum.every((v) => v === null));
}

/** Whether `value` satisfies `schema`: the check the simulator makes before it emits anything. */
export function conforms(value: unknown, schema: JsonSchema, root: JsonSchema): boolean {
  const s = resolveRef(schema, root);
  if (s.allOf && !s.allOf.every((part) => conforms(value, part, root))) return false;
  const union = s.anyOf ?? s.oneOf;
  if (union) return union.some((branch) => conforms(value, branch, root));
  if (s.const !== undefined && JSON.stringify(s.const) !== JSON.stringify(value)) return false;
  if (s.enum && !s.enum.some((option) => JSON.stringify(option) === JSON.stringify(value))) return false;
  const types = s.type === undefined ? null : Array.isArray(s.type) ? s.type : [s.type];
  if (types && !types.some((type) => hasType(value, type))) return false;
  if (typeof value === 'string') return stringConforms(value, s);
  if (typeof value === 'number') return numberConforms(value, s);
  if (Array.isArray(value)) {
    if (s.minItems !== undefined && value.length < s.minItems) return false;
    if (s.maxItems !== undefined && value.length > s.maxItems) return false;
    return s.items === undefined || value.every((item) => conforms(item, s.items as JsonSchema, root));
  }
  if (typeof value === 'object' && value !== null)
    return objectConforms(value as Record<string, unknown>, s, root);
  return true;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'string':
      return typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    default:
      return false;
  }
}

function stringConforms(value: string, s: JsonSchema): boolean {
  // JSON Schema counts code points, not UTF-16 units.
  const length = [...value].length;
  if (s.minLength !== undefined && length < s.minLength) return false;
  if (s.maxLength !== undefined && length > s.maxLength) return false;
  if (s.pattern !== undefined && !safeRegExp(s.pattern)?.test(value)) return false;
  if (s.format === 'date' && !isCalendarDate(value)) return false;
  return true;
}

function numberConforms(value: number, s: JsonSchema): boolean {
  if (s.minimum !== undefined && value < s.minimum) return false;
  if (s.maximum !== undefined && value > s.maximum) return false;
  if (s.exclusiveMinimum !== undefined && value <= s.exclusiveMinimum) return false;
  if (s.exclusiveMaximum !== undefined && value >= s.exclusiveMaximum) return false;
  if (
    s.multipleOf !== undefined &&
    Math.abs(value / s.multipleOf - Math.round(value / s.multipleOf)) > 1e-9
  ) {
    return false;
  }
  return true;
}

function objectConforms(value: Record<string, unknown>, s: JsonSchema, root: JsonSchema): boolean {
  const properties = s.properties ?? {};
  if ((s.required ?? []).some((key) => !(key in value))) return false;
  for (const [key, item] of Object.entries(value)) {
    const propertySchema = properties[key];
    if (propertySchema) {
      if (!conforms(item, propertySchema, root)) return false;
    } else if (s.additionalProperties === false) {
      return false;
    }
  }
  return true;
}

const compiled = new Map<string, RegExp | null>();

/** A request's pattern, compiled once; a pattern JavaScript cannot compile matches nothing. */
export function safeRegExp(pattern: string): RegExp | null {
  let regex = compiled.get(pattern);
  if (regex === undefined) {
    regex = compileOrNull(pattern, 'u') ?? compileOrNull(pattern, '');
    if (compiled.size > 500) compiled.clear();
    compiled.set(pattern, regex);
  }
  return regex;
}

function compileOrNull(pattern: string, flags: string): RegExp | null {
  try {
    return new RegExp(pattern, flags);
  } catch {
    return null;
  }
}

/** YYYY-MM-DD naming a day that exists. */
export function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}
