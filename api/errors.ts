import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { z } from 'zod';
import { QueryTimeoutError, RunNotFoundError, isTemporalUnavailable } from '../client';

/** Error codes the API answers with; clients branch on these, never on message text. */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'unknown_workflow_type'
  | 'method_not_allowed'
  | 'no_pending_review'
  | 'review_not_pending'
  | 'workflow_running'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'unavailable'
  | 'internal';

/** One offending field: where it is (zod path) and what is wrong with it. */
export interface IssueDetail {
  path: Array<string | number>;
  message: string;
  code: string;
}

/** An error the API means to answer with: status, code and a message safe to show a client. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** 400 `invalid_request` naming every offending field; `prefix` roots the paths (e.g. `corrections`). */
export function invalidRequest(
  error: z.ZodError,
  message = 'the request is invalid',
  prefix: string[] = [],
): ApiError {
  return new ApiError(400, 'invalid_request', message, issueDetails(error, prefix));
}

/** Zod issues as field details; an unknown-keys issue becomes one detail per unknown key, so each is named. */
export function issueDetails(error: z.ZodError, prefix: string[] = []): IssueDetail[] {
  return error.issues.flatMap((issue): IssueDetail[] => {
    const path = [...prefix, ...issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p))];
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: [...path, key], message: 'unknown field', code: issue.code }));
    }
    return [{ path, message: issue.message, code: issue.code }];
  });
}

/** Parses with a zod schema or throws a 400 that names the fields. */
export function parseOr400<T extends z.ZodType>(schema: T, input: unknown, message?: string): z.output<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw invalidRequest(parsed.error, message);
  return parsed.data;
}

export const notFoundHandler: RequestHandler = (req) => {
  throw new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`);
};

/** body-parser's error types, mapped to Docket's codes. */
const BODY_ERRORS: Record<string, [number, ErrorCode, string]> = {
  'entity.parse.failed': [400, 'invalid_json', 'the request body is not valid JSON'],
  'entity.too.large': [413, 'payload_too_large', 'the request body is too large'],
  'encoding.unsupported': [415, 'unsupported_media_type', 'the request body encoding is not supported'],
  'charset.unsupported': [415, 'unsupported_media_type', 'the request body charset is not supported'],
  'request.aborted': [400, 'invalid_request', 'the request was aborted'],
  'request.size.invalid': [400, 'invalid_request', 'the request body does not match its Content-Length'],
};

/**
 * The one error middleware: everything becomes `{ error: { code, message, details? } }`.
 * Unexpected errors are logged with the request id and answered with a generic 500.
 */
export const errorHandler: ErrorRequestHandler = (thrown: unknown, _req, res, next) => {
  if (res.headersSent) return next(thrown);
  const err = fromClient(thrown) ?? thrown;
  const apiError = toApiError(err);
  if (apiError.code === 'internal') res.locals.log.error({ err }, 'request failed');
  else if (apiError.status >= 500 && !(err instanceof ApiError))
    res.locals.log.warn({ err }, 'request failed');
  const details = apiError.code === 'internal' ? { requestId: res.locals.requestId } : apiError.details;
  const body: { error: { code: ErrorCode; message: string; details?: unknown } } = {
    error: { code: apiError.code, message: apiError.message },
  };
  if (details !== undefined) body.error.details = details;
  res.status(apiError.status).json(body);
};

/** client/'s errors that are answers, not faults: no run of that id, no worker answered in time. */
function fromClient(err: unknown): ApiError | undefined {
  if (err instanceof RunNotFoundError) return new ApiError(404, 'not_found', err.message);
  if (err instanceof QueryTimeoutError) return new ApiError(503, 'unavailable', err.message);
  return undefined;
}

function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && BODY_ERRORS[type]) {
    const [status, code, message] = BODY_ERRORS[type];
    return new ApiError(status, code, message);
  }
  if (isUndecodablePath(err)) {
    return new ApiError(
      400,
      'invalid_request',
      'the request path is not valid percent-encoding: every % must start an escape of UTF-8 bytes (%XX)',
    );
  }
  // Temporal did not answer (connection down, deadline passed): a retryable 503, not a 500.
  if (isTemporalUnavailable(err))
    return new ApiError(503, 'unavailable', 'Temporal is unavailable; try again');
  return new ApiError(500, 'internal', 'internal error');
}

/**
 * Express's router decodes path parameters with decodeURIComponent before any handler runs; on a bad
 * escape (`%E0%A4%A`) it passes on the URIError with `status` 400, which is the client's mistake, not ours.
 */
function isUndecodablePath(err: unknown): boolean {
  return err instanceof URIError && (err as { status?: unknown }).status === 400;
}
