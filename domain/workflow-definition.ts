/**
 * A workflow definition: what one workflow type tells the engine about itself. The engine (API, client,
 * queue, status, worker) reads definitions through a registry (`WorkflowRegistry`) and names no type.
 */
import type { z } from 'zod';
import type { AgentDefinition } from './agent';
import type { PendingReview, RejectedDecision, ReviewRecord, Usage, WorkflowStatus } from './status';

/** The fields every workflow type's status answer has (its `status` query, its result, the REST status). */
export interface WorkflowStatusBase {
  workflowId: string;
  externalId: string;
  status: WorkflowStatus;
  stage: string;
  review: PendingReview | null;
  reviewHistory: ReviewRecord[];
  rejectedDecisions: RejectedDecision[];
  results: unknown;
  result: unknown;
  usage: Usage;
  error: string | null;
}

/** An activity a workflow type registers with the worker (a tool's executor, its filing action). */
export type DefinitionActivity = (input: never) => Promise<unknown>;

export interface WorkflowDefinition<
  Body extends { externalId: string } = { externalId: string },
  Status extends WorkflowStatusBase = WorkflowStatusBase,
  Config = never,
  Settings = unknown,
  ActivityDeps = never,
> {
  /** The Temporal workflow type: the workflow function's name in the bundle (e.g. `legalIntake`). */
  workflowType: string;
  /**
   * The module that exports the workflow function under `workflowType`, as an absolute path
   * (`require.resolve('./workflow')`): the worker bundles it (worker/workflow-bundle.ts).
   */
  workflowModule: string;
  /** The REST name: `POST /v1/workflows/<restName>`; workflow ids are `<restName>-<externalId>`. */
  restName: string;
  /** What the type does, in one line (the OpenAPI document and the review page show it). */
  title: string;
  /** The REST body that starts a run. Its `externalId` names the run: the same one again finds it. */
  body: z.ZodType<Body>;
  /** The body's name in the OpenAPI document's components (e.g. `IntakeRequest`). */
  bodyName: string;
  /**
   * The settings a run starts with, read from config and kept in the run's history. Called once at start
   * (a config the type cannot run with stops the API and the worker) and for each run.
   */
  settings(config: Config): Settings;
  /** The run's status: the `status` query's answer and the REST status answer. */
  status: z.ZodType<Status>;
  /** A run's status before its workflow code ran, or when nothing better is known. */
  initialStatus(workflowId: string, externalId: string, at: Pick<Status, 'status' | 'stage'>): Status;
  /** What an operator may see of a status (default: all of it, with tokens where identities were). */
  operatorView?(status: Status): Status;
  /** The stages where a run may ask a person, each with what a reviewer may revise (null: approve or reject). */
  reviewStages: Readonly<Record<string, z.ZodType | null>>;
  /** The gate reason codes the type raises beside the engine's (`ENGINE_REASON_CODES`). */
  reasonCodes: readonly string[];
  /**
   * The type's agents: model-call activities name one (with the workflow's type), and the activity runs it
   * as defined here. Every tool an agent may call needs an activity of its name on the worker.
   */
  agents: readonly AgentDefinition[];
  /**
   * Activities the type brings (its tools' executors, its filing action), made over the worker's
   * connections; their names must not clash with the engine's or another type's.
   */
  activities?(deps: ActivityDeps): Record<string, DefinitionActivity>;
  /**
   * Activities its workflow calls by name besides its tools (its checks, its completing action): the worker
   * refuses to start without each.
   */
  requiredActivities?: readonly string[];
}

/** The workflow id of a run of `definition`: one per externalId, so a repeat finds the same run. */
export function workflowIdOf(definition: Pick<WorkflowDefinition, 'restName'>, externalId: string): string {
  return `${definition.restName}-${externalId}`;
}

/** The externalId's rule, the same for every type: it is part of a workflow id and of search queries. */
export const EXTERNAL_ID_PATTERN = /^[A-Za-z0-9._:-]+$/;
export const EXTERNAL_ID_MAX_LENGTH = 128;
