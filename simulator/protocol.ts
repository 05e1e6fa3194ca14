/**
 * The slice of OpenAI's Chat Completions request the simulator accepts, and OpenAI's error shape.
 * Loose objects: parameters the simulator ignores (temperature, seed, user…) pass through.
 */
import { z } from 'zod';
import { JsonSchema } from './answer/json-schema';

const ToolName = z.string().regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1-64 letters, digits, _ or -');

const ContentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const Content = z.union([z.string(), z.array(ContentPart)]);

const ToolCallParam = z.looseObject({
  id: z.string(),
  type: z.literal('function'),
  function: z.looseObject({ name: z.string(), arguments: z.string() }),
});

export const ChatMessage = z.discriminatedUnion('role', [
  z.looseObject({
    role: z.enum(['system', 'developer', 'user']),
    content: Content,
    name: z.string().optional(),
  }),
  z.looseObject({
    role: z.literal('assistant'),
    content: Content.nullish(),
    tool_calls: z.array(ToolCallParam).nullish(),
  }),
  z.looseObject({ role: z.literal('tool'), content: Content, tool_call_id: z.string() }),
]);
export type ChatMessage = z.infer<typeof ChatMessage>;

const ResponseFormat = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    json_schema: z.looseObject({
      name: ToolName,
      description: z.string().optional(),
      schema: JsonSchema.optional(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

export const ToolSpec = z.looseObject({
  type: z.literal('function'),
  function: z.looseObject({
    name: ToolName,
    description: z.string().optional(),
    parameters: JsonSchema.optional(),
    strict: z.boolean().nullish(),
  }),
});
export type ToolSpec = z.infer<typeof ToolSpec>;

export const ChatRequest = z.looseObject({
  model: z.string().min(1),
  messages: z.array(ChatMessage).min(1),
  response_format: ResponseFormat.optional(),
  tools: z.array(ToolSpec).optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    ])
    .optional(),
  max_tokens: z.number().int().positive().nullish(),
  max_completion_tokens: z.number().int().positive().nullish(),
  reasoning_effort: z.enum(['minimal', 'low', 'medium', 'high']).nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().min(0).max(20).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  n: z.literal(1, 'the simulator returns one choice; n must be 1').nullish(),
  stream: z.literal(false, 'the simulator does not stream; stream must be false').nullish(),
});
export type ChatRequest = z.infer<typeof ChatRequest>;

/** OpenAI's error body: `{ error: { message, type, param, code } }`. */
export interface OpenAiError {
  status: number;
  body: { error: { message: string; type: string; param: string | null; code: string | null } };
}

/** Tells an error from the answer it stands in for (a Batch or File object has a `status` too, but no `body`). */
export function isOpenAiError(value: object): value is OpenAiError {
  return 'body' in value && 'status' in value && typeof value.status === 'number';
}

export function openAiError(
  status: number,
  type: string,
  message: string,
  param: string | null = null,
  code: string | null = null,
): OpenAiError {
  return { status, body: { error: { message, type, param, code } } };
}

/** A request body that fails ChatRequest, described the way OpenAI does (first problem, with its param). */
export function invalidRequest(error: z.ZodError): OpenAiError {
  const issue = error.issues[0];
  const param = issue ? paramPath(issue.path) : null;
  if (issue?.code === 'invalid_type' && issue.input === undefined && param) {
    return openAiError(
      400,
      'invalid_request_error',
      `Missing required parameter: '${param}'.`,
      param,
      'missing_required_parameter',
    );
  }
  const message = issue
    ? `Invalid value for '${param ?? 'body'}': ${issue.message}.`
    : 'Invalid request body.';
  return openAiError(400, 'invalid_request_error', message, param, 'invalid_value');
}

/** `['messages', 0, 'role']` → `messages[0].role`. */
function paramPath(path: readonly PropertyKey[]): string | null {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : `${out ? '.' : ''}${String(part)}`;
  return out || null;
}

/** The text of a message's content (text parts joined; other parts, e.g. images, ignored). */
export function contentText(
  content: string | Array<{ type: string; text?: string }> | null | undefined,
): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .flatMap((part) => (part.type === 'text' && part.text !== undefined ? [part.text] : []))
    .join('\n');
}
