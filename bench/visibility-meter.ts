/**
 * Timing and metering of Temporal visibility calls for the review-queue benchmark: how long a request
 * took, how many count/list calls it made, and how many the server refused for its rate limit.
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/**
 * What visibility was asked, counted across the run: calls made through the metered clients, and answers
 * refused by the server's visibility rate limit (RESOURCE_EXHAUSTED; the SDK retries them after ~1.7 s).
 */
export interface Meter {
  calls: number;
  throttled: number;
}

/** gRPC status code of a rate-limited call. */
const RESOURCE_EXHAUSTED = 8;

/** A connection with the SDK's default retries that counts the rate-limited answers it retries. */
export function meteredConnection(address: string, meter: Meter): Promise<Connection> {
  const retry = defaultGrpcRetryOptions();
  const retryableDecider: typeof retry.retryableDecider = (attempt, status) => {
    if (status.code === RESOURCE_EXHAUSTED) meter.throttled++;
    return retry.retryableDecider(attempt, status);
  };
  return Connection.connect({
    address,
    interceptors: [makeGrpcRetryInterceptor({ ...retry, retryableDecider })],
  });
}

/** Counts the visibility calls (count, list) made through `client`. */
export function meterVisibilityCalls(client: Client, meter: Meter): Client {
  const { workflow } = client;
  const count = workflow.count.bind(workflow);
  const list = workflow.list.bind(workflow);
  workflow.count = (query) => (meter.calls++, count(query));
  workflow.list = (options) => (meter.calls++, list(options));
  return client;
}

export interface Timing {
  p50: number;
  p95: number;
  /** Visibility calls per request. */
  calls: number;
  /** Rate-limited visibility answers over all timed requests. */
  throttled: number;
}

/** One warm-up call, then `repeat` timed ones, one at a time, `pauseMs` apart. */
export async function timed(
  options: { repeat: number; pauseMs: number; meter: Meter },
  call: () => Promise<unknown>,
): Promise<Timing> {
  const { repeat, pauseMs, meter } = options;
  await call();
  const before = { ...meter };
  const ms: number[] = [];
  for (let i = 0; i < repeat; i++) {
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
    const start = performance.now();
    await call();
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  return {
    p50: percentile(ms, 50),
    p95: percentile(ms, 95),
    calls: (meter.calls - before.calls) / repeat,
    throttled: meter.throttled - before.throttled,
  };
}
