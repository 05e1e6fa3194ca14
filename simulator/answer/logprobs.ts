/**
 * Token log probabilities for an answer, as OpenAI returns them with `logprobs: true`
 * (`choices[0].logprobs.content`): the answer cut into o200k_base tokens, each with its logprob, its
 * UTF-8 bytes and up to `top_logprobs` alternatives. The simulator is sure of everything it writes
 * except the enum values it chose: there the tokens carry its own certainty, so that the probability
 * of the chosen value is that certainty and the rest goes to the values it passed over.
 */
import { encode } from 'gpt-tokenizer';
import bpeRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import type { ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import { branchesOf, isNullBranch, resolveRef, type JsonSchema } from './json-schema';

type Path = readonly string[];
/** The simulator's certainty of the value it chose for an enum field (0..1), by the field's path. */
export type Certainty = (path: Path) => number;

/** One enum value in the written JSON: from its key's colon to the end of the value, in UTF-16 units. */
interface Choice {
  path: Path;
  colon: number;
  end: number;
  chosen: string | null;
  options: Array<string | null>;
}

/** Below this an alternative's probability is not worth listing (OpenAI lists only tokens with mass). */
const NEGLIGIBLE = 1e-6;

/**
 * The logprobs of `content`, an answer to `schema`. `top` is the request's `top_logprobs` (0 when absent).
 * Content that is not the JSON the schema describes (a cut-off answer) gets certain tokens throughout.
 */
export function answerLogprobs(
  content: string,
  schema: JsonSchema | undefined,
  certainty: Certainty,
  top: number,
): ChatCompletionTokenLogprob[] {
  const ids = encode(content);
  const starts: number[] = [];
  let at = 0;
  for (const id of ids) {
    starts.push(at);
    at += tokenText(id).length;
  }
  // Tokens that split a character (bytes only) make the offsets unreliable: every token is then certain.
  const aligned = at === content.length;
  const choices = aligned && schema ? locateChoices(content, schema) : [];
  const out: ChatCompletionTokenLogprob[] = ids.map((id) => entry(id, 0, top > 0 ? [[id, 0]] : []));
  for (const choice of choices) {
    const first = lastIndexAtOrBefore(starts, choice.colon);
    const last = lastIndexAtOrBefore(starts, choice.end - 1);
    if (first < 0 || last < first) continue;
    const region = ids.slice(first, last + 1);
    const from = starts[first];
    const to = last + 1 < starts.length ? starts[last + 1] : content.length;
    const p = clamp(certainty(choice.path));
    const candidates = spread(choice, p).map(({ value, mass }) => {
      const text =
        content.slice(from, choice.colon + 1) + JSON.stringify(value) + content.slice(choice.end, to);
      return { tokens: value === choice.chosen ? region : encode(text), mass };
    });
    region.forEach((id, k) => {
      const prefix = region.slice(0, k);
      const live = candidates.filter((c) => startsWith(c.tokens, prefix) && c.tokens.length > k);
      const total = live.reduce((sum, c) => sum + c.mass, 0);
      const byToken = new Map<number, number>();
      for (const c of live) byToken.set(c.tokens[k], (byToken.get(c.tokens[k]) ?? 0) + c.mass);
      const logprob = Math.log((byToken.get(id) ?? total) / total);
      const alternatives = [...byToken]
        .filter(([, mass]) => mass / total > NEGLIGIBLE)
        .sort((a, b) => b[1] - a[1] || a[0] - b[0])
        .slice(0, top)
        .map(([token, mass]): [number, number] => [token, Math.log(mass / total)]);
      out[first + k] = entry(id, logprob, alternatives);
    });
  }
  return out;
}

/** The chosen value gets `p`; the others share the rest, each less likely than the chosen one. */
function spread(choice: Choice, p: number): Array<{ value: string | null; mass: number }> {
  const others = choice.options.filter((option) => option !== choice.chosen);
  const rest = 1 - p;
  const masses: number[] = [];
  let left = rest;
  for (let i = 0; i < others.length; i++) {
    const share = i === others.length - 1 ? left : Math.min(left / 2, p * 0.9);
    masses.push(share);
    left -= share;
  }
  return [
    { value: choice.chosen, mass: p },
    ...others.map((value, i) => ({ value, mass: masses[i] })),
  ].filter((c) => c.mass > 0);
}

/** Every enum value of the answer, where it is written: the answer re-serialized while its spans are noted. */
function locateChoices(content: string, schema: JsonSchema): Choice[] {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch {
    return [];
  }
  const choices: Choice[] = [];
  let text = '';
  const write = (node: unknown, nodeSchema: JsonSchema | undefined, path: Path): void => {
    const options = nodeSchema ? enumOptions(nodeSchema, schema) : null;
    if (options && (typeof node === 'string' || node === null) && text.endsWith(':')) {
      const colon = text.length - 1;
      text += JSON.stringify(node);
      choices.push({ path, colon, end: text.length, chosen: node, options });
      return;
    }
    if (Array.isArray(node)) {
      const items = nodeSchema ? itemsOf(nodeSchema, schema) : undefined;
      text += '[';
      node.forEach((item, i) => {
        if (i > 0) text += ',';
        write(item, items, [...path, String(i)]);
      });
      text += ']';
    } else if (node !== null && typeof node === 'object') {
      text += '{';
      Object.entries(node).forEach(([key, item], i) => {
        if (i > 0) text += ',';
        text += `${JSON.stringify(key)}:`;
        write(item, nodeSchema ? propertyOf(nodeSchema, key, schema) : undefined, [...path, key]);
      });
      text += '}';
    } else {
      text += JSON.stringify(node);
    }
  };
  write(value, schema, []);
  // The answer as sent must be exactly what was re-serialized, or the spans point elsewhere.
  return text === content ? choices : [];
}

function enumOptions(schema: JsonSchema, root: JsonSchema): Array<string | null> | null {
  const branches = branchesOf(schema, root);
  const values = branches.flatMap((b) => (b.enum ?? []).filter((v): v is string => typeof v === 'string'));
  if (values.length === 0) return null;
  return branches.some(isNullBranch) ? [...values, null] : values;
}

function propertyOf(schema: JsonSchema, key: string, root: JsonSchema): JsonSchema | undefined {
  for (const branch of branchesOf(schema, root)) {
    const property = branch.properties?.[key];
    if (property) return resolveRef(property, root);
  }
  return undefined;
}

function itemsOf(schema: JsonSchema, root: JsonSchema): JsonSchema | undefined {
  const branch = branchesOf(schema, root).find((b) => b.items !== undefined);
  return branch?.items ? resolveRef(branch.items, root) : undefined;
}

function entry(
  id: number,
  logprob: number,
  alternatives: Array<[number, number]>,
): ChatCompletionTokenLogprob {
  return {
    token: tokenText(id),
    logprob: round(logprob),
    bytes: tokenBytes(id),
    top_logprobs: alternatives.map(([token, lp]) => ({
      token: tokenText(token),
      logprob: round(lp),
      bytes: tokenBytes(token),
    })),
  };
}

const decoder = new TextDecoder();

/** A token's text; a token that splits a character shows as the replacement character, as OpenAI's does. */
function tokenText(id: number): string {
  const raw = bpeRanks[id];
  return typeof raw === 'string' ? raw : decoder.decode(Uint8Array.from(raw ?? []));
}

function tokenBytes(id: number): number[] {
  const raw = bpeRanks[id];
  return typeof raw === 'string' ? [...Buffer.from(raw, 'utf8')] : [...(raw ?? [])];
}

function lastIndexAtOrBefore(starts: readonly number[], offset: number): number {
  let found = -1;
  for (let i = 0; i < starts.length && starts[i] <= offset; i++) found = i;
  return found;
}

function startsWith(tokens: readonly number[], prefix: readonly number[]): boolean {
  return prefix.every((id, i) => tokens[i] === id);
}

function clamp(p: number): number {
  return Math.min(0.999, Math.max(0.01, Number.isFinite(p) ? p : 0.5));
}

/** Six significant decimals, as deterministic bytes; -0 written as 0. */
function round(logprob: number): number {
  const value = Math.round(logprob * 1e6) / 1e6;
  return value === 0 ? 0 : value;
}
