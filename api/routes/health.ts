import { Router } from 'express';
import { temporalAnswers, type Client } from '../../client';
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
    try {
      await temporalAnswers(client, READY_TIMEOUT_MS);
    } catch (err) {
      res.locals.log.warn({ err }, 'not ready: Temporal is unreachable');
      throw new ApiError(503, 'unavailable', 'not ready: Temporal is unreachable');
    }
    res.json({ ok: true });
  });

  return router;
}
