/** Serving the API on a free port for a test file, and calling it over real HTTP with fetch. */
import type { AddressInfo } from 'node:net';
import type { Client } from '@temporalio/client';
import { createApp } from '../../api';
import { createLogger, type DocketConfig } from '../../config';
import type { Database } from '../../db';
import type { WorkflowRegistry } from '../../domain';
import { workflowRegistry } from '../../workflows/registry';

/** Answers are JSON read loosely: the assertions say what shape they expect. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

export interface ApiAnswer<T = Json> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  /** Plaintext API key sent as `Authorization: Bearer <key>`. */
  key?: string;
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** Sent as is (with whatever `headers` say). */
  raw?: string;
  headers?: Record<string, string>;
}

export interface RunningApi {
  url: string;
  call<T = Json>(method: string, path: string, options?: CallOptions): Promise<ApiAnswer<T>>;
  close(): Promise<void>;
}

/** Builds the app over `client` and listens on port 0 (loopback). */
export async function serveApi(
  config: DocketConfig,
  client: Client,
  db: Database,
  workflows: WorkflowRegistry = workflowRegistry,
): Promise<RunningApi> {
  const app = createApp({
    config,
    client,
    db,
    workflows,
    logger: createLogger(config, { process: 'api-test' }),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    async call(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.key !== undefined) headers.authorization = `Bearer ${options.key}`;
      let body: string | undefined = options.raw;
      if (options.json !== undefined) {
        headers['content-type'] ??= 'application/json';
        body = JSON.stringify(options.json);
      }
      const response = await fetch(`${url}${path}`, { method, headers, body });
      const text = await response.text();
      let parsed: unknown = text;
      if ((response.headers.get('content-type') ?? '').includes('application/json'))
        parsed = JSON.parse(text);
      return { status: response.status, headers: response.headers, body: parsed as Json };
    },
    close() {
      return new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}

/** Polls `fn` until `done` holds; fails with the last value seen. */
export async function pollUntil<T>(
  fn: () => Promise<T>,
  done: (value: T) => boolean,
  { timeoutMs = 30_000, intervalMs = 200 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await fn();
    if (done(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  throw new Error(
    `condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)?.slice(0, 2000)}`,
  );
}

let counter = 0;

/** A fresh externalId per call, so tests never share a workflow. */
export function uniqueExternalId(label: string): string {
  counter += 1;
  return `api-${label}-${process.pid}-${Date.now()}-${counter}`;
}

/** A run's REST status, polled (as an operator) until `done` says it is the one wanted. */
export async function statusWhen(
  api: RunningApi,
  operatorKey: string,
  workflowId: string,
  done: (body: Json) => boolean,
): Promise<Json> {
  const answer = await pollUntil(
    () => api.call('GET', `/v1/workflows/${workflowId}`, { key: operatorKey }),
    (res) => res.status === 200 && done(res.body),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  expect(answer.status).toBe(200);
  return answer.body;
}
