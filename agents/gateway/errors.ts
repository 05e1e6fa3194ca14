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
