/** A JSON value as the audit log stores and hashes it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * The one text a JSON value hashes as: object keys sorted (by UTF-16 code units, as `Array.prototype.sort`
 * compares strings) at every depth, no whitespace, strings and numbers exactly as `JSON.stringify` writes
 * them (numbers in ECMAScript's shortest round-trip form, so `1`, `1.0` and `1e0` are all `1`, and `-0` is
 * `0`). For JSON values this is RFC 8785 (JCS). Anything that is not plain JSON (undefined, a function, a
 * bigint, NaN or ±Infinity, a Date or other class instance, a cycle) is an error, never silently dropped
 * or converted: what is hashed must be exactly what is stored.
 */
export function canonicalJson(value: unknown): string {
  return write(value, '$', new Set());
}

function write(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value))
        throw new TypeError(`canonicalJson: ${path} is ${value}, not a JSON number`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonicalJson: ${path} is a ${typeof value}, not a JSON value`);
  }
  const object = value as object;
  if (ancestors.has(object)) throw new TypeError(`canonicalJson: ${path} refers back to itself`);
  ancestors.add(object);
  let text: string;
  if (Array.isArray(object)) {
    text = `[${object.map((item, i) => write(item, `${path}[${i}]`, ancestors)).join(',')}]`;
  } else {
    const proto = Object.getPrototypeOf(object);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(`canonicalJson: ${path} is a ${proto?.constructor?.name ?? 'class'} instance`);
    }
    const record = object as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${write(record[key], `${path}.${key}`, ancestors)}`);
    text = `{${members.join(',')}}`;
  }
  ancestors.delete(object);
  return text;
}

/**
 * What the audit log keeps of a value: its JSON form as `JSON.stringify` makes it (undefined members
 * vanish, dates become ISO strings, NaN becomes null), with every string made storable in PostgreSQL
 * `jsonb`, which refuses `\u0000` and unpaired surrogates: both become U+FFFD. The result survives the
 * round trip through `jsonb` unchanged, so the hash computed on it can be recomputed from the stored row.
 */
export function toAuditJson(value: unknown): JsonValue {
  const text = JSON.stringify(value);
  if (text === undefined) throw new TypeError('toAuditJson: the value has no JSON form');
  return storable(JSON.parse(text) as JsonValue);
}

function storable(value: JsonValue): JsonValue {
  if (typeof value === 'string') return storableString(value);
  if (Array.isArray(value)) return value.map(storable);
  if (value !== null && typeof value === 'object') {
    const out: JsonObject = {};
    for (const [key, member] of Object.entries(value)) {
      // defineProperty: a member named "__proto__" stays a member rather than setting the prototype.
      Object.defineProperty(out, storableString(key), {
        value: storable(member),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    }
    return out;
  }
  return value;
}

/** A surrogate without its pair (what `String.prototype.toWellFormed` replaces, ES2024). */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function storableString(text: string): string {
  return text.replace(LONE_SURROGATE, '\uFFFD').replaceAll('\u0000', '\uFFFD');
}
