/**
 * The probability of each enum value a model chose, from the token logprobs of its answer: the values
 * are found in the JSON by position (byte offsets), each one's probability is the product of the
 * probabilities of the tokens from its key's colon to the end of the value (the colon's token is where a
 * model decides between `null` and a string). Only these numbers leave the gateway, never the tokens.
 */
import type { ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';

type Schema = Record<string, unknown>;

/** One value of the answer, by its path (`keyDates.0.kind`), with the byte offset of its key's colon. */
interface Located {
  path: string[];
  colon: number;
  end: number;
}

/**
 * `{ matterType: 0.93, jurisdiction: 0.41, 'keyDates.0.kind': 0.88 }` for every enum-valued field of
 * `schema` in `content`; undefined when the tokens do not add up to the content (nothing to trust).
 */
export function choiceProbabilities(
  content: string,
  tokens: readonly ChatCompletionTokenLogprob[],
  schema: Schema | undefined,
): Record<string, number> | undefined {
  if (!schema || tokens.length === 0) return undefined;
  const bytes = Buffer.from(content, 'utf8');
  const ends: number[] = [];
  let at = 0;
  for (const token of tokens) {
    at += token.bytes ? token.bytes.length : Buffer.byteLength(token.token, 'utf8');
    ends.push(at);
  }
  if (at !== bytes.length) return undefined;
  let values: Located[];
  try {
    values = locateValues(bytes);
  } catch {
    return undefined;
  }
  const out: Record<string, number> = {};
  for (const value of values) {
    if (!isEnumField(schema, value.path)) continue;
    let logprob = 0;
    for (let i = 0, start = 0; i < tokens.length; start = ends[i], i++) {
      if (ends[i] > value.colon && start < value.end) logprob += tokens[i].logprob;
    }
    out[value.path.join('.')] = Math.round(Math.exp(logprob) * 1e4) / 1e4;
  }
  return out;
}

/** Whether the schema makes the field at `path` an enum (a nullable one included). */
function isEnumField(root: Schema, path: readonly string[]): boolean {
  let nodes = [root];
  for (const part of path) {
    nodes = nodes
      .flatMap((node) => branches(node, root))
      .flatMap((node) => {
        const properties = node.properties as Record<string, Schema> | undefined;
        if (properties?.[part]) return [properties[part]];
        if (/^\d+$/.test(part) && node.items) return [node.items as Schema];
        return [];
      });
  }
  return nodes.flatMap((node) => branches(node, root)).some((node) => Array.isArray(node.enum));
}

/** A schema's alternatives, `$ref`s followed: anyOf branches, or the schema itself. */
function branches(node: Schema, root: Schema, depth = 0): Schema[] {
  if (depth > 16) return [];
  const ref = node.$ref;
  if (typeof ref === 'string' && ref.startsWith('#')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/').filter(Boolean)) {
      target = (target as Record<string, unknown> | undefined)?.[part];
    }
    return target && typeof target === 'object' ? branches(target as Schema, root, depth + 1) : [];
  }
  const union = (node.anyOf ?? node.oneOf) as Schema[] | undefined;
  if (Array.isArray(union)) return union.flatMap((branch) => branches(branch, root, depth + 1));
  return [node];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** Every string and `null` that is an object property's value (at any depth), with its byte span. */
function locateValues(json: Buffer): Located[] {
  const found: Located[] = [];
  let i = 0;
  const space = () => {
    while (i < json.length && (json[i] === 0x20 || json[i] === 0x0a || json[i] === 0x0d || json[i] === 0x09))
      i++;
  };
  const expect = (byte: number) => {
    if (json[i] !== byte) throw new SyntaxError(`unexpected byte at ${i}`);
    i++;
  };
  const string = () => {
    expect(QUOTE);
    const start = i;
    while (i < json.length && json[i] !== QUOTE) i += json[i] === BACKSLASH ? 2 : 1;
    const text = json.subarray(start, i).toString('utf8');
    expect(QUOTE);
    return JSON.parse(`"${text}"`) as string;
  };
  const value = (path: string[], colon: number | null) => {
    space();
    const start = i;
    const byte = json[i];
    if (byte === 0x7b) {
      i++;
      space();
      if (json[i] === 0x7d) return void i++;
      for (;;) {
        space();
        const key = string();
        space();
        const at = i;
        expect(0x3a);
        value([...path, key], at);
        space();
        if (json[i] === 0x2c) i++;
        else return expect(0x7d);
      }
    }
    if (byte === 0x5b) {
      i++;
      space();
      if (json[i] === 0x5d) return void i++;
      for (let index = 0; ; index++) {
        value([...path, String(index)], null);
        space();
        if (json[i] === 0x2c) i++;
        else return expect(0x5d);
      }
    }
    if (byte === QUOTE) string();
    else while (i < json.length && !/[\s,}\]]/.test(String.fromCharCode(json[i]))) i++;
    const literal = json.subarray(start, i).toString('utf8');
    if (colon !== null && (byte === QUOTE || literal === 'null')) {
      found.push({ path, colon, end: i });
    }
  };
  value([], null);
  return found;
}
