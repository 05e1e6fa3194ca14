/**
 * Both Prometheus endpoints after a real run: two intakes through the REST API (one runs to a filed
 * case, one escalates and is decided through the API), then the worker's endpoints (the Temporal SDK's
 * and Docket's) and the API's `/metrics` are scraped over HTTP. Every series DESIGN.md names is there,
 * with the value the run's own status implies, and no label carries an id or a name.
 */
import { createLogger, loadConfig } from '../../config';
import {
  API_METRICS,
  WORKER_METRICS,
  createWorkerMetrics,
  serveMetrics,
  type MetricsServer,
  type WorkerMetrics,
} from '../../metrics';
import { installTemporalLogging } from '../../worker';
import { workflowRegistry } from '../../workflows/registry';
import { pollUntil, serveApi, uniqueExternalId, type RunningApi } from '../api/http';
import { exampleIntake, type ExampleName } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { freePort } from '../../scripts/free-port';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The Prometheus text format, read line by line: `name{label="value",...} value`. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+-?\d+)?$/.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[key] = value.replace(/\\(.)/g, (_m, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1], labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

function series(samples: Sample[], name: string): Sample[] {
  return samples.filter((s) => s.name === name);
}

async function scrape(url: string): Promise<{ contentType: string; samples: Sample[] }> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return {
    contentType: response.headers.get('content-type') ?? '',
    samples: parseExposition(await response.text()),
  };
}

/** Adds one to `counts[key]`. */
function bump(counts: Map<string, number>, key: string, by = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + by);
}

let stack: TestStack;
let api: RunningApi;
let workerMetrics: WorkerMetrics;
let docketEndpoint: MetricsServer;
let temporalEndpoint: string;

beforeAll(async () => {
  // The SDK's runtime is one per process and must be installed with its Prometheus exporter before the
  // stack connects (the stack's own install then finds it in place).
  const port = await freePort();
  const logger = createLogger(loadConfig({ env: {}, overrides: { logging: { level: 'warn' } } }), {
    process: 'metrics-test',
  });
  installTemporalLogging(logger, { metricsBindAddress: `127.0.0.1:${port}` });
  temporalEndpoint = `http://127.0.0.1:${port}/metrics`;
  workerMetrics = createWorkerMetrics({ workflows: workflowRegistry });
  docketEndpoint = await serveMetrics(workerMetrics.registry, '127.0.0.1:0');
  stack = await startTestStack({ workerMetrics });
  api = await serveApi(stack.config, stack.client, stack.db);
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
  await docketEndpoint?.close();
});

it('serves every named series with the values the run implies, on the worker and on the API', async () => {
  const start = async (name: ExampleName) => {
    const externalId = uniqueExternalId(`metrics-${name}`);
    const started = await api.call('POST', '/v1/workflows/legal-intake', {
      key: stack.keys.operator,
      json: { ...exampleIntake(name), externalId },
    });
    expect(started.status).toBe(202);
    return { externalId, workflowId: started.body.workflowId as string };
  };
  const status = async (workflowId: string) =>
    (await api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator })).body;

  const clear = await start('clear-personal-injury');
  const vague = await start('ambiguous');
  const runs = [clear, vague];

  // The clear one runs to a filed case; the vague one waits for a person.
  const cleared = await pollUntil(
    () => status(clear.workflowId),
    (s) => s.closedAt !== null || s.status === 'awaiting_review',
    { timeoutMs: 45_000 },
  );
  expect(cleared.status).toBe('completed');
  const waiting = await pollUntil(
    () => status(vague.workflowId),
    (s) => s.status === 'awaiting_review',
    { timeoutMs: 45_000 },
  );
  await pollUntil(
    () => api.call('GET', '/v1/reviews?status=open', { key: stack.keys.reviewer }),
    (res) =>
      res.status === 200 &&
      res.body.items.some((i: { workflowId: string }) => i.workflowId === vague.workflowId),
  );

  // Waiting: counted per stage from visibility.
  const pendingScrape = await scrape(`${api.url}/metrics`);
  const pending = series(pendingScrape.samples, API_METRICS.reviewsPending.name);
  expect(pending.map((s) => s.labels.stage).sort()).toEqual(
    ['classify', 'draft', 'file', 'reason', 'extractor', 'reasoner', 'drafter'].sort(),
  );
  for (const sample of pending)
    expect(sample.value).toBe(sample.labels.stage === waiting.review.stage ? 1 : 0);

  // Every review the vague intake opens is decided through the API, as a reviewer would.
  let decisions = 0;
  for (;;) {
    const now = await pollUntil(
      () => status(vague.workflowId),
      (s) => s.closedAt !== null || s.status === 'awaiting_review',
      { timeoutMs: 45_000 },
    );
    if (now.status !== 'awaiting_review') break;
    const approve = now.review.allowed.includes('approve');
    const decided = await api.call('POST', `/v1/reviews/${vague.workflowId}/decision`, {
      key: stack.keys.reviewer,
      json: approve
        ? { reviewId: now.review.id, decision: 'approve' }
        : { reviewId: now.review.id, decision: 'reject', comment: 'nothing to file' },
    });
    expect(decided.status).toBe(200);
    decisions += 1;
  }
  expect(decisions).toBeGreaterThan(0);
  expect((await api.call('GET', '/v1/no-such-route')).status).toBe(404);

  const finals = await Promise.all(runs.map((run) => status(run.workflowId)));
  for (const final of finals) expect(['completed', 'rejected']).toContain(final.status);

  // ── The worker, Docket's endpoint ──
  const docket = await scrape(docketEndpoint.url);
  expect(docket.contentType).toContain('text/plain');
  for (const { name } of Object.values(WORKER_METRICS)) {
    const present = docket.samples.some((s) => s.name === name || s.name.startsWith(`${name}_`));
    expect({ name, present }).toEqual({ name, present: true });
  }
  const calls = new Map<string, number>();
  const tokens = new Map<string, number>();
  const cost = new Map<string, number>();
  for (const final of finals) {
    for (const call of final.usage.calls as Array<Record<string, number & string>>) {
      const key = `${call.agent}|${call.model}`;
      bump(calls, key);
      bump(tokens, `${key}|input`, call.inputTokens);
      bump(tokens, `${key}|output`, call.outputTokens);
      bump(tokens, `${key}|reasoning`, call.reasoningTokens);
      bump(cost, key, call.costUsd);
    }
  }
  expect([...calls.keys()].map((k) => k.split('|')[0]).sort()).toEqual(
    expect.arrayContaining(['classifier', 'drafter', 'reasoner']),
  );
  for (const [key, n] of calls) {
    const [agent, model] = key.split('|');
    const answered =
      total(docket.samples, WORKER_METRICS.modelCalls.name, { agent, model, outcome: 'ok' }) +
      total(docket.samples, WORKER_METRICS.modelCalls.name, { agent, model, outcome: 'refused' });
    expect({ key, answered }).toEqual({ key, answered: n });
    expect(total(docket.samples, `${WORKER_METRICS.modelLatency.name}_count`, { agent, model })).toBe(n);
    for (const type of ['input', 'output', 'reasoning']) {
      expect({
        key,
        type,
        tokens: total(docket.samples, WORKER_METRICS.modelTokens.name, { agent, model, type }),
      }).toEqual({ key, type, tokens: tokens.get(`${key}|${type}`) });
    }
    expect(
      series(docket.samples, WORKER_METRICS.modelTokens.name).some((s) => s.labels.type === 'cached'),
    ).toBe(true);
    expect(total(docket.samples, WORKER_METRICS.modelCost.name, { agent, model })).toBeCloseTo(
      cost.get(key)!,
      6,
    );
  }
  // No fault was injected: no call failed.
  expect(total(docket.samples, WORKER_METRICS.modelCalls.name, { outcome: 'error' })).toBe(0);

  const gates = new Map<string, number>();
  for (const final of finals) {
    for (const [stage, gate] of Object.entries(
      final.results.gates as Record<string, null | { passed: boolean; reasons: { code: string }[] }>,
    )) {
      if (!gate) continue;
      bump(gates, gate.passed ? `${stage}|passed|none` : `${stage}|escalated|${gate.reasons[0].code}`);
    }
  }
  expect([...gates.keys()].some((k) => k.includes('|escalated|'))).toBe(true);
  const counted = new Map(
    series(docket.samples, WORKER_METRICS.gateResults.name).map((s) => [
      `${s.labels.stage}|${s.labels.result}|${s.labels.reason}`,
      s.value,
    ]),
  );
  expect(counted).toEqual(gates);

  for (const end of ['completed', 'rejected', 'failed']) {
    const expected = finals.filter((f) => f.status === end).length;
    expect({ end, n: total(docket.samples, WORKER_METRICS.workflows.name, { status: end }) }).toEqual({
      end,
      n: expected,
    });
  }
  expect(docket.samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);
  // Series about runs carry the run's type by its REST name (DESIGN.md "Metrics").
  const aboutRuns = Object.values(WORKER_METRICS).map((m) => m.name);
  const labelled = docket.samples.filter((s) => aboutRuns.some((name) => s.name.startsWith(name)));
  expect(labelled.length).toBeGreaterThan(0);
  expect(new Set(labelled.map((s) => s.labels.workflow))).toEqual(new Set(['legal-intake']));

  // ── The worker, the Temporal SDK's endpoint ──
  const temporal = await pollUntil(
    () => scrape(temporalEndpoint),
    (t) =>
      total(t.samples, 'temporal_workflow_completed', { task_queue: stack.config.temporal.taskQueue }) >= 2,
  );
  expect(
    temporal.samples.every((s) => s.name.startsWith('temporal_') || s.name.startsWith('target_info')),
  ).toBe(true);
  // Docket's names are served by Docket's endpoint only.
  expect(temporal.samples.some((s) => s.name.startsWith('docket_'))).toBe(false);

  // ── The API ──
  const apiScrape = await scrape(`${api.url}/metrics`);
  expect(apiScrape.contentType).toContain('text/plain');
  const http = API_METRICS.httpDuration.name;
  const requests = (method: string, route: string, code: string) =>
    total(apiScrape.samples, `${http}_count`, { method, route, status: code });
  expect(requests('POST', '/v1/workflows/legal-intake', '202')).toBe(2);
  expect(requests('GET', '/v1/workflows/:workflowId', '200')).toBeGreaterThan(0);
  expect(requests('POST', '/v1/reviews/:workflowId/decision', '200')).toBe(decisions);
  expect(requests('GET', '/v1/reviews', '200')).toBeGreaterThan(0);
  expect(requests('GET', 'unmatched', '404')).toBe(1);
  expect(requests('GET', '/metrics', '200')).toBeGreaterThan(0);
  expect(total(apiScrape.samples, `${API_METRICS.reviewDecision.name}_count`)).toBe(decisions);
  expect(total(apiScrape.samples, `${API_METRICS.reviewDecision.name}_sum`)).toBeGreaterThanOrEqual(0);
  // One series per review stage of the registered types: legal intake's four, the clinical summary's three.
  expect(series(apiScrape.samples, API_METRICS.reviewsPending.name).length).toBe(7);
  // Pending reviews are counted for every registered type; decisions only for the type that had them.
  expect(
    new Set(series(apiScrape.samples, API_METRICS.reviewsPending.name).map((s) => s.labels.workflow)),
  ).toEqual(new Set(['legal-intake', 'clinical-summary']));
  expect(
    new Set(
      series(apiScrape.samples, `${API_METRICS.reviewDecision.name}_count`).map((s) => s.labels.workflow),
    ),
  ).toEqual(new Set(['legal-intake']));
  expect(apiScrape.samples.some((s) => s.name === 'process_resident_memory_bytes')).toBe(true);

  // ── No label value anywhere names a workflow, an intake or a person ──
  const forbidden = [
    ...runs.flatMap((r) => [r.workflowId, r.externalId]),
    'Jordan',
    'Reyes',
    'jordan.reyes@example.com',
    'Bayview',
  ];
  const labelValues = [docket, temporal, pendingScrape, apiScrape].flatMap((s) =>
    s.samples.flatMap((sample) => Object.values(sample.labels)),
  );
  expect(labelValues.length).toBeGreaterThan(100);
  const leaks = labelValues.filter((value) =>
    forbidden.some((f) => value.toLowerCase().includes(f.toLowerCase())),
  );
  expect(leaks).toEqual([]);
  // Routes are patterns: no label holds a concrete workflow id.
  expect(labelValues.filter((value) => /legal-intake-/.test(value))).toEqual([]);
}, 150_000);
