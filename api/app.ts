import type { Client } from '@temporalio/client';
import express from 'express';
import type { DocketConfig, Logger } from '../config';
import type { Queryable } from '../db';
import { errorHandler, notFoundHandler } from './errors';
import { buildOpenApi } from './openapi';
import { requestContext } from './request-context';
import { reviewPageRoutes } from './review-page';
import { auditRoutes } from './routes/audit';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { reviewRoutes } from './routes/reviews';
import { workflowRoutes } from './routes/workflows';

export interface AppDeps {
  config: DocketConfig;
  /** A connected Temporal client; the app never closes it. */
  client: Client;
  logger: Logger;
  /** Docket's database, for the audit trail route; without it that route is not served. */
  db?: Queryable;
}

/** The REST API as an express app, not listening: `api/main.ts` serves it, tests listen on port 0. */
export function createApp({ config, client, logger, db }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const openapi = buildOpenApi();

  app.use(requestContext(logger));
  app.use('/v1', (_req, res, next) => {
    // Status answers change from one moment to the next and may hold client data.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRoutes({ client }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  app.use(workflowRoutes({ config, client }));
  app.use(reviewRoutes({ config, client }));
  if (db) app.use(auditRoutes({ config, client, db }));
  app.use(reviewPageRoutes());
  app.use(codecRoutes({ config }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
