import { Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Logger } from '../config';
import { API_METRICS, labelValue } from './definitions';

/** How many reviews wait, per workflow type and stage; read at scrape time (see client/reviews-pending.ts). */
export type ReviewsPendingReader = () => Promise<Array<{ workflow: string; stage: string; count: number }>>;

/** Docket's metrics in an API process, in a registry of their own (one per app). */
export interface ApiMetrics {
  readonly registry: Registry;
  httpRequest(request: { method: string; route: string; status: number; seconds: number }): void;
  /**
   * A decision the API recorded. An Idempotency-Key retry answers with the same record: it is counted
   * once (per process).
   */
  reviewDecided(
    run: { workflowId: string; workflow: string },
    record: { id: string; requestedAt: string; decidedAt: string },
  ): void;
}

export interface ApiMetricsOptions {
  reviewsPending: ReviewsPendingReader;
  logger: Logger;
  /** Scrapes within this long of the last visibility read reuse its counts; default 10 s. */
  reviewsPendingCacheMs?: number;
  /** Node process metrics (memory, CPU, event loop, GC) beside Docket's; default true. */
  processMetrics?: boolean;
}

/** Decisions remembered against double counting: enough for any retry window. */
const REMEMBERED_DECISIONS = 1_000;

export function createApiMetrics(options: ApiMetricsOptions): ApiMetrics {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const readPending = cached(options.reviewsPending, options.reviewsPendingCacheMs ?? 10_000);
  const log = options.logger.child({ component: 'metrics' });

  new Gauge({
    ...API_METRICS.reviewsPending,
    registers,
    async collect() {
      try {
        const counts = await readPending();
        for (const { workflow, stage, count } of counts) {
          this.set({ workflow: labelValue(workflow), stage: labelValue(stage) }, count);
        }
      } catch (err) {
        // A scrape still answers (the other metrics, the last counts): visibility may be down for a while.
        log.warn({ err }, 'cannot count pending reviews');
      }
    },
  });
  const decisions = new Histogram({ ...API_METRICS.reviewDecision, registers });
  const http = new Histogram({ ...API_METRICS.httpDuration, registers });
  const decided = new Set<string>();

  return {
    registry,
    httpRequest({ method, route, status, seconds }) {
      http.observe({ method: labelValue(method), route: labelValue(route), status: String(status) }, seconds);
    },
    reviewDecided({ workflowId, workflow }, record) {
      const key = `${workflowId}\n${record.id}\n${record.decidedAt}`;
      if (decided.has(key)) return;
      decided.add(key);
      if (decided.size > REMEMBERED_DECISIONS) decided.delete(decided.values().next().value as string);
      const seconds = (Date.parse(record.decidedAt) - Date.parse(record.requestedAt)) / 1000;
      if (Number.isFinite(seconds))
        decisions.observe({ workflow: labelValue(workflow) }, Math.max(0, seconds));
    },
  };
}

/** `read`, called at most once per `ttlMs`; concurrent callers share one read, a failed read is not kept. */
function cached<T>(read: () => Promise<T>, ttlMs: number): () => Promise<T> {
  let last: { at: number; value: Promise<T> } | null = null;
  return () => {
    const now = performance.now();
    if (last && now - last.at < ttlMs) return last.value;
    const value = read();
    const entry = { at: now, value };
    last = entry;
    value.catch(() => {
      if (last === entry) last = null;
    });
    return value;
  };
}
