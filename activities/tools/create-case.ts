import { createHash } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import { z } from 'zod';
import { Assessment, RoutingQueue } from '../../agents';
import { Jurisdiction, MatterType } from '../../domain';
import { reidentifyValue } from '../../personal-data';
import type { ToolDeps } from './deps';

/** What the workflow files: ids, the classification's headline fields, routing, and the agents' outputs. */
export const CreateCaseInput = z.object({
  workflowId: z.string().min(1).max(400),
  externalId: z.string().min(1).max(400),
  matterType: MatterType,
  jurisdiction: Jurisdiction.nullable(),
  clientName: z.string().max(300).nullable(),
  queue: RoutingQueue,
  priority: Assessment.shape.priority,
  summary: z.string().max(20_000),
  payload: z.record(z.string(), z.unknown()),
});
export type CreateCaseInput = z.infer<typeof CreateCaseInput>;

export interface CreateCaseResult {
  caseId: string;
  /** False when the workflow had already filed its case (a retry or a replay): nothing new was filed. */
  created: boolean;
}

/**
 * The case id of a workflow: stable, so every attempt names the same case. 48 bits of SHA-256; a clash
 * between two workflows is caught below rather than assumed away.
 */
export function caseIdFor(workflowId: string): string {
  return `CASE-${createHash('sha256').update(workflowId, 'utf8').digest('hex').slice(0, 12).toUpperCase()}`;
}

/**
 * `createCase`: files the matter in the built-in case store, exactly once per workflow. The workflow
 * passes tokens; here, and only here, the drafter's text and the client's name are re-identified, and they
 * are stored sealed (`cases.personal`), so erasure can clear them. The INSERT does
 * nothing when the workflow's case exists (the unique workflow_id), so retries, replays and concurrent
 * attempts all end with one row and the same caseId. Bad input is a bug in the workflow, not something
 * a retry fixes: non-retryable.
 */
export function createCreateCase({ db, logger, personal }: ToolDeps) {
  const log = logger.child({ activity: 'createCase' });
  return async function createCase(input: CreateCaseInput): Promise<CreateCaseResult> {
    const parsed = CreateCaseInput.safeParse(input);
    if (!parsed.success) {
      const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(input)'))].join(', ');
      throw ApplicationFailure.nonRetryable(`createCase: invalid input in ${fields}`, 'InvalidCaseInput');
    }
    const c = parsed.data;
    const mapping = await personal.loadMapping(c.workflowId);
    const fields = reidentifyValue(
      { clientName: c.clientName, summary: c.summary, payload: c.payload },
      mapping,
    );
    const inserted = await db.query(
      `INSERT INTO cases (case_id, workflow_id, external_id, matter_type, jurisdiction, queue, priority, personal)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
       ON CONFLICT DO NOTHING`,
      [
        caseIdFor(c.workflowId),
        c.workflowId,
        c.externalId,
        c.matterType,
        c.jurisdiction,
        c.queue,
        c.priority,
        personal.sealCaseFields(c.workflowId, fields),
      ],
    );
    const { rows } = await db.query<{ case_id: string }>('SELECT case_id FROM cases WHERE workflow_id = $1', [
      c.workflowId,
    ]);
    if (!rows[0]) {
      // Nothing inserted and no case for this workflow: its case id belongs to another workflow's case.
      throw ApplicationFailure.nonRetryable(
        `createCase: case id ${caseIdFor(c.workflowId)} is taken`,
        'CaseIdCollision',
      );
    }
    const result = { caseId: rows[0].case_id, created: inserted.rowCount === 1 };
    log.info(
      { caseId: result.caseId, created: result.created, queue: c.queue, priority: c.priority },
      'case filed',
    );
    return result;
  };
}
