/**
 * A real webhook receiver for tests: a node:http server on loopback that checks each delivery's signature
 * as a customer's receiver would, and can answer the first requests of every event with an error.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyDocketSignature } from '../../activities';

export interface ReceivedDelivery {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** What the receiver answered. */
  status: number;
  /** The signature checked out against the route's secret. */
  verified: boolean;
}

export interface RouteOptions {
  secret: string;
  /** Answer this many requests of each event id with `failStatus` before taking it. */
  failFirst?: number;
  failStatus?: number;
}

export interface WebhookReceiver {
  /** Registers a path and returns its URL. */
  route(path: string, options: RouteOptions): string;
  deliveries(path?: string): ReceivedDelivery[];
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const routes = new Map<string, RouteOptions>();
  const received: ReceivedDelivery[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const route = routes.get(path);
      const eventId = req.headers['docket-event-id'];
      const earlier = received.filter(
        (d) => d.path === path && d.headers['docket-event-id'] === eventId,
      ).length;
      const signature = req.headers['docket-signature'];
      const verified =
        route !== undefined &&
        verifyDocketSignature(typeof signature === 'string' ? signature : undefined, body, route.secret);
      const status = !route ? 404 : earlier < (route.failFirst ?? 0) ? (route.failStatus ?? 503) : 204;
      received.push({ path, headers: req.headers, body, status, verified });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    route(path, options) {
      routes.set(path, options);
      return `http://127.0.0.1:${port}${path}`;
    },
    deliveries: (path) => received.filter((d) => path === undefined || d.path === path),
    close: () =>
      new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections(); // fetch keeps connections alive
      }),
  };
}
