import { openAiError, type ChatRequest, type OpenAiError } from './protocol';
import { isReasoningModel } from './tokens';

/** What GET /v1/models lists. Chat requests accept any model name; these are the ones Docket's config uses. */
const MODELS: ReadonlyArray<{ id: string; created: number }> = [
  { id: 'gpt-4o-mini-2024-07-18', created: 1721172717 },
  { id: 'o1-2024-12-17', created: 1734326976 },
  { id: 'gpt-4o-2024-08-06', created: 1722814719 },
  { id: 'gpt-4o-mini', created: 1721172741 },
  { id: 'o1', created: 1734375816 },
  { id: 'gpt-4o', created: 1715367049 },
];

export interface ModelObject {
  id: string;
  object: 'model';
  created: number;
  owned_by: 'docket-simulator';
}

export function listModels(): ModelObject[] {
  return MODELS.map(({ id, created }) => ({ id, object: 'model', created, owned_by: 'docket-simulator' }));
}

export function findModel(id: string): ModelObject | undefined {
  return listModels().find((model) => model.id === id);
}

/** How the simulator names itself in `model`: no one mistakes its answers for a real model's. */
export function answeringModel(requested: string): string {
  return `simulator:${requested}`;
}

/**
 * Parameters OpenAI rejects for a model family, rejected here too, so a gateway bug shows up
 * offline rather than on the first real call: reasoning models take neither temperature nor
 * max_tokens; other models take no reasoning_effort.
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
