import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Request, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import type { ApiMetrics } from './api';

/**
 * Times every request into `docket_http_request_duration_seconds`, labelled with the route pattern that
 * matched (`/v1/reviews/:workflowId/decision`), never the URL, which holds ids; `unmatched` when no route
 * did (404s, and requests refused before routing).
 */
export function httpMetrics(metrics: ApiMetrics): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    const route = capturedRoute(req);
    res.once('finish', () => {
      metrics.httpRequest({
        method: req.method,
        route: route.pattern ?? 'unmatched',
        status: res.statusCode,
        seconds: (performance.now() - started) / 1000,
      });
    });
    next();
  };
}

/**
 * The route pattern with its router's mount path, taken when the router dispatches to the route
 * (it assigns `req.route`): by the time the response ends, an error may have left the router and reset
 * `req.baseUrl`, so reading both then would drop the mount path.
 */
function capturedRoute(req: Request): { pattern: string | null } {
  const captured: { pattern: string | null } = { pattern: null };
  let route: unknown = req.route;
  Object.defineProperty(req, 'route', {
    configurable: true,
    enumerable: true,
    get: () => route,
    set(value: unknown) {
      route = value;
      const path = (value as { path?: unknown } | undefined)?.path;
      if (typeof path === 'string') captured.pattern = `${req.baseUrl}${path}`;
    },
  });
  return captured;
}

/** `GET /metrics` for express: the registry in the Prometheus text format. */
export function metricsHandler(registry: Registry): RequestHandler {
  return async (_req, res) => {
    const text = await registry.metrics();
    res.setHeader('Content-Type', registry.contentType);
    res.setHeader('Cache-Control', 'no-store');
    res.send(text);
  };
}

export interface MetricsServer {
  /** `http://host:port/metrics` */
  url: string;
  close(): Promise<void>;
}

/** A small HTTP server answering `GET /metrics` from `registry` (the worker's Docket metrics). */
export async function serveMetrics(registry: Registry, bindAddress: string): Promise<MetricsServer> {
  const { host, port } = splitBindAddress(bindAddress);
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics' || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found: try GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => res.writeHead(200, { 'Content-Type': registry.contentType }).end(text),
      (err: unknown) =>
        res.writeHead(500, { 'Content-Type': 'text/plain' }).end(`metrics failed: ${String(err)}\n`),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shownHost}:${address.port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** `127.0.0.1:9465`, `0.0.0.0:9465`, `[::1]:9465` → host and port. */
export function splitBindAddress(bindAddress: string): { host: string; port: number } {
  const match = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(bindAddress);
  if (!match) throw new RangeError(`not a host:port bind address: ${bindAddress}`);
  return { host: match[1], port: Number(match[2]) };
}
