import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';

/** Framing tokens per message (`<|start|>role<|message|>…<|end|>`) and for priming the reply. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/**
 * Prompt tokens of a chat request, counted before sending, the way OpenAI bills them: each message's role
 * and text with its framing, and the tool definitions and JSON schema, which the model reads too. The
 * tokenizer is o200k_base (GPT-4o, GPT-4o mini, o1, o3-mini); for other models it is an estimate.
 */
export function promptTokens(request: ChatCompletionCreateParamsNonStreaming): number {
  let total = REPLY_PRIMING;
  for (const message of request.messages) {
    total += PER_MESSAGE + countTokens(message.role) + textTokens(contentText(message.content));
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        if (call.type === 'function') {
          total += countTokens(call.function.name) + countTokens(call.function.arguments);
        }
      }
    }
  }
  if (request.tools?.length) {
    const tools = request.tools;
    total += once(tools, () =>
      countTokens(JSON.stringify(tools.map((tool) => (tool.type === 'function' ? tool.function : tool)))),
    );
  }
  const format = request.response_format;
  if (format?.type === 'json_schema') {
    total += once(format, () => countTokens(JSON.stringify(format.json_schema)));
  }
  return total;
}

// What every request of an agent repeats (its instructions, tools and schema: agents/gateway/request.ts
// builds the tools and schema once per agent) is counted once. The objects are keyed by identity, so a
// request built otherwise is counted in full. Texts are kept by their content: the instructions, and a
// call's messages, which one call counts two or three times (the rate limit, the context fit, the budget),
// while they are among the last few megabytes of text counted.
const countedObjects = new WeakMap<object, number>();
const countedTexts = new Map<string, number>();
let countedChars = 0;
const MAX_COUNTED_CHARS = 4_000_000;

function once(value: object, count: () => number): number {
  let tokens = countedObjects.get(value);
  if (tokens === undefined) {
    tokens = count();
    countedObjects.set(value, tokens);
  }
  return tokens;
}

/** A text's tokens (o200k_base), counted once per text while it is among the recent ones. */
export function textTokens(text: string): number {
  let tokens = countedTexts.get(text);
  if (tokens === undefined) {
    tokens = countTokens(text);
    if (countedChars + text.length > MAX_COUNTED_CHARS) {
      countedTexts.clear();
      countedChars = 0;
    }
    countedTexts.set(text, tokens);
    countedChars += text.length;
  }
  return tokens;
}

function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .flatMap((part: { type?: string; text?: unknown }) =>
      part.type === 'text' && typeof part.text === 'string' ? [part.text] : [],
    )
    .join('\n');
}
