import { ApplicationFailure } from '@temporalio/activity';

/** Failure type of an activity input or result over `worker.maxPayloadBytes`: final, never retried. */
export const PAYLOAD_TOO_LARGE = 'PayloadTooLarge';

/**
 * An activity whose input and result may weigh at most `maxBytes` (as JSON). Temporal refuses payloads
 * over 2 MB and a workflow task that carries one fails again and again (TMPRL1103); a cap well below that,
 * checked in the activity, ends the call with a clear non-retryable error instead. The message names the
 * activity and the sizes, never the content.
 */
export function capped<Input, Result>(
  name: string,
  maxBytes: number,
  activity: (input: Input) => Promise<Result>,
): (input: Input) => Promise<Result> {
  return async (input) => {
    check(name, 'input', input, maxBytes);
    const result = await activity(input);
    check(name, 'result', result, maxBytes);
    return result;
  };
}

function check(name: string, what: 'input' | 'result', value: unknown, maxBytes: number): void {
  const bytes = value === undefined ? 0 : Buffer.byteLength(JSON.stringify(value), 'utf8');
  if (bytes > maxBytes) {
    throw ApplicationFailure.nonRetryable(
      `${name}: its ${what} is ${bytes} bytes, over the ${maxBytes}-byte cap (worker.maxPayloadBytes)`,
      PAYLOAD_TOO_LARGE,
    );
  }
}
