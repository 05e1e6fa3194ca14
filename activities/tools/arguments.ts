import { ApplicationFailure } from '@temporalio/activity';
import type { z } from 'zod';
import { INVALID_TOOL_ARGUMENTS } from '../../agents';

/**
 * Validates what a model sent. Tool arguments come from a model and may be junk; junk is the model's
 * mistake, not the workflow's, so it must neither fail the workflow nor be retried: a non-retryable
 * ApplicationFailure of type InvalidToolArguments, which the agent loop turns into an error message for
 * the model's next turn. The message names fields and rules only, never the values (they may be personal
 * data, and failure messages are not covered by the payload codec).
 */
export function parseToolArgs<S extends z.ZodType>(tool: string, schema: S, args: unknown): z.infer<S> {
  const parsed = schema.safeParse(args);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(arguments)'}: ${issue.message}`)
    .join('; ');
  throw invalidToolArguments(tool, issues);
}

/** For rules beyond the schema (a date that does not exist, too many parties). */
export function invalidToolArguments(tool: string, reason: string): ApplicationFailure {
  return ApplicationFailure.nonRetryable(`${tool}: invalid arguments: ${reason}`, INVALID_TOOL_ARGUMENTS);
}
