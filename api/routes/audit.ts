import { Router } from 'express';
import { z } from 'zod';
import { AuditKind, readWorkflowAudit } from '../../audit';
import { workflowExists, type Client } from '../../client';
import type { DocketConfig } from '../../config';
import type { Queryable } from '../../db';
import type { WorkflowRegistry } from '../../domain';
import { requireRole, requireRunAccess } from '../auth';
import { ApiError, parseOr400 } from '../errors';

/**
 * `:workflowId` of the audit route: any workflow's id (every workflow type writes the same trail), in
 * Temporal's limits.
 */
export const AuditParams = z
  .object({
    workflowId: z
      .string()
      .min(1)
      .max(400)
      .regex(/^[^\s/]+$/, 'no spaces or slashes'),
  })
  .strict();

export const AuditRowBody = z.object({
  seq: z.number().int().positive(),
  workflowId: z.string(),
  actionId: z.string().describe('Unique within the workflow: the idempotency key of the action'),
  kind: AuditKind,
  at: z.string().describe('When the row was appended: UTC, microseconds'),
  data: z.record(z.string(), z.unknown()),
  prevHash: z.string().describe('hash of the row before it in the chain (64 zeros for the first row)'),
  hash: z.string().describe('hex SHA-256 of prevHash followed by the canonical JSON of the row without hash'),
});

/** `GET /v1/workflows/:workflowId/audit`. */
export const AuditTrailResponse = z.object({
  workflowId: z.string(),
  rows: z.array(AuditRowBody).describe('In chain order (seq)'),
  verified: z
    .boolean()
    .describe("Every row's hash recomputes, links to its neighbours hold, and the chain has no gap"),
  problems: z.array(z.object({ seq: z.number().nullable(), problem: z.string() })),
});
export type AuditTrailResponse = z.infer<typeof AuditTrailResponse>;

/**
 * The audit trail of one workflow, for the `auditor` role. Rows come from the database, so a workflow
 * Temporal no longer keeps (past its retention) still has its trail; a workflow with no rows is a 200
 * with none when Temporal knows it (it has not acted yet), a 404 otherwise. A key limited to some types gets
 * that 404 for a workflow of any other type (or of none registered), whatever the trail holds.
 */
export function auditRoutes({
  config,
  client,
  db,
  workflows,
}: {
  config: DocketConfig;
  client: Client;
  db: Queryable;
  workflows: WorkflowRegistry;
}): Router {
  const router = Router();
  router.get('/v1/workflows/:workflowId/audit', requireRole(config.api.keys, 'auditor'), async (req, res) => {
    const { workflowId } = parseOr400(AuditParams, req.params, 'the workflow id is invalid');
    res.locals.workflowId = workflowId;
    const notFound = () =>
      new ApiError(404, 'not_found', `no workflow ${workflowId} and no audit trail for it`);
    requireRunAccess(res.locals.caller!, workflows, workflowId, notFound);
    const trail = await readWorkflowAudit(db, workflowId);
    if (trail.rows.length === 0 && !(await workflowExists(client, workflowId))) throw notFound();
    const answer: AuditTrailResponse = trail;
    res.json(answer);
  });
  return router;
}
