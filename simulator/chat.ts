/**
 * The answer to one chat completion request, whether it came over HTTP or as a line of a batch: request
 * validation, parameters the model family rejects, retired models, the prompt cache and the test knobs
 * (`leak`, `obeyInjections`) all apply the same way to both.
 */
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { simulateCompletion } from './completion';
import { faultResponse, type FaultKind } from './faults';
import { modelNotFound, unsupportedParameter } from './models';
import { ChatRequest, invalidRequest, openAiError, type OpenAiError } from './protocol';
import { requestHash } from './request-hash';
import type { SimulatorState } from './state';

/** What a chat request is answered with, and the debug line that goes with sending it. */
export interface ChatReply {
  status: number;
  body: ChatCompletion | OpenAiError['body'];
  /** `x-request-id` on a completion, `retry-after` on a rate limit. */
  headers: Record<string, string>;
  /** Ids, counts and settings, never contents; null when the reply is not worth a line (a rejected body). */
  log: { fields: Record<string, unknown>; message: string } | null;
}

/** Whether the request names a model that was retired: such a request answers nothing else, not even a fault. */
export function isRetired(state: SimulatorState, body: unknown): boolean {
  const requested = (body as { model?: unknown } | undefined)?.model;
  return typeof requested === 'string' && state.retiredModels.has(requested);
}

/** The id OpenAI would give the request: the same request always gets the same one. */
export function requestId(body: unknown): string {
  return requestIdOf(requestHash(body));
}

function requestIdOf(hash: string): string {
  return `req_sim_${hash.slice(0, 24)}`;
}

/** Works out the reply to a chat request body; `fault` is the one drawn for it, if any (never 'timeout'). */
export function answerChat(state: SimulatorState, body: unknown, fault: FaultKind | null): ChatReply {
  const requested: unknown = (body as { model?: unknown } | undefined)?.model;
  if (isRetired(state, body)) {
    return errorReply(modelNotFound(requested as string), {
      fields: { model: requested },
      message: 'simulator answered 404 for a retired model',
    });
  }

  const failure = fault ? faultResponse(fault, state.faults.retryAfterMs()) : null;
  if (failure) {
    const { headers, ...error } = failure;
    return {
      ...errorReply(error, {
        fields: { model: typeof requested === 'string' ? requested : null, fault, status: failure.status },
        message: 'simulator served a fault',
      }),
      headers,
    };
  }
  if (body === undefined) {
    return errorReply(
      openAiError(
        400,
        'invalid_request_error',
        'We could not parse the JSON body of your request. Send JSON with Content-Type: application/json.',
      ),
    );
  }
  const parsed = ChatRequest.safeParse(body, { reportInput: true });
  if (!parsed.success) return errorReply(invalidRequest(parsed.error));
  const rejected = unsupportedParameter(parsed.data);
  if (rejected) return errorReply(rejected);

  const hash = requestHash(body);
  const completion = simulateCompletion(parsed.data, hash, {
    malformed: fault === 'malformed',
    stop: fault === 'truncated' ? 'length' : fault === 'content_filter' ? 'content_filter' : undefined,
    obeyInjections: state.obeyInjections,
  });
  if ('status' in completion) return errorReply(completion);
  const cached = state.promptCache?.serve(parsed.data) ?? 0;
  if (completion.usage?.prompt_tokens_details) completion.usage.prompt_tokens_details.cached_tokens = cached;
  const choice = completion.choices[0];
  if (state.leakText && choice?.message.content) {
    choice.message.content = withLeak(choice.message.content, state.leakText);
  }
  return {
    status: 200,
    body: completion,
    headers: { 'x-request-id': requestIdOf(hash) },
    log: {
      fields: {
        model: parsed.data.model,
        tools: (parsed.data.tools ?? []).map((tool) => tool.function.name),
        responseFormat: parsed.data.response_format?.type ?? 'text',
        fault,
        obeyInjections: state.obeyInjections,
        finishReason: choice?.finish_reason,
        toolCalls: choice?.message.tool_calls?.length ?? 0,
        promptTokens: completion.usage?.prompt_tokens,
        cachedTokens: cached,
        completionTokens: completion.usage?.completion_tokens,
      },
      message: 'simulator chat completion',
    },
  };
}

function errorReply(error: OpenAiError, log: ChatReply['log'] = null): ChatReply {
  return { status: error.status, body: error.body, headers: {}, log };
}

/**
 * A JSON answer with `text` appended to its `rationale` (free text every Docket agent writes), or else to
 * its first string field (depth-first); other content as it is.
 */
function withLeak(content: string, text: string): string {
  let answer: unknown;
  try {
    answer = JSON.parse(content);
  } catch {
    return `${content} ${text}`;
  }
  if (
    answer &&
    typeof answer === 'object' &&
    typeof (answer as { rationale?: unknown }).rationale === 'string'
  ) {
    const withRationale = answer as { rationale: string };
    return JSON.stringify({ ...withRationale, rationale: `${withRationale.rationale} ${text}` });
  }
  let done = false;
  const visit = (node: unknown): unknown => {
    if (done) return node;
    if (typeof node === 'string' && node.length > 0) {
      done = true;
      return `${node} ${text}`;
    }
    if (Array.isArray(node)) return node.map(visit);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, visit(value)]));
    }
    return node;
  };
  return JSON.stringify(visit(answer));
}
