import { openAiError, type ChatRequest, type OpenAiError } from './protocol';
import { isReasoningModel } from './tokens';

/**
 * What GET /v1/models lists. Chat requests accept any model name; these are the ones Docket's config uses
 * (every model `temporal.config.json` ships, and their aliases). `created` is OpenAI's where known, else the
 * snapshot's date at 00:00 UTC.
 */
const MODELS: ReadonlyArray<{ id: string; created: number }> = [
  { id: 'gpt-4o-mini-2024-07-18', created: 1721172717 },
  { id: 'o1-2024-12-17', created: 1734326976 },
  { id: 'gpt-4o-2024-08-06', created: 1722814719 },
  { id: 'o3-mini-2025-01-31', created: 1738010200 },
  { id: 'gpt-4.1-mini-2025-04-14', created: 1744588800 },
  { id: 'gpt-4.1-nano-2025-04-14', created: 1744588800 },
  { id: 'o3-2025-04-16', created: 1744761600 },
  { id: 'o4-mini-2025-04-16', created: 1744761600 },
  { id: 'gpt-4.1-2025-04-14', created: 1744588800 },
  { id: 'gpt-4o-2024-11-20', created: 1732060800 },
  { id: 'gpt-4o-mini', created: 1721172741 },
  { id: 'o1', created: 1734375816 },
  { id: 'gpt-4o', created: 1715367049 },
  { id: 'o3-mini', created: 1737146383 },
  { id: 'gpt-4.1-mini', created: 1744588800 },
  { id: 'gpt-4.1-nano', created: 1744588800 },
  { id: 'o3', created: 1744761600 },
  { id: 'o4-mini', created: 1744761600 },
  { id: 'gpt-4.1', created: 1744588800 },
];

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'docket-simulator';
}

/** The models it stands in for, less the ones retired (`retiredModels`). */
export function listModels(retired: ReadonlySet<string> = new Set()): ModelObject[] {
  return MODELS.filter(({ id }) => !retired.has(id)).map(({ id, created }) => ({
    id,
    object: 'model',
    created,
    owned_by: 'docket-simulator',
  }));
}

export function findModel(id: string, retired: ReadonlySet<string> = new Set()): ModelObject | undefined {
  return listModels(retired).find((model) => model.id === id);
}

/** OpenAI's answer to a chat request for a model that was retired (or never existed): 404 `model_not_found`. */
export function modelNotFound(model: string): OpenAiError {
  return openAiError(
    404,
    'invalid_request_error',
    `The model \`${model}\` does not exist or you do not have access to it.`,
    null,
    'model_not_found',
  );
}

/** How the simulator names itself in `model`: no one mistakes its answers for a real model's. */
export function answeringModel(requested: string): string {
  return `simulator:${requested}`;
}

/**
 * Parameters OpenAI rejects for a model family, rejected here too, so a gateway bug shows up offline
 * rather than on the first real call: reasoning models (o1, o3, o4-mini, o3-mini) take neither temperature
 * nor max_tokens nor logprobs; other models take no reasoning_effort.
 */
export function unsupportedParameter(request: ChatRequest): OpenAiError | null {
  const reasoning = isReasoningModel(request.model);
  if (
    reasoning &&
    request.temperature !== undefined &&
    request.temperature !== null &&
    request.temperature !== 1
  ) {
    return unsupported(
      'temperature',
      `Unsupported value: 'temperature' does not support ${request.temperature} with this model. Only the default (1) value is supported.`,
      'unsupported_value',
    );
  }
  if (reasoning && request.max_tokens !== undefined && request.max_tokens !== null) {
    return unsupported(
      'max_tokens',
      "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
    );
  }
  for (const param of ['logprobs', 'top_logprobs'] as const) {
    const value = request[param];
    if (reasoning && value !== undefined && value !== null && value !== false) {
      return unsupported(param, `Unsupported parameter: '${param}' is not supported with this model.`);
    }
  }
  if (!reasoning && request.reasoning_effort !== undefined && request.reasoning_effort !== null) {
    return unsupported(
      'reasoning_effort',
      "Unsupported parameter: 'reasoning_effort' is not supported with this model.",
    );
  }
  return null;
}

function unsupported(param: string, message: string, code = 'unsupported_parameter'): OpenAiError {
  return openAiError(400, 'invalid_request_error', message, param, code);
}
