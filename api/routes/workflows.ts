import { Router, type RequestHandler } from 'express';
import type { z } from 'zod';
import {
  coarseStatus,
  describeRun,
  readStatus,
  startWorkflowRun,
  type Client,
  type RunStatus,
} from '../../client';
import type { DocketConfig } from '../../config';
import { workflowIdOf, type WorkflowRegistry } from '../../domain';
import { reidentifyValue, type PersonalDataStore } from '../../personal-data';
import {
  accessibleTypes,
  checkKeyScopes,
  mayAccess,
  requireRole,
  requireRunAccess,
  type Caller,
} from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import { StartQuery, workflowIdParams, type ErasureResponse, type StartResponse } from '../schemas';

/**
 * Starting runs of any registered workflow type (operators), reading any run's status (operators and
 * reviewers, each the view their role is entitled to) and erasing a run's personal data (admins); each only
 * for the types the caller's key may see.
 */
export function workflowRoutes({
  config,
  client,
  personal,
  workflows,
}: {
  config: DocketConfig;
  client: Client;
  personal: PersonalDataStore;
  workflows: WorkflowRegistry;
}): Router {
  const router = Router();
  const idParams = workflowIdParams(workflows);
  const keys = config.api.keys;
  // A config a type cannot run with stops the API at start, not at its first run.
  workflows.checkTypeConfig(config.workflows);
  checkKeyScopes(keys, workflows);
  for (const definition of workflows.definitions) definition.settings(config);

  for (const definition of workflows.definitions) {
    router.post(
      `/v1/workflows/${definition.restName}`,
      requireRole(keys, 'operator'),
      // Before the body is read: a type the key may not start is, to it, a type that does not exist.
      (_req, res, next) => {
        const caller = res.locals.caller!;
        if (!mayAccess(caller, definition.restName))
          throw unknownWorkflowType(definition.restName, caller, workflows);
        next();
      },
      ...jsonBody(config.api.bodyLimit),
      async (req, res) => {
        const { lane } = parseOr400(StartQuery, req.query, 'the query is invalid');
        const body = parseOr400(definition.body, req.body, `the ${definition.restName} body is invalid`);
        const workflowId = workflowIdOf(definition, body.externalId);
        res.locals.workflowId = workflowId;
        res.setHeader('Location', `/v1/workflows/${workflowId}`);
        const started = await startWorkflowRun({ client, config, personal }, definition, body, { lane });
        let answer: z.infer<typeof StartResponse> = { workflowId, runId: started.runId, status: 'running' };
        if (!started.created) {
          // Same externalId again (or concurrently): the existing run, as it stands now.
          const { description } = await describeRun(client, workflows, workflowId);
          answer = { workflowId, runId: description.runId, status: coarseStatus(description) };
        }
        res.status(started.created ? 202 : 200);
        res.json(answer);
      },
    );
  }

  router.get('/v1/workflows/:workflowId', requireRole(keys, 'operator', 'reviewer'), async (req, res) => {
    const { workflowId } = parseOr400(idParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    const caller = res.locals.caller!;
    requireRunAccess(caller, workflows, workflowId);
    const status = await readStatus(client, workflows, workflowId);
    res.json(
      caller.role === 'reviewer'
        ? reidentifyValue(status, await personal.loadMapping(workflowId))
        : operatorView(workflows, status),
    );
  });

  router.delete('/v1/workflows/:workflowId/personal-data', requireRole(keys, 'admin'), async (req, res) => {
    const { workflowId } = parseOr400(idParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    const caller = res.locals.caller!;
    requireRunAccess(caller, workflows, workflowId);
    const { description } = await describeRun(client, workflows, workflowId);
    if (description.status.name === 'RUNNING' || description.status.name === 'PAUSED') {
      // A running workflow still needs the intake and the mapping: its tools and its filing re-identify.
      throw new ApiError(
        409,
        'workflow_running',
        `${workflowId} is still running: reject or finish it (or terminate it) first, then erase`,
      );
    }
    const erased = await personal.erase(workflowId, caller.name);
    res.locals.log.info(erased, 'personal data erased');
    const answer: ErasureResponse = erased;
    res.json(answer);
  });

  return router;
}

/**
 * `POST /v1/workflows/<type>` for a type nobody registered: 404 `unknown_workflow_type`, naming the registered
 * types the operator's key may start. Mounted before the document's method check, which would take the path
 * for a workflow id's (`GET /v1/workflows/{workflowId}`) and answer 405. A plain middleware, not a route, so
 * Express answers no other method (OPTIONS) for the path on its behalf.
 */
export function unknownWorkflowTypeRoute({
  config,
  workflows,
}: {
  config: DocketConfig;
  workflows: WorkflowRegistry;
}): RequestHandler {
  const operator = requireRole(config.api.keys, 'operator');
  return (req, res, next) => {
    const type = req.method === 'POST' ? /^\/v1\/workflows\/([^/]+)\/?$/.exec(req.path)?.[1] : undefined;
    if (type === undefined || workflows.byRestName(type)) return next();
    operator(req, res, () => next(unknownWorkflowType(type, res.locals.caller!, workflows)));
  };
}

/**
 * 404 `unknown_workflow_type` for `type`, listing what the caller may start: the same answer for a type
 * nobody registered and for one the caller's key is not limited to, so a key learns of no type beyond its own.
 */
function unknownWorkflowType(type: string, caller: Caller, workflows: WorkflowRegistry): ApiError {
  const registered = accessibleTypes(caller, workflows).map((definition) => definition.restName);
  const message = `no workflow type ${type}; registered: ${registered.join(', ')}`;
  return new ApiError(404, 'unknown_workflow_type', message, { registered });
}

/**
 * What an operator sees: status, stage, results and usage, with tokens where identities were, less what the
 * run's type keeps from operators (legal intake: the directory rows its client lookup returned).
 */
function operatorView(workflows: WorkflowRegistry, status: RunStatus): RunStatus {
  const definition = workflows.resolve(status.workflowId)?.definition;
  return definition?.operatorView ? { ...status, ...definition.operatorView(status) } : status;
}
