/** The metric contract and the pieces that expose it, without Temporal: names, labels, routes, caching. */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createLogger, loadConfig } from '../../config';
import { workflowRegistry } from '../../workflows/registry';
import {
  API_METRICS,
  WORKER_METRICS,
  createApiMetrics,
  createWorkerMetrics,
  httpMetrics,
  labelValue,
  metricsHandler,
  serveMetrics,
  splitBindAddress,
} from '../../metrics';

const silent = () =>
  createLogger(loadConfig({ env: {}, overrides: { logging: { level: 'silent' } } }), { process: 'test' });

describe('the metric contract (DESIGN.md "Metrics")', () => {
  it('keeps every name and label set exactly', () => {
    const contract = Object.fromEntries(
      [...Object.values(WORKER_METRICS), ...Object.values(API_METRICS)].map((m) => [
        m.name,
        [...m.labelNames],
      ]),
    );
    // Series about runs also carry `workflow`, the type's REST name.
    expect(contract).toEqual({
      docket_model_calls_total: ['workflow', 'agent', 'model', 'outcome'],
      docket_model_tokens_total: ['workflow', 'agent', 'model', 'type'],
      docket_model_cost_usd_total: ['workflow', 'agent', 'model'],
      docket_model_latency_seconds: ['workflow', 'agent', 'model'],
      docket_gate_results_total: ['workflow', 'stage', 'result', 'reason'],
      docket_reviews_pending: ['workflow', 'stage'],
      docket_review_decision_seconds: ['workflow'],
      docket_workflows_total: ['workflow', 'status'],
      docket_http_request_duration_seconds: ['method', 'route', 'status'],
    });
  });

  it('publishes codes as label values and anything that looks like text as other', () => {
    expect(labelValue('gpt-4o-mini-2024-07-18')).toBe('gpt-4o-mini-2024-07-18');
    expect(labelValue('/v1/reviews/:workflowId/decision')).toBe('/v1/reviews/:workflowId/decision');
    expect(labelValue('Jordan Reyes')).toBe('other');
    expect(labelValue('a'.repeat(81))).toBe('other');
    expect(labelValue('')).toBe('other');
  });

  it('counts fractions of a dollar and every token type of a call', async () => {
    const metrics = createWorkerMetrics({
      processMetrics: false,
      workflows: workflowRegistry,
    });
    const usage = {
      inputTokens: 100,
      cachedTokens: 0,
      outputTokens: 20,
      reasoningTokens: 5,
      costUsd: 0.000123,
    };
    const call = { workflowType: 'legalIntake', agent: 'classifier', model: 'm-1' };
    metrics.modelCall({ ...call, outcome: 'ok', latencySeconds: 0.4, usage });
    metrics.modelCall({ ...call, outcome: 'error', latencySeconds: 2 });
    metrics.modelCall({ ...call, workflowType: 'somethingElse', outcome: 'ok', latencySeconds: 1 });
    const text = await metrics.registry.metrics();
    const labels = 'workflow="legal-intake",agent="classifier",model="m-1"';
    expect(text).toContain(`docket_model_calls_total{${labels},outcome="ok"} 1`);
    expect(text).toContain(`docket_model_calls_total{${labels},outcome="error"} 1`);
    expect(text).toContain(`docket_model_cost_usd_total{${labels}} 0.000123`);
    expect(text).toContain(`docket_model_tokens_total{${labels},type="cached"} 0`);
    expect(text).toContain(`docket_model_latency_seconds_count{${labels}} 2`);
    // A type the worker does not know of is counted, as unknown.
    expect(text).toContain(
      'docket_model_calls_total{workflow="unknown",agent="classifier",model="m-1",outcome="ok"} 1',
    );
  });
});

describe('the API side', () => {
  it('labels requests with the route pattern (mount path included), unmatched when none matched', async () => {
    const metrics = createApiMetrics({
      reviewsPending: async () => [],
      logger: silent(),
      processMetrics: false,
    });
    const app = express();
    app.use(httpMetrics(metrics));
    const router = express.Router();
    router.get('/things/:id', (_req, res) => {
      res.json({ ok: true });
    });
    router.get('/things/:id/broken', async () => {
      throw new Error('broken');
    });
    app.use('/v2', router);
    app.get('/metrics', metricsHandler(metrics.registry));
    app.use((_err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      res.status(500).json({ error: 'broken' });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      expect((await fetch(`${url}/v2/things/legal-intake-secret-42`)).status).toBe(200);
      expect((await fetch(`${url}/v2/things/legal-intake-secret-42/broken`)).status).toBe(500);
      expect((await fetch(`${url}/nowhere/legal-intake-secret-42`)).status).toBe(404);
      const scrape = await fetch(`${url}/metrics`);
      expect(scrape.headers.get('content-type')).toBe(metrics.registry.contentType);
      const text = await scrape.text();
      expect(text).toContain('route="/v2/things/:id",status="200"');
      expect(text).toContain('route="/v2/things/:id/broken",status="500"');
      expect(text).toContain('route="unmatched",status="404"');
      expect(text).not.toContain('secret-42');
    } finally {
      server.close();
      server.closeAllConnections();
    }
  });

  it('times a decision from request to decision once, however often an idempotent retry answers it', async () => {
    const metrics = createApiMetrics({
      reviewsPending: async () => [],
      logger: silent(),
      processMetrics: false,
    });
    const record = {
      id: 'classify-1',
      requestedAt: '2026-01-01T10:00:00.000Z',
      decidedAt: '2026-01-01T10:30:00.000Z',
    };
    const run = { workflowId: 'legal-intake-a', workflow: 'legal-intake' };
    metrics.reviewDecided(run, record);
    metrics.reviewDecided(run, record);
    const text = await metrics.registry.metrics();
    expect(text).toContain('docket_review_decision_seconds_count{workflow="legal-intake"} 1');
    expect(text).toContain('docket_review_decision_seconds_sum{workflow="legal-intake"} 1800');
    expect(text).toContain('docket_review_decision_seconds_bucket{le="1800",workflow="legal-intake"} 1');
  });

  it('reads pending reviews at scrape time, at most once per cache period, and survives a failed read', async () => {
    let reads = 0;
    const metrics = createApiMetrics({
      reviewsPending: async () => {
        reads += 1;
        return [
          { workflow: 'legal-intake', stage: 'classify', count: 3 },
          { workflow: 'legal-intake', stage: 'reason', count: 0 },
        ];
      },
      reviewsPendingCacheMs: 60_000,
      logger: silent(),
      processMetrics: false,
    });
    expect(await metrics.registry.metrics()).toContain(
      'docket_reviews_pending{workflow="legal-intake",stage="classify"} 3',
    );
    await metrics.registry.metrics();
    expect(reads).toBe(1);

    const failing = createApiMetrics({
      reviewsPending: async () => {
        throw new Error('visibility is down');
      },
      logger: silent(),
      processMetrics: false,
    });
    await expect(failing.registry.metrics()).resolves.toContain(
      '# TYPE docket_http_request_duration_seconds',
    );
  });
});

describe('the worker side', () => {
  it('serves GET /metrics on the bind address and nothing else', async () => {
    const metrics = createWorkerMetrics({ processMetrics: false });
    metrics.workflowEnd('legalIntake', 'completed');
    metrics.gateResult('legalIntake', 'classify', 'escalated', 'low_confidence');
    const server = await serveMetrics(metrics.registry, '127.0.0.1:0');
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/metrics$/);
      const text = await (await fetch(server.url)).text();
      // Without the registry, the Temporal type is the label.
      expect(text).toContain('docket_workflows_total{workflow="legalIntake",status="completed"} 1');
      expect(text).toContain(
        'docket_gate_results_total{workflow="legalIntake",stage="classify",result="escalated",reason="low_confidence"} 1',
      );
      expect((await fetch(server.url.replace('/metrics', '/'))).status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('reads bind addresses as host and port', () => {
    expect(splitBindAddress('127.0.0.1:9465')).toEqual({ host: '127.0.0.1', port: 9465 });
    expect(splitBindAddress('[::1]:9465')).toEqual({ host: '::1', port: 9465 });
    expect(() => splitBindAddress('9465')).toThrow(/host:port/);
  });

  it('has default endpoints in config, overridable from the environment, and null switches one off', () => {
    const defaults = loadConfig({ env: {} }).metrics;
    expect(defaults).toEqual({
      worker: { temporalBindAddress: '127.0.0.1:9464', docketBindAddress: '127.0.0.1:9465' },
      api: { enabled: true },
    });
    const fromEnv = loadConfig({
      env: {
        DOCKET_TEMPORAL_METRICS_ADDRESS: '0.0.0.0:19464',
        DOCKET_WORKER_METRICS_ADDRESS: '0.0.0.0:19465',
      },
    }).metrics.worker;
    expect(fromEnv).toEqual({ temporalBindAddress: '0.0.0.0:19464', docketBindAddress: '0.0.0.0:19465' });
    const off = loadConfig({ env: {}, overrides: { metrics: { worker: { docketBindAddress: null } } } });
    expect(off.metrics.worker.docketBindAddress).toBeNull();
    expect(() => loadConfig({ env: { DOCKET_WORKER_METRICS_ADDRESS: 'nine-four-six-five' } })).toThrow(
      /metrics\.worker\.docketBindAddress \(from DOCKET_WORKER_METRICS_ADDRESS\)/,
    );
  });
});
