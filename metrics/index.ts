/**
 * Docket's Prometheus metrics: definitions written once (names are a contract, DESIGN.md "Metrics"),
 * a registry per process (worker, API), and their HTTP exposure.
 */
export {
  API_METRICS,
  WORKER_METRICS,
  labelValue,
  type DocketMetricsSinks,
  type GateOutcome,
  type ModelCallOutcome,
  type TokenType,
  type WorkflowEnd,
} from './definitions';
export { createWorkerMetrics, metricsSinks } from './worker';
export type { ModelCallObservation, WorkerMetrics, WorkerMetricsOptions } from './worker';
export { createApiMetrics } from './api';
export type { ApiMetrics, ApiMetricsOptions, ReviewsPendingReader } from './api';
export { httpMetrics, metricsHandler, serveMetrics, splitBindAddress } from './http';
export type { MetricsServer } from './http';
