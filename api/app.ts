import type { Client } from '@temporalio/client';
import express from 'express';
import type { DocketConfig, Logger } from '../config';
import { errorHandler, notFoundHandler } from './errors';
import { buildOpenApi } from './openapi';
import { requestContext } from './request-context';
import { reviewPageRoutes } from './review-page';
import { healthRoutes } from './routes/health';
import { reviewRoutes } from './routes/reviews';
import { workflowRoutes } from './routes/workflows';

export interface AppDeps {
  config: DocketConfig;
  /** A connected Temporal client; the app never closes it. */
  client: Client;
  logger: Logger;
}

/** The REST API as an express app, not listening: `api/main.ts` serves it, tests listen on port 0. */
export function createApp({ config, client, logger }: AppDeps): express.Express {
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
  app.use(reviewPageRoutes());
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
