import OpenAI from 'openai';
import { ContentFilterFinishReasonError, LengthFinishReasonError } from 'openai/core/error';
import type { ModelUsage } from '../conversation';

/**
 * Docket's model errors. The gateway turns every provider error into one of these, and the model
 * activity turns these into Temporal failures; nothing else looks at a provider's error classes.
 */
export abstract class ModelError extends Error {
  /** Whether the same request can succeed later (rate limits, outages, a bad sample). */
  abstract readonly retryable: boolean;
  /** The tier's models passed over before this failure, and why (set by the gateway; the message names them too). */
  fallbacks?: NonNullable<ModelUsage['fallbacks']>;
  /**
   * What the answer that could not be used still cost (cut off by the output limit or the content filter):
   * the provider bills it, so the run counts it. Set by the gateway; absent when no answer came back.
   */
  usage?: ModelUsage;
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** 429: retry after the provider's delay. */
export class ModelRateLimitError extends ModelError {
  readonly retryable = true;
  constructor(
    message: string,
    readonly retryAfterMs: number | undefined,
  ) {
    super(message, 429);
  }
}

/** 5xx, timeouts and connection failures: the provider may answer next time. */
export class ModelUnavailableError extends ModelError {
  readonly retryable = true;
}

/** 400, 401, 403, 404, 422: the request itself is wrong (bad key, unknown model, schema rejected). */
export class ModelRequestRejectedError extends ModelError {
  readonly retryable = false;
}

/** The model answered but not with what the schema promises (invalid JSON, mismatch): resample. */
export class ModelOutputInvalidError extends ModelError {
  readonly retryable = true;
}

/** The answer hit the token limit or the content filter: the same request will end the same way. */
export class ModelOutputTruncatedError extends ModelError {
  readonly retryable = false;
}

/**
 * 404 `model_not_found` (Azure: `DeploymentNotFound`): the model was retired or never existed here. The
 * gateway moves on to the tier's next model; on the last one, the request can never succeed.
 */
export class ModelRetiredError extends ModelRequestRejectedError {
  constructor(message: string) {
    super(message, 404);
  }
}

/**
 * The request does not fit the model's context window with room for the answer: counted before sending
 * (the model is then not called) or answered 400 `context_length_exceeded`. Resending it cannot help.
 */
export class ModelContextWindowError extends ModelRequestRejectedError {}

/**
 * The call was not made: counted before sending, its prompt and its expected answer would cost more than
 * the workflow has left of its budget (`budget.perWorkflowUsd`). A person decides whether to spend more.
 */
export class ModelBudgetExceededError extends ModelError {
  readonly retryable = false;
  constructor(
    message: string,
    readonly estimateUsd: number,
  ) {
    super(message);
  }
}

/** Provider error codes that say the model is not there (any more). */
const RETIRED_CODES = new Set(['model_not_found', 'DeploymentNotFound']);

/**
 * Maps provider and parsing errors to Docket's classes. Messages name the failure, never the content:
 * a JSON or schema error can quote model output, which quotes the intake.
 */
export function toModelError(err: unknown, outputName: string): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof LengthFinishReasonError) {
    return new ModelOutputTruncatedError(`the ${outputName} hit the output token limit`);
  }
  if (err instanceof ContentFilterFinishReasonError) {
    return new ModelOutputTruncatedError(`the ${outputName} was stopped by the provider's content filter`);
  }
  if (err instanceof OpenAI.APIConnectionTimeoutError)
    return new ModelUnavailableError('the model provider timed out');
  if (err instanceof OpenAI.APIConnectionError)
    return new ModelUnavailableError('cannot reach the model provider');
  if (err instanceof OpenAI.RateLimitError) {
    return new ModelRateLimitError('the model provider is rate limiting', retryAfterMs(err.headers));
  }
  if (err instanceof OpenAI.APIError) {
    const status = err.status ?? 0;
    const code = typeof err.code === 'string' ? err.code : null;
    const what = `the model provider answered ${status || 'an error'}${code ? ` (${code})` : ''}`;
    if (status === 404 && code && RETIRED_CODES.has(code)) return new ModelRetiredError(what);
    if (status === 400 && code === 'context_length_exceeded')
      return new ModelContextWindowError(what, status);
    if (status === 408 || status === 409 || status >= 500 || status === 0)
      return new ModelUnavailableError(what, status);
    return new ModelRequestRejectedError(what, status);
  }
  // JSON syntax and schema mismatches surface from the SDK's parse step as SyntaxError or ZodError.
  const name = err instanceof Error ? err.name : typeof err;
  return new ModelOutputInvalidError(`the model's ${outputName} did not parse (${name})`);
}

function retryAfterMs(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const seconds = Number(headers?.get('retry-after'));
  if (Number.isFinite(seconds) && seconds > 0) return seconds * 1000;
  return undefined;
}
