/**
 * OpenAI's prompt caching, imitated: a prompt of 1,024 tokens or more is cached by exact prefix, per
 * model, and a later request that starts with a cached prefix reports it as
 * `usage.prompt_tokens_details.cached_tokens`, in steps of 128 tokens (1,024, 1,152, 1,280…). The prompt
 * is read in the order a provider renders it: the instructions (the leading system or developer messages),
 * the tool definitions, the response schema, then the conversation. So a request whose static part comes
 * first shares that part with the next request for the same agent, and a cache hit never reaches past the
 * first token in which two prompts differ.
 */
import { createHash } from 'node:crypto';
import { encode } from 'gpt-tokenizer';
import { contentText, type ChatMessage, type ChatRequest } from './protocol';

/** OpenAI's minimum cacheable prompt and the step cache hits grow by. */
export const CACHE_MIN_TOKENS = 1024;
export const CACHE_STEP_TOKENS = 128;

/** Stand-ins for the framing tokens around each message (`<|start|>role<|message|>…<|end|>`). */
const START = -1;
const MESSAGE = -2;
const END = -3;

/** Prefixes remembered, oldest forgotten first: enough for every test and a long `npm start` session. */
const CAPACITY = 100_000;

export class PromptCache {
  /** `model` and the hash of a prefix ending at a step boundary, in the order last seen. */
  private readonly prefixes = new Map<string, true>();

  /** The request's cached prompt tokens; then its own prefixes are cached for the requests after it. */
  serve(request: ChatRequest): number {
    const tokens = promptSequence(request);
    let cached = 0;
    let missed = false;
    let hash = createHash('sha256').update(request.model).digest();
    let from = 0;
    for (let end = CACHE_MIN_TOKENS; end <= tokens.length; end += CACHE_STEP_TOKENS) {
      hash = createHash('sha256')
        .update(hash)
        .update(new Uint8Array(Int32Array.from(tokens.slice(from, end)).buffer))
        .digest();
      from = end;
      const key = hash.toString('base64');
      // Every prefix of a cached prefix is cached too: the first miss ends the hit.
      if (!missed && this.prefixes.has(key)) cached = end;
      else missed = true;
      this.remember(key);
    }
    return cached;
  }

  private remember(key: string): void {
    this.prefixes.delete(key);
    this.prefixes.set(key, true);
    if (this.prefixes.size > CAPACITY) this.prefixes.delete(this.prefixes.keys().next().value!);
  }
}

/**
 * The prompt as one token sequence, in the provider's order; as long as `promptTokens` counts it, less the
 * reply priming.
 */
export function promptSequence(request: ChatRequest): number[] {
  const leading = request.messages.findIndex((m) => m.role !== 'system' && m.role !== 'developer');
  const split = leading < 0 ? request.messages.length : leading;
  const tokens: number[] = [];
  // Appended one by one: a long document's tokens are too many to spread into one call's arguments.
  const add = (more: Iterable<number>) => {
    for (const token of more) tokens.push(token);
  };
  const addMessage = (message: ChatMessage) => {
    add([START, ...encode(message.role), MESSAGE]);
    add(encode(contentText(message.content)));
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        add(encode(call.function.name));
        add(encode(call.function.arguments));
      }
    }
    add([END]);
  };
  request.messages.slice(0, split).forEach(addMessage);
  if (request.tools?.length) add(encode(JSON.stringify(request.tools.map((tool) => tool.function))));
  if (request.response_format?.type === 'json_schema') {
    add(encode(JSON.stringify(request.response_format.json_schema)));
  }
  request.messages.slice(split).forEach(addMessage);
  return tokens;
}
