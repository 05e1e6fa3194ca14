/** Where the intake begins in a chat request as the simulator reads it: what a prompt cache may share. */
import { countTokens } from 'gpt-tokenizer';
import { INTAKE_DOCUMENT_FIELDS } from '../../agents/untrusted';
import { promptSequence } from '../../simulator/prompt-cache';
import type { ChatRequest } from '../../simulator/protocol';

/**
 * Prompt tokens before the intake document of the request's first user message begins, in the order the
 * simulator's cache reads a prompt: everything another intake's request can share with this one.
 */
export function tokensBeforeDocument(request: ChatRequest): number {
  const user = request.messages.findIndex((message) => message.role === 'user');
  const content = request.messages[user].content as string;
  const parsed = JSON.parse(content) as Record<string, string>;
  const field = INTAKE_DOCUMENT_FIELDS.find((key) => typeof parsed[key] === 'string')!;
  const before = content.slice(0, content.indexOf(JSON.stringify(parsed[field])));
  // The instructions, tools and schema, then the user message's framing (start, role, message) and its text.
  const earlier = promptSequence({ ...request, messages: request.messages.slice(0, user) }).length;
  return earlier + 2 + countTokens('user') + countTokens(before);
}
