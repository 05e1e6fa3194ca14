/**
 * Token usage the way OpenAI bills it, counted with the o200k_base tokenizer (GPT-4o, o1 and later).
 * Prompt: every message's role and text plus a few framing tokens each, and the schema and tool
 * definitions, which OpenAI also feeds to the model. Completion: the visible output, plus hidden
 * reasoning tokens for reasoning models.
 */
import { countTokens, decode, encode } from 'gpt-tokenizer';
import { contentText, type ChatRequest } from './protocol';

/** Framing tokens per message (`<|start|>role<|message|>…<|end|>`) and for priming the reply. */
const PER_MESSAGE = 3;
const REPLY_PRIMING = 3;

/** Hidden reasoning per prompt token, by reasoning_effort: deterministic stand-ins for a model's thinking. */
const REASONING_PER_PROMPT_TOKEN = { minimal: 0.1, low: 0.25, medium: 0.5, high: 1 } as const;

export function promptTokens(request: ChatRequest): number {
  let total = REPLY_PRIMING;
  for (const message of request.messages) {
    total += PER_MESSAGE + countTokens(message.role) + countRepeated(contentText(message.content));
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        total += countTokens(call.function.name) + countTokens(call.function.arguments);
      }
    }
  }
  if (request.tools?.length) {
    total += countRepeated(JSON.stringify(request.tools.map((tool) => tool.function)));
  }
  if (request.response_format?.type === 'json_schema') {
    total += countRepeated(JSON.stringify(request.response_format.json_schema));
  }
  return total;
}

// Most of a prompt comes again with every request of an agent (its instructions, tools and schema, and a
// conversation's earlier messages): each text is counted once while it is among the last ones seen.
const counted = new Map<string, number>();
const MAX_COUNTED = 2_000;

function countRepeated(text: string): number {
  let tokens = counted.get(text);
  if (tokens === undefined) {
    tokens = countTokens(text);
    if (counted.size >= MAX_COUNTED) counted.clear();
    counted.set(text, tokens);
  }
  return tokens;
}

/** Visible completion tokens: the content, or each tool call's name and arguments. */
export function outputTokens(output: {
  content: string | null;
  toolCalls: Array<{ name: string; arguments: string }>;
}) {
  let total = output.content === null ? 0 : countTokens(output.content);
  for (const call of output.toolCalls) total += countTokens(call.name) + countTokens(call.arguments);
  return total;
}

/** o1, o3, o4 and their snapshots: models that think before they answer and bill the thinking as output. */
export function isReasoningModel(model: string): boolean {
  return /^o[134](?:$|[-_.])/.test(model);
}

export function reasoningTokens(request: ChatRequest, prompt: number): number {
  if (!isReasoningModel(request.model)) return 0;
  return Math.ceil(prompt * REASONING_PER_PROMPT_TOKEN[request.reasoning_effort ?? 'medium']);
}

/** The first `limit` tokens of `text`: what a reply cut off by max_completion_tokens looks like. */
export function truncateToTokens(text: string, limit: number): string {
  return limit <= 0 ? '' : decode(encode(text).slice(0, limit));
}
