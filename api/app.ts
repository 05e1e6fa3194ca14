import express from 'express';
import { reviewsPendingFromVisibility, type Client } from '../client';
import type { DocketConfig, Logger } from '../config';
import { Sealer } from '../codec';
import type { Database } from '../db';
import type { WorkflowRegistry } from '../domain';
import { createApiMetrics, httpMetrics, metricsHandler } from '../metrics';
import { PersonalDataStore } from '../personal-data';
import { errorHandler, notFoundHandler } from './errors';
import { allowedMethods } from './allowed-methods';
import { buildOpenApi } from './openapi';
import { requestContext } from './request-context';
import { reviewPageRoutes } from './review-page';
import { auditRoutes } from './routes/audit';
import { codecRoutes } from './routes/codec';
import { healthRoutes } from './routes/health';
import { reviewRoutes } from './routes/reviews';
import { unknownWorkflowTypeRoute, workflowRoutes } from './routes/workflows';

export interface AppDeps {
  config: DocketConfig;
  /** A connected Temporal client; the app never closes it. */
  client: Client;
  logger: Logger;
  /** Docket's database: the sealed raw intakes and mappings, and the audit trail. */
  db: Database;
  /** The workflow types the API starts and reads (workflows/registry.ts in a deployment). */
  workflows: WorkflowRegistry;
}

/** The REST API as an express app, not listening: `api/main.ts` serves it, tests listen on port 0. */
export function createApp({ config, client, logger, db, workflows }: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  const openapi = buildOpenApi(workflows);
  // Docket's API metrics, served at GET /metrics (no key: Prometheus scrapers carry none).
  const metrics = createApiMetrics({
    reviewsPending: reviewsPendingFromVisibility(client, {
      taskQueue: config.temporal.taskQueue,
      types: workflows.definitions.map((d) => ({
        workflowType: d.workflowType,
        workflow: d.restName,
        stages: Object.keys(d.reviewStages),
      })),
    }),
    logger,
  });

  app.use(httpMetrics(metrics));
  app.use(requestContext(logger));
  app.use(unknownWorkflowTypeRoute({ config, workflows }));
  app.use(allowedMethods(openapi.paths as Record<string, object>));
  app.use('/v1', (_req, res, next) => {
    // Status answers change from one moment to the next and may hold client data.
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  app.use(healthRoutes({ client }));
  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  if (config.metrics.api.enabled) app.get('/metrics', metricsHandler(metrics.registry));
  const personal = new PersonalDataStore(db, new Sealer(config.encryption.keys));
  app.use(workflowRoutes({ config, client, personal, workflows }));
  app.use(reviewRoutes({ config, client, personal, metrics, workflows }));
  app.use(auditRoutes({ config, client, db, workflows }));
  app.use(reviewPageRoutes());
  app.use(codecRoutes({ config }));
  app.use(notFoundHandler);
  app.use(errorHandler);
  return app;
}
