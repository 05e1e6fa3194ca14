import type { Client } from '@temporalio/client';
import { Router } from 'express';
import type { z } from 'zod';
import { legalIntakeSettings, startLegalIntake } from '../../client';
import type { ApiRole, DocketConfig } from '../../config';
import { IntakeRequest, legalIntakeWorkflowId } from '../../domain';
import { reidentifyValue, type PersonalDataStore } from '../../personal-data';
import { requireRole } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import {
  WorkflowIdParams,
  type ErasureResponse,
  type StartResponse,
  type WorkflowStatusResponse,
} from '../schemas';
import { coarseStatus, describeLegalIntake, readStatus } from '../status-reader';

/**
 * Starting legal intakes (operators), reading any workflow's status (operators and reviewers, each the
 * view their role is entitled to) and erasing a client's personal data (admins).
 */
export function workflowRoutes({
  config,
  client,
  personal,
}: {
  config: DocketConfig;
  client: Client;
  personal: PersonalDataStore;
}): Router {
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
      const started = await startLegalIntake({ client, config, personal }, intake);
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
    const status = await readStatus(client, workflowId);
    const role = (res.locals.caller as { role: ApiRole }).role;
    res.json(
      role === 'reviewer'
        ? reidentifyValue(status, await personal.loadMapping(workflowId))
        : operatorView(status),
    );
  });

  router.delete('/v1/workflows/:workflowId/personal-data', requireRole(keys, 'admin'), async (req, res) => {
    const { workflowId } = parseOr400(WorkflowIdParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    const description = await describeLegalIntake(client, workflowId);
    if (description.status.name === 'RUNNING' || description.status.name === 'PAUSED') {
      // A running workflow still needs the intake and the mapping: its tools and its filing re-identify.
      throw new ApiError(
        409,
        'workflow_running',
        `${workflowId} is still running: reject or finish it (or terminate it) first, then erase`,
      );
    }
    const erased = await personal.erase(workflowId, (res.locals.caller as { name: string }).name);
    res.locals.log.info(erased, 'personal data erased');
    const answer: ErasureResponse = erased;
    res.json(answer);
  });

  return router;
}

/**
 * What an operator sees: status, stage, results and usage, with tokens where identities were, and without
 * the directory rows the client lookup returned (other clients of the firm are none of the intake's business).
 */
function operatorView(status: WorkflowStatusResponse): WorkflowStatusResponse {
  return { ...status, results: { ...status.results, clientLookup: null } };
}
