import type { Client } from '@temporalio/client';
import { Router } from 'express';
import { ApiError } from '../errors';

/** How long readiness waits for Temporal before answering 503. */
const READY_TIMEOUT_MS = 2_000;

/** Liveness (the process answers) and readiness (Temporal answers); no authentication. */
export function healthRoutes({ client }: { client: Client }): Router {
  const router = Router();

  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });

  router.get('/readyz', async (_req, res) => {
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        client.withDeadline(Date.now() + READY_TIMEOUT_MS, () => client.workflowService.getSystemInfo({})),
        new Promise((_resolve, reject) => {
          timer = setTimeout(
            () => reject(new Error('Temporal did not answer in time')),
            READY_TIMEOUT_MS + 250,
          );
        }),
      ]);
    } catch (err) {
      res.locals.log.warn({ err }, 'not ready: Temporal is unreachable');
      throw new ApiError(503, 'unavailable', 'not ready: Temporal is unreachable');
    } finally {
      clearTimeout(timer);
    }
    res.json({ ok: true });
  });

  return router;
}
