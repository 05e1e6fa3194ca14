/**
 * One simulated chat completion: tool calls while the conversation has no tool results yet, then the
 * structured answer. A pure function of the request and the options: same body, same bytes.
 */
import type {
  ChatCompletion,
  ChatCompletionMessageFunctionToolCall,
} from 'openai/resources/chat/completions';
import { DocketAdvisor } from './answer/advisor';
import { choiceCertainty } from './answer/confidence';
import { fillSchema, type FieldAdvisor } from './answer/fill';
import type { JsonSchema } from './answer/json-schema';
import { answerLogprobs } from './answer/logprobs';
import { ObedientAdvisor, type Filling } from './answer/obedient';
import {
  ClinicalAdvisor,
  answerClinically,
  isClinicalRequest,
  type ClinicalTarget,
} from './clinical/advisor';
import { readClinicalInput, type ClinicalInput } from './clinical/input';
import { answeringModel } from './models';
import { openAiError, type ChatRequest, type OpenAiError, type ToolSpec } from './protocol';
import { readFacts, type Facts } from './reading/facts';
import { readInjections, type Injection } from './reading/injections';
import { placeholders } from './reading/placeholders';
import { readConversation, type Reading } from './reading/reading';
import { readToolEvidence } from './answer/tool-evidence';
import { derivedId } from './request-hash';
import { outputTokens, promptTokens, reasoningTokens, truncateToTokens } from './tokens';

/** `created` is fixed (2026-01-01T00:00:00Z): a wall-clock time would make answers differ between runs. */
const CREATED = 1767225600;
const EMPTY_OBJECT: JsonSchema = { type: 'object', properties: {}, additionalProperties: false };

export interface CompletionOptions {
  /** Fault injection: the output is cut in half, so it is no longer valid JSON. */
  malformed?: boolean;
  /** Fault injection: the answer ends as a real one does at the token limit or the content filter. */
  stop?: 'length' | 'content_filter';
  /** Carry out instructions injected into user and tool messages (see `readInjections`). */
  obeyInjections?: boolean;
}

/** Everything an answer is made from. */
interface Understanding {
  reading: Reading;
  facts: Facts;
  injections: ReadonlySet<Injection>;
  /**
   * For the clinical summary's agents: their input, read from the messages as sent. Its tokens are the
   * structure the clinical reader looks for ("Patient: [PERSON_1]", "MRN: [ID_1]"), so no stand-ins.
   */
  clinical: ClinicalInput | null;
}

export function simulateCompletion(
  request: ChatRequest,
  hash: string,
  options: CompletionOptions = {},
): ChatCompletion | OpenAiError {
  const stand = placeholders();
  const reading = readConversation(
    // Stand-ins hold no quote or backslash: swapping them inside the JSON keeps it valid.
    request.messages.map((message) => JSON.parse(stand.read(JSON.stringify(message))) as typeof message),
  );
  const injections: ReadonlySet<Injection> = options.obeyInjections ? readInjections(reading) : new Set();
  const toCall = toolsToCall(request, injections.has('no-tools'));
  if (!Array.isArray(toCall)) return toCall;
  const clinical = isClinicalRequest(request) ? readClinicalInput(readConversation(request.messages)) : null;
  const understood: Understanding = { reading, facts: readFacts(reading), injections, clinical };

  let content: string | null = null;
  let toolCalls: ChatCompletionMessageFunctionToolCall[] = toCall.map((tool, i) => ({
    id: `call_${derivedId(hash, `${i}:${tool.function.name}`)}`,
    type: 'function',
    function: {
      name: tool.function.name,
      arguments: JSON.stringify(
        answer(tool.function.parameters, understood, 'tool-arguments', { tool: tool.function.name }),
      ),
    },
  }));
  if (toolCalls.length === 0) content = replyContent(request, understood);
  content = content === null ? null : stand.restore(content);
  toolCalls = toolCalls.map((call) => ({
    ...call,
    function: { ...call.function, arguments: stand.restore(call.function.arguments) },
  }));
  if (options.malformed) {
    content = content === null ? null : halve(content);
    toolCalls = toolCalls.map((call) => ({
      ...call,
      function: { ...call.function, arguments: halve(call.function.arguments) },
    }));
  }

  const prompt = promptTokens(request);
  const reasoning = reasoningTokens(request, prompt);
  let visible = outputTokens({ content, toolCalls: toolCalls.map((call) => call.function) });
  let finishReason: 'stop' | 'tool_calls' | 'length' | 'content_filter' =
    toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const limit = request.max_completion_tokens ?? request.max_tokens ?? Infinity;
  if (visible + reasoning > limit) {
    // Cut off like a real model at its token budget: the reasoning is spent first, then the visible text.
    content = truncateToTokens(
      content ?? toolCalls.map((call) => call.function.arguments).join(''),
      limit - reasoning,
    );
    toolCalls = [];
    visible = Math.min(outputTokens({ content, toolCalls: [] }), Math.max(0, limit - reasoning));
    finishReason = 'length';
  }

  if (options.stop && content !== null) {
    content = truncateToTokens(content, Math.max(1, Math.floor(visible / 2)));
    visible = outputTokens({ content, toolCalls: [] });
    toolCalls = [];
    finishReason = options.stop as typeof finishReason;
  }
  const reasoningBilled = Math.min(reasoning, limit);
  return {
    id: `chatcmpl-sim-${hash.slice(0, 24)}`,
    object: 'chat.completion',
    created: CREATED,
    model: answeringModel(request.model),
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant',
          content,
          refusal: null,
          annotations: [],
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {}),
        },
        finish_reason: finishReason,
        logprobs: request.logprobs
          ? { content: contentLogprobs(request, understood, content), refusal: null }
          : null,
      },
    ],
    usage: {
      prompt_tokens: prompt,
      completion_tokens: visible + reasoningBilled,
      total_tokens: prompt + visible + reasoningBilled,
      prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
      completion_tokens_details: {
        reasoning_tokens: reasoningBilled,
        audio_tokens: 0,
        accepted_prediction_tokens: 0,
        rejected_prediction_tokens: 0,
      },
    },
    system_fingerprint: 'docket-simulator',
  };
}

/**
 * With `tool_choice` auto (the default), every offered tool is called once, on the first turn only:
 * once tool results are in the conversation the model answers; told to skip tools, it answers at once.
 * `required` always calls, `none` never, and a named function is the only one called.
 */
function toolsToCall(request: ChatRequest, skipTools: boolean): ToolSpec[] | OpenAiError {
  const tools = request.tools ?? [];
  const choice = request.tool_choice ?? 'auto';
  if (typeof choice === 'object') {
    const named = tools.filter((tool) => tool.function.name === choice.function.name);
    if (named.length > 0) return named;
    return openAiError(
      400,
      'invalid_request_error',
      `Invalid value for 'tool_choice': no function named '${choice.function.name}' is in 'tools'.`,
      'tool_choice',
      'invalid_value',
    );
  }
  if (tools.length === 0 || choice === 'none') return [];
  if (choice === 'required') return tools;
  if (skipTools) return [];
  return request.messages.some((message) => message.role === 'tool') ? [] : tools;
}

function replyContent(request: ChatRequest, understood: Understanding): string {
  const { reading, facts } = understood;
  const format = request.response_format;
  if (format?.type === 'json_schema')
    return JSON.stringify(
      answer(format.json_schema.schema, understood, 'answer', { output: format.json_schema.name }),
    );
  const words = reading.text.split(/\s+/).filter(Boolean).length;
  const text =
    'Simulated reply from docket-simulator, an offline stand-in for OpenAI that answers structured-output and ' +
    `tool requests. It read ${reading.userMessages} user message(s), ${words} words; ` +
    `matter type ${facts.matterType.value ?? 'unknown'}, jurisdiction ${facts.jurisdiction.value ?? 'unknown'}.`;
  return format?.type === 'json_object' ? JSON.stringify({ reply: text }) : text;
}

/** The tool's arguments or the answer (`target` says which), filled from what the request's kind of agent reads. */
function answer(
  schema: JsonSchema | undefined,
  understood: Understanding,
  filling: Filling,
  target: ClinicalTarget,
): unknown {
  const { reading, facts, injections, clinical } = understood;
  const root = schema ?? EMPTY_OBJECT;
  const clinicalAnswer = clinical ? answerClinically(clinical, target) : null;
  let advisor: FieldAdvisor = clinicalAnswer
    ? new ClinicalAdvisor(clinicalAnswer)
    : new DocketAdvisor(reading, facts, Object.keys(root.properties ?? {}));
  if (injections.size > 0) advisor = new ObedientAdvisor(advisor, injections, filling);
  return fillSchema(root, advisor);
}

/** With `logprobs: true`: the content's tokens, the chosen enum values as sure as the simulator is of them. */
function contentLogprobs(request: ChatRequest, understood: Understanding, content: string | null) {
  if (content === null) return null;
  const format = request.response_format;
  const schema = format?.type === 'json_schema' ? format.json_schema.schema : undefined;
  const { reading, facts, clinical } = understood;
  const clinicalAnswer =
    clinical && format?.type === 'json_schema'
      ? answerClinically(clinical, { output: format.json_schema.name })
      : null;
  if (clinicalAnswer)
    return answerLogprobs(content, schema, clinicalAnswer.certainty, request.top_logprobs ?? 0);
  const evidence = readToolEvidence(reading.toolResults);
  const rootKeys = Object.keys(schema?.properties ?? {});
  return answerLogprobs(
    content,
    schema,
    (path) => choiceCertainty(path, reading, facts, evidence, rootKeys),
    request.top_logprobs ?? 0,
  );
}

function halve(text: string): string {
  return text.slice(0, Math.floor(text.length / 2));
}
