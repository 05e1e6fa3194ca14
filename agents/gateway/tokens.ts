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
    total += PER_MESSAGE + countTokens(message.role) + countTokens(contentText(message.content));
    if (message.role === 'assistant') {
      for (const call of message.tool_calls ?? []) {
        if (call.type === 'function') {
          total += countTokens(call.function.name) + countTokens(call.function.arguments);
        }
      }
    }
  }
  if (request.tools?.length) {
    total += countTokens(
      JSON.stringify(request.tools.map((tool) => (tool.type === 'function' ? tool.function : tool))),
    );
  }
  if (request.response_format?.type === 'json_schema') {
    total += countTokens(JSON.stringify(request.response_format.json_schema));
  }
  return total;
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
