import { branchesOf, conforms, isNullBranch, resolveRef, type JsonSchema } from './json-schema';
import { sampleForPattern } from './regex-sample';

/** One field as the advisor sees it: where it is, what the schema allows. */
export interface Field {
  /** Property names and array indexes from the root, e.g. `['client', 'name']`, `['keyDates', '0']`. */
  path: readonly string[];
  /** The property name; null for the root and for array items. */
  key: string | null;
  /** The nearest enclosing property name (an array item's is its array's). */
  parentKey: string | null;
  schema: JsonSchema;
  nullable: boolean;
  /** Every non-null type the field may take. */
  types: ReadonlySet<string>;
  /** The string values of an enum (across anyOf branches); null when the field is no enum. */
  enumValues: string[] | null;
  root: JsonSchema;
}

/** Domain knowledge layered over the generic filler. */
export interface FieldAdvisor {
  /** A value for the field, or undefined to let the schema decide. A value that does not fit is discarded. */
  suggest(field: Field): unknown;
  /** Properties that summarise their siblings, filled after them (the output keeps schema order). */
  fillsLast(key: string): boolean;
}

const NO_FIT = Symbol('no-fit');
const MAX_DEPTH = 24;

/**
 * A value satisfying `schema`: the advisor proposes, the schema disposes. Every proposal is checked
 * (and trimmed or clamped where that is enough) before it is used; otherwise the field gets a
 * schema-derived default: null when nullable, the first enum value, a number mid-range, and so on.
 */
export function fillSchema(schema: JsonSchema, advisor: FieldAdvisor): unknown {
  return new Filler(schema, advisor).fill(schema, [], 0);
}

class Filler {
  constructor(
    private readonly root: JsonSchema,
    private readonly advisor: FieldAdvisor,
  ) {}

  fill(schema: JsonSchema, path: readonly string[], depth: number): unknown {
    const field = this.describe(schema, path);
    if (depth > MAX_DEPTH) return field.nullable ? null : this.generate(field.schema, path, depth);
    const suggestion = this.advisor.suggest(field);
    if (suggestion !== undefined) {
      const fitted = this.fit(suggestion, field.schema, path, depth);
      if (fitted !== NO_FIT) return fitted;
    }
    if (field.schema.const !== undefined) return field.schema.const;
    if (field.nullable) return null;
    const branch = branchesOf(field.schema, this.root).find((b) => !isNullBranch(b)) ?? field.schema;
    return this.generate(branch, path, depth);
  }

  private describe(schema: JsonSchema, path: readonly string[]): Field {
    const resolved = resolveRef(schema, this.root);
    const branches = branchesOf(resolved, this.root);
    const named = path.filter((part) => !/^\d+$/.test(part));
    const last = path[path.length - 1];
    const key = last === undefined || /^\d+$/.test(last) ? null : last;
    const enums = branches.flatMap((b) => (b.enum ?? []).filter((v): v is string => typeof v === 'string'));
    const types = new Set(
      branches.filter((b) => !isNullBranch(b)).flatMap((b) => (typeof b.type === 'string' ? [b.type] : [])),
    );
    return {
      path,
      key,
      parentKey: (key === null ? named[named.length - 1] : named[named.length - 2]) ?? null,
      schema: resolved,
      nullable: branches.some(isNullBranch),
      types,
      enumValues: enums.length > 0 ? enums : null,
      root: this.root,
    };
  }

  /** A schema-only value for a single (non-union) branch; children still go through the advisor. */
  private generate(schema: JsonSchema, path: readonly string[], depth: number): unknown {
    const s = resolveRef(schema, this.root);
    if (s.const !== undefined) return s.const;
    if (s.enum) return s.enum.find((v) => v !== null) ?? null;
    const type = typeof s.type === 'string' ? s.type : s.properties ? 'object' : s.items ? 'array' : 'null';
    switch (type) {
      case 'object':
        return this.fillObject(s, path, depth);
      case 'array': {
        const items: unknown[] = [];
        for (let i = 0; i < (s.minItems ?? 0); i++)
          items.push(this.fill(s.items ?? {}, [...path, String(i)], depth + 1));
        return items;
      }
      case 'string':
        return this.stringFor(s, path[path.length - 1] ?? 'value');
      case 'integer':
      case 'number':
        return numberFor(s, type === 'integer');
      case 'boolean':
        return false;
      default:
        return null;
    }
  }

  private fillObject(
    s: JsonSchema,
    path: readonly string[],
    depth: number,
    given: Record<string, unknown> = {},
  ) {
    const properties = s.properties ?? {};
    const keys = [...new Set([...Object.keys(properties), ...(s.required ?? [])])];
    const ordered = [
      ...keys.filter((k) => !this.advisor.fillsLast(k)),
      ...keys.filter((k) => this.advisor.fillsLast(k)),
    ];
    const values = new Map<string, unknown>();
    for (const key of ordered) {
      const propertySchema = properties[key] ?? {};
      const fitted = key in given ? this.fit(given[key], propertySchema, [...path, key], depth + 1) : NO_FIT;
      values.set(key, fitted !== NO_FIT ? fitted : this.fill(propertySchema, [...path, key], depth + 1));
    }
    return Object.fromEntries(keys.map((key) => [key, values.get(key)]));
  }

  private stringFor(s: JsonSchema, key: string): string {
    const placeholder = `simulated ${humanize(key)}`;
    const candidates: Array<string | undefined> = [
      placeholder,
      FORMAT_EXAMPLES[s.format ?? ''],
      '2000-01-01',
      placeholder.replace(/\s+/g, '-'),
    ];
    if (s.pattern) candidates.push(sampleForPattern(s.pattern) ?? undefined);
    for (const candidate of candidates) {
      if (candidate === undefined) continue;
      const fitted = fitString(candidate, s);
      if (conforms(fitted, s, this.root)) return fitted;
    }
    return fitString(placeholder, s);
  }

  /** The suggestion made to fit (trimmed, clamped, completed), or NO_FIT when it cannot be. */
  private fit(value: unknown, schema: JsonSchema, path: readonly string[], depth: number): unknown {
    const s = resolveRef(schema, this.root);
    if (conforms(value, s, this.root)) return value;
    for (const branch of branchesOf(s, this.root)) {
      const candidate = this.fitBranch(value, branch, path, depth);
      if (candidate !== NO_FIT && conforms(candidate, s, this.root)) return candidate;
    }
    return NO_FIT;
  }

  private fitBranch(value: unknown, branch: JsonSchema, path: readonly string[], depth: number): unknown {
    const type = typeof branch.type === 'string' ? branch.type : branch.properties ? 'object' : undefined;
    if (typeof value === 'string' && type === 'string') return fitString(value, branch);
    if (typeof value === 'number' && (type === 'number' || type === 'integer')) {
      return clamp(value, branch, type === 'integer');
    }
    if (Array.isArray(value) && type === 'array') {
      const items = value
        .map((item, i) => this.fit(item, branch.items ?? {}, [...path, String(i)], depth + 1))
        .filter((item) => item !== NO_FIT)
        .slice(0, branch.maxItems ?? Infinity);
      while (items.length < (branch.minItems ?? 0)) {
        items.push(this.fill(branch.items ?? {}, [...path, String(items.length)], depth + 1));
      }
      return items;
    }
    if (typeof value === 'object' && value !== null && !Array.isArray(value) && type === 'object') {
      return this.fillObject(branch, path, depth, value as Record<string, unknown>);
    }
    return NO_FIT;
  }
}

const FORMAT_EXAMPLES: Record<string, string> = {
  date: '2000-01-01',
  'date-time': '2000-01-01T00:00:00Z',
  time: '00:00:00',
  email: 'simulated@example.com',
  uri: 'https://example.com/simulated',
  url: 'https://example.com/simulated',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** Cut to maxLength (code points, at a word boundary when one is near) and pad to minLength. */
function fitString(value: string, s: JsonSchema): string {
  let out = value;
  const points = [...out];
  if (s.maxLength !== undefined && points.length > s.maxLength) {
    out = points.slice(0, s.maxLength).join('');
    const space = out.lastIndexOf(' ');
    if (space > s.maxLength * 0.8) out = out.slice(0, space);
    out = out.trimEnd();
  }
  while (s.minLength !== undefined && [...out].length < s.minLength) out += '.';
  return out;
}

function clamp(value: number, s: JsonSchema, integer: boolean): number {
  let out = value;
  if (s.minimum !== undefined) out = Math.max(out, s.minimum);
  if (s.maximum !== undefined) out = Math.min(out, s.maximum);
  return integer ? Math.round(out) : out;
}

/** Zero when allowed, else the middle of the allowed range (respecting integer and multipleOf). */
function numberFor(s: JsonSchema, integer: boolean): number {
  const step = integer ? 1 : 1e-6;
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + step : undefined);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - step : undefined);
  let value = 0;
  if (lo !== undefined && hi !== undefined) value = (lo + hi) / 2;
  else if (lo !== undefined) value = Math.max(0, lo);
  else if (hi !== undefined) value = Math.min(0, hi);
  if (s.multipleOf !== undefined) value = Math.ceil(value / s.multipleOf) * s.multipleOf;
  if (integer) value = lo !== undefined && Math.floor(value) < lo ? Math.ceil(value) : Math.floor(value);
  return value;
}

/** `matterSummary` → `matter summary`. */
export function humanize(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .trim();
}
