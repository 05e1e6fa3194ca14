import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@temporalio/client';
import { startWorkflowRun, type RunStarter, type StartedRun } from '../../client';
import type { Queryable } from '../../db';
import { IntakeRequest } from '../../domain';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { legalIntakeStatusQuery } from '../../workflows';
import { decideReviewUpdate } from '../../workflows/messages';
import { workflowRegistry } from '../../workflows/registry';

export type ExampleName =
  'clear-personal-injury' | 'ambiguous' | 'conflict-adverse-client' | 'limitation-imminent' | 'injection';

let counter = 0;

const legalIntake = workflowRegistry.byRestName('legal-intake')!;

/** Starts a legal intake as `POST /v1/workflows/legal-intake` does (its body stored, then the run started). */
export function startLegalIntake(starter: RunStarter, intake: IntakeRequest): Promise<StartedRun> {
  return startWorkflowRun(starter, legalIntake, intake);
}

/** One of the shipped examples under a fresh externalId, so tests never share a workflow. */
export function exampleIntake(name: ExampleName): IntakeRequest {
  const raw = JSON.parse(readFileSync(path.join(__dirname, '../../examples', `${name}.json`), 'utf8'));
  counter += 1;
  return IntakeRequest.parse({ ...raw, externalId: `${name}-${process.pid}-${Date.now()}-${counter}` });
}

/**
 * An intake that waits for two reviews: vague, so the classifier is unsure (`classify-1`, for low confidence
 * only), then, once that is approved, a conflict (`reason-1`, a policy reason): its sender is adverse in an
 * open matter of the demo directory. It names a state and a sender, so the classification's review asks for
 * nothing the checks would lack.
 */
export function twoReviewIntake(): IntakeRequest {
  return IntakeRequest.parse({
    ...exampleIntake('ambiguous'),
    channel: 'email',
    from: 'Daniel Whitaker <daniel.whitaker@example.org>',
    body: 'I have a problem with someone in Chicago, Illinois and I need advice. Can you help me?',
  });
}

/**
 * One of the shipped examples made long: `paragraphs` paragraphs about the matter, naming nobody, put in
 * after the paragraph that names the parties (the second), so that the head, the parties and the tail
 * are where an intake has them and the middle is what a context window cannot hold.
 */
export function longIntake(name: ExampleName, paragraphs: number): IntakeRequest {
  const intake = exampleIntake(name);
  const parts = intake.body.split('\n\n');
  parts.splice(2, 0, ...Array.from({ length: paragraphs }, (_, i) => fillerParagraph(i + 1)));
  return { ...intake, body: parts.join('\n\n') };
}

/** A paragraph of the kind that makes an intake long: circumstances, no names, no dates. */
export function fillerParagraph(n: number): string {
  return (
    `Looking back on it (note ${n}), the traffic was heavy as it usually is at that hour, the weather was ` +
    'mild and dry, the road had been resurfaced not long before, and nothing about the morning had seemed ' +
    'unusual until the moment it happened; I keep going over it in my head and writing it all down.'
  );
}

/** Polls the `status` query until `done` holds (the workflow may still be starting). */
export async function waitForStatus(
  client: Client,
  workflowId: string,
  done: (status: LegalIntakeStatus) => boolean,
  timeoutMs = 30_000,
): Promise<LegalIntakeStatus> {
  const deadline = Date.now() + timeoutMs;
  let last: LegalIntakeStatus | undefined;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      last = await client.workflow.getHandle(workflowId).query(legalIntakeStatusQuery);
      if (done(last)) return last;
    } catch (err) {
      lastError = err;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(
    `timed out waiting on ${workflowId}; last status ${JSON.stringify(last?.status)} at stage ${last?.stage}` +
      (lastError ? ` (last error: ${String(lastError)})` : ''),
  );
}

/**
 * Approves every review the workflow opens from now on, as a reviewer would who agrees with it, and
 * returns the final status. For tests whose point is an earlier decision.
 */
export async function approveUntilDone(
  client: Client,
  workflowId: string,
  reviewer = 'test-approver',
): Promise<LegalIntakeStatus> {
  const handle = client.workflow.getHandle(workflowId);
  for (;;) {
    const status = await waitForStatus(client, workflowId, (s) => s.status !== 'running');
    if (status.status !== 'awaiting_review') return handle.result();
    const allowed = status.review!.allowed;
    await handle.executeUpdate(decideReviewUpdate, {
      args: [
        {
          reviewId: status.review!.id,
          decision: allowed.includes('approve') ? 'approve' : 'reject',
          reviewer,
          comment: 'test approver',
        },
      ],
    });
  }
}

/** How many cases were filed for a workflow: the one high-impact action, counted where it lands. */
export async function casesFiledFor(db: Queryable, workflowId: string): Promise<number> {
  const { rows } = await db.query<{ n: string }>('SELECT count(*) AS n FROM cases WHERE workflow_id = $1', [
    workflowId,
  ]);
  return Number(rows[0].n);
}
