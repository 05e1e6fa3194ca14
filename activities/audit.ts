import { createHash } from 'node:crypto';
import { ApplicationFailure, CancelledFailure, Context } from '@temporalio/activity';
import { z } from 'zod';
import {
  AuditKind,
  ChainHeadMemo,
  appendAuditBatch,
  canonicalJson,
  toAuditJson,
  type AppendResult,
  type AuditEntry,
} from '../audit';
import type { Logger } from '../config';
import type { Database } from '../db';
import type { AgentLookup, CallModelInput } from './model';
import type { ModelTurn } from '../agents';
import type { CreateCaseInput, CreateCaseResult } from './tools';
import type { DeliverEventResult } from './notifications';
import type { DocketEvent } from '../domain';
import { workflowRun } from './workflow-run';

export interface AuditDeps {
  db: Database;
  logger: Logger;
}

/** The kinds a workflow records itself through `recordAudit`: what it decides in workflow code. */
export const WorkflowAuditKind = AuditKind.extract(['gate_result', 'review_decision']);

/** Input of `recordAudit`, the activity through which a workflow records a gate result or a review decision. */
export const RecordAuditInput = z
  .object({
    /**
     * Deterministic and unique within the run for what is recorded (e.g. `classify-1`, the review id, or
     * the decision's update id): a retried or replayed call with it records nothing new.
     */
    actionId: z
      .string()
      .min(1)
      .max(200)
      .regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits and . _ : - only'),
    kind: WorkflowAuditKind,
    /** JSON-able: what was decided, by whom, why (e.g. a GateResult, a ReviewRecord). */
    data: z.record(z.string(), z.unknown()),
  })
  .strict();
export type RecordAuditInput = z.infer<typeof RecordAuditInput>;

/**
 * Input of `recordAudit` from runs with the `audit-batches` marker: what the workflow decided since its
 * last call (a few gate results and decisions), in order, appended in one activity.
 */
export const RecordAuditBatch = z.object({ records: z.array(RecordAuditInput).min(1) }).strict();
export type RecordAuditBatch = z.infer<typeof RecordAuditBatch>;

export interface RecordAuditResult {
  seq: number;
  /** False when this action was recorded before (a retry): nothing new was appended. */
  appended: boolean;
}

type Activity<I, R> = (input: I) => Promise<R>;

interface AuditedCall<I> {
  input: I;
  attempt: number;
  latencyMs: number;
}

/** How one kind of activity is recorded. */
interface AuditSpec<I, R> {
  kind: AuditKind;
  /** Where the row goes; default: the running activity's own workflow and action id. */
  target?: (input: I) => { workflowId: string; actionId: string } | null;
  completed(call: AuditedCall<I>, result: R): Record<string, unknown>;
  /** A failure that ends the action (no retry follows). */
  failed(call: AuditedCall<I>, error: { type: string | null; message: string }): Record<string, unknown>;
}

/**
 * Audit trail wrappers for the activities that act (model calls, tool calls, filing a case, delivering
 * a notification) and the `recordAudit` activity for what workflows decide. A wrapped activity appends
 * its row after the action completes and before it returns; a retry of the activity has the same
 * action id (the run id, activity type and activity id of its scheduling), so it is recorded once
 * whatever the number of attempts. A failure is recorded only when it ends the action: non-retryable,
 * or the retry policy's last attempt.
 */
export function createAuditTrail({ db, logger }: AuditDeps) {
  const log = logger.child({ component: 'audit' });

  function audited<I, R>(spec: AuditSpec<I, R>, activity: Activity<I, R>): Activity<I, R> {
    return async (input: I) => {
      const context = Context.current();
      const { info } = context;
      const started = performance.now();
      const call = () => ({
        input,
        attempt: info.attempt,
        latencyMs: Math.round(performance.now() - started),
      });
      const target = () => spec.target?.(input) ?? runningAction();
      let result: R;
      try {
        result = await activity(input);
      } catch (err) {
        if (endsTheAction(err, context)) {
          const failure = err instanceof ApplicationFailure ? err : null;
          const error = {
            type: failure?.type ?? null,
            message: err instanceof Error ? err.message : String(err),
          };
          await append({ ...target(), kind: spec.kind, data: spec.failed(call(), error) });
        }
        throw err;
      }
      await append({ ...target(), kind: spec.kind, data: spec.completed(call(), result) });
      return result;
    };
  }

  const appendRow = groupAppender(db);

  async function append(entry: AuditEntry): Promise<RecordAuditResult> {
    const { row, appended } = await appendRow(entry);
    log.debug(
      { kind: entry.kind, seq: row.seq, appended },
      appended ? 'audit row appended' : 'audit row exists',
    );
    return { seq: row.seq, appended };
  }

  return {
    /** `callModel`: agent, tier, model, prompt (and its SHA-256), answer, tokens, cost, latency. */
    modelCalls: (activity: Activity<CallModelInput, ModelTurn>, agents: AgentLookup) =>
      audited<CallModelInput, ModelTurn>(
        {
          kind: 'model_call',
          completed: (call, turn) => {
            const { usage, ...answer } = turn;
            return {
              ...modelCallBasics(call, agents),
              model: usage.model,
              answer,
              tokens: {
                input: usage.inputTokens,
                output: usage.outputTokens,
                reasoning: usage.reasoningTokens,
              },
              costUsd: usage.costUsd,
              outcome: 'completed',
            };
          },
          failed: (call, error) => ({
            ...modelCallBasics(call, agents),
            model: null,
            outcome: 'failed',
            error,
          }),
        },
        activity,
      ),

    /** A tool activity: its name, the arguments as received and its result. */
    toolCalls: <I, R>(tool: string, activity: Activity<I, R>) =>
      audited<I, R>(
        {
          kind: 'tool_call',
          completed: (call, result) => ({ ...toolCallBasics(tool, call), result, outcome: 'completed' }),
          failed: (call, error) => ({
            ...toolCallBasics(tool, call),
            result: null,
            outcome: 'failed',
            error,
          }),
        },
        activity,
      ),

    /** `createCase`: the case id and where the matter was routed (no client data). */
    caseFilings: (activity: Activity<CreateCaseInput, CreateCaseResult>) =>
      audited<CreateCaseInput, CreateCaseResult>(
        {
          kind: 'case_filed',
          completed: (call, result) => ({
            ...caseBasics(call),
            caseId: result.caseId,
            created: result.created,
            outcome: 'completed',
          }),
          failed: (call, error) => ({ ...caseBasics(call), caseId: null, outcome: 'failed', error }),
        },
        activity,
      ),

    /**
     * `deliverEvent`: recorded under the workflow the event is about (not the delivering child workflow),
     * once per event id, with the number of receivers that have it.
     */
    notifications: (activity: Activity<DocketEvent, DeliverEventResult>) =>
      audited<DocketEvent, DeliverEventResult>(
        {
          kind: 'notification_sent',
          target: (event) =>
            typeof event?.workflowId === 'string' && typeof event?.id === 'string'
              ? { workflowId: event.workflowId, actionId: `deliverEvent:${event.id}` }
              : null,
          completed: (call, result) => ({ ...eventBasics(call), ...result, outcome: 'completed' }),
          failed: (call, error) => ({ ...eventBasics(call), outcome: 'failed', error }),
        },
        activity,
      ),

    /**
     * `recordAudit`: appends gate results and review decisions for the calling workflow, each under the
     * action id `<runId>:<kind>:<actionId>`: one record (runs without the `audit-batches` marker) or a
     * batch, appended in order. Bad input is a bug in the workflow: non-retryable.
     */
    async recordAudit(
      input: RecordAuditInput | RecordAuditBatch,
    ): Promise<RecordAuditResult | RecordAuditResult[]> {
      const batch = typeof input === 'object' && input !== null && 'records' in input;
      const parsed = (batch ? RecordAuditBatch : RecordAuditInput).safeParse(input);
      if (!parsed.success) {
        const fields = [...new Set(parsed.error.issues.map((i) => i.path.join('.') || '(input)'))].join(', ');
        throw ApplicationFailure.nonRetryable(
          `recordAudit: invalid input in ${fields}`,
          'InvalidAuditRecord',
        );
      }
      const { workflowId, runId } = workflowRun();
      const record = ({ actionId, kind, data }: RecordAuditInput) =>
        append({ workflowId, actionId: `${runId}:${kind}:${actionId}`, kind, data });
      if (!('records' in parsed.data)) return record(parsed.data);
      // Asked for together, so the group appender writes them in one batch, in this order.
      return Promise.all(parsed.data.records.map(record));
    },
  };
}

/** Rows appended by one statement at most. */
const MAX_BATCH = 50;

/**
 * appendAudit with group commit: the rows that activities of this worker ask for while a batch is being
 * appended go together in the next one (two statements for the batch whatever its size, one while no other
 * process appends: audit/append.ts).
 * Each caller still returns only once its row is stored. A batch that fails is appended again row by row,
 * so a bad entry fails alone and the others land.
 */
function groupAppender(db: Database): (entry: AuditEntry) => Promise<AppendResult> {
  // The row this worker appended last: while no other process appends, a batch is one statement.
  const head = new ChainHeadMemo();
  const waiting: Array<{ entry: AuditEntry; resolve(r: AppendResult): void; reject(e: unknown): void }> = [];
  let draining = false;
  async function drain(): Promise<void> {
    draining = true;
    // Rows asked for in the same turn of the event loop (a recordAudit batch) go in the first batch.
    await Promise.resolve();
    try {
      while (waiting.length > 0) {
        const batch = waiting.splice(0, MAX_BATCH);
        // A batch that failed is not the end of its rows: each is tried again alone, and fails alone.
        const results =
          batch.length > 1
            ? await appendAuditBatch(
                db,
                batch.map((item) => item.entry),
                head,
              ).catch(() => null)
            : null;
        if (results) {
          batch.forEach((item, i) => item.resolve(results[i]));
          continue;
        }
        for (const item of batch) {
          await appendAuditBatch(db, [item.entry], head).then(
            ([result]) => item.resolve(result),
            item.reject,
          );
        }
      }
    } finally {
      draining = false;
    }
  }

  return (entry) =>
    new Promise<AppendResult>((resolve, reject) => {
      waiting.push({ entry, resolve, reject });
      if (!draining) void drain();
    });
}

/** `<runId>:<activityType>:<activityId>`: the same for every attempt of one scheduled activity. */
function runningAction(): { workflowId: string; actionId: string } {
  const { info } = Context.current();
  const { workflowId, runId } = workflowRun();
  return { workflowId, actionId: `${runId}:${info.activityType}:${info.activityId}` };
}

/** True when Temporal will not try this activity again after `err` (a cancelled one did not complete). */
function endsTheAction(err: unknown, { info, cancellationSignal }: Context): boolean {
  if (cancellationSignal.aborted || err instanceof CancelledFailure) return false;
  if (err instanceof ApplicationFailure && err.nonRetryable) return true;
  // The type Temporal matches against the policy: an ApplicationFailure's type, another error's name.
  const type = err instanceof ApplicationFailure ? err.type : err instanceof Error ? err.name : undefined;
  if (type && info.retryPolicy?.nonRetryableErrorTypes?.includes(type)) return true;
  const maximumAttempts = info.retryPolicy?.maximumAttempts ?? 0;
  return maximumAttempts > 0 && info.attempt >= maximumAttempts;
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

function modelCallBasics({ input, attempt, latencyMs }: AuditedCall<CallModelInput>, agents: AgentLookup) {
  const agent = agents(Context.current().info.workflowType ?? '', input.agent);
  return {
    agent: input.agent,
    tier: agent?.tier ?? null,
    // The instructions (system or developer message) are the agent's code: their hash names the version.
    instructionsSha256: agent ? sha256Hex(agent.instructions) : null,
    promptSha256: sha256Hex(canonicalJson(toAuditJson(input.messages))),
    prompt: input.messages,
    latencyMs,
    attempt,
  };
}

function toolCallBasics(tool: string, { input, attempt, latencyMs }: AuditedCall<unknown>) {
  return { tool, arguments: input, latencyMs, attempt };
}

function caseBasics({ input, attempt, latencyMs }: AuditedCall<CreateCaseInput>) {
  return {
    matterType: input?.matterType ?? null,
    jurisdiction: input?.jurisdiction ?? null,
    queue: input?.queue ?? null,
    priority: input?.priority ?? null,
    latencyMs,
    attempt,
  };
}

function eventBasics({ input, attempt, latencyMs }: AuditedCall<DocketEvent>) {
  return { eventId: input?.id ?? null, type: input?.type ?? null, latencyMs, attempt };
}
