import { z } from 'zod';
import { FaultPlan } from '../config';
import { openAiError, type OpenAiError } from './protocol';

/**
 * Failures the simulator can serve instead of an answer:
 * '429' rate limit (with retry-after headers), '500' server error, '400' a rejected request,
 * 'timeout' no answer at all (the client gives up), 'malformed' a 200 whose JSON is cut short,
 * 'truncated' an answer cut off at the token limit (finish_reason length), 'content_filter' an answer
 * stopped by the provider's content filter (finish_reason content_filter). The last two only by queue.
 */
export const FaultKind = z.enum(['429', '500', '400', 'timeout', 'malformed', 'truncated', 'content_filter']);
export type FaultKind = z.infer<typeof FaultKind>;

/**
 * Decides which chat request fails and how: first a script of queued faults (for tests that need a
 * particular failure next), then the plan's probabilities, drawn from a generator seeded by the plan
 * and advanced exactly once per request, so a run with the same seed serves the same sequence.
 */
export class FaultInjector {
  private plan: FaultPlan;
  private random: () => number;
  private readonly queue: FaultKind[] = [];
  private readonly served = Object.fromEntries(FaultKind.options.map((kind) => [kind, 0])) as Record<
    FaultKind,
    number
  >;

  constructor(plan: FaultPlan) {
    this.plan = plan;
    this.random = mulberry32(plan.seed);
  }

  /** Changes rates; a new seed restarts the sequence. */
  update(patch: Partial<FaultPlan>): void {
    this.plan = FaultPlan.parse({ ...this.plan, ...patch });
    if (patch.seed !== undefined) this.random = mulberry32(this.plan.seed);
  }

  enqueue(faults: readonly FaultKind[]): void {
    this.queue.push(...faults);
  }

  /** The fault for the next chat request, or null for a normal answer. */
  next(): FaultKind | null {
    const draw = this.random();
    const fault = this.queue.shift() ?? this.drawn(draw);
    if (fault) this.served[fault] += 1;
    return fault;
  }

  retryAfterMs(): number {
    return this.plan.retryAfterMs;
  }

  servedCounts(): Record<string, number> {
    return { ...this.served };
  }

  private drawn(draw: number): FaultKind | null {
    const { rate429, rate500, rateTimeout, rateMalformed } = this.plan;
    let threshold = 0;
    for (const [kind, rate] of [
      ['429', rate429],
      ['500', rate500],
      ['timeout', rateTimeout],
      ['malformed', rateMalformed],
    ] as const) {
      threshold += rate;
      if (draw < threshold) return kind;
    }
    return null;
  }
}

/** The error a fault answers with, headers included; null for faults that are not an error response. */
export function faultResponse(
  fault: FaultKind,
  retryAfterMs: number,
): (OpenAiError & { headers: Record<string, string> }) | null {
  switch (fault) {
    case '429':
      return {
        ...openAiError(
          429,
          'rate_limit_exceeded',
          `Rate limit reached (simulated by docket-simulator). Please try again in ${retryAfterMs}ms.`,
          null,
          'rate_limit_exceeded',
        ),
        headers: {
          'retry-after-ms': String(retryAfterMs),
          'retry-after': String(Math.ceil(retryAfterMs / 1000)),
        },
      };
    case '500':
      return {
        ...openAiError(
          500,
          'server_error',
          'The server had an error while processing your request (simulated by docket-simulator).',
        ),
        headers: {},
      };
    case '400':
      return {
        ...openAiError(
          400,
          'invalid_request_error',
          'Invalid request (simulated by docket-simulator).',
          null,
          'simulated_fault',
        ),
        headers: {},
      };
    default:
      return null;
  }
}

/** A small, fast, seedable PRNG (public domain, Tommy Ettinger): enough for reproducible fault draws. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
