import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { z } from 'zod';
import { legalIntakeSettings, startLegalIntake } from '../../client';
import type { DocketConfig } from '../../config';
import { IntakeRequest, legalIntakeWorkflowId } from '../../domain';
import { requireRole } from '../auth';
import { parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import { WorkflowIdParams, type StartResponse } from '../schemas';
import { coarseStatus, describeLegalIntake, readStatus } from '../status-reader';

/** Starting legal intakes (operators) and reading any workflow's status (operators and reviewers). */
export function workflowRoutes({ config, client }: { config: DocketConfig; client: Client }): Router {
  const router = Router();
  const keys = config.api.keys;
  // A config the intake cannot run with stops the API at start, not at the first intake.
  legalIntakeSettings(config);

  router.post(
    '/v1/workflows/legal-intake',
    requireRole(keys, 'operator'),
    ...jsonBody(config.api.bodyLimit),
    async (req, res) => {
      const intake = parseOr400(IntakeRequest, req.body, 'the intake is invalid');
      const workflowId = legalIntakeWorkflowId(intake.externalId);
      res.locals.workflowId = workflowId;
      res.setHeader('Location', `/v1/workflows/${workflowId}`);
      const started = await startLegalIntake(client, config, intake);
      let answer: z.infer<typeof StartResponse> = { workflowId, runId: started.runId, status: 'running' };
      if (!started.created) {
        // Same externalId again (or concurrently): the existing run, as it stands now.
        const description = await describeLegalIntake(client, workflowId);
        answer = { workflowId, runId: description.runId, status: coarseStatus(description) };
      }
      res.status(started.created ? 202 : 200);
      res.json(answer);
    },
  );

  router.get('/v1/workflows/:workflowId', requireRole(keys, 'operator', 'reviewer'), async (req, res) => {
    const { workflowId } = parseOr400(WorkflowIdParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    res.json(await readStatus(client, workflowId));
  });

  return router;
}
