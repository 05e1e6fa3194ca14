/**
 * A workflow type's stages as data: each an agent, the message it is given, the type's own checks on its
 * output, and what completes the run. `pipelineWorkflow` runs them; the engine names no type. Pure types and
 * zod built on first use: safe in workflow code.
 */
import { z } from 'zod';
import {
  GateResult,
  initialStatusBase,
  lazySchema,
  workflowStatusSchema,
  type AgentDefinition,
  type CascadeRung,
  type DocketEventType,
  type GateReason,
  type Scored,
  type WorkflowStatusBase,
} from '../../domain';
import type { ModelCallPolicy } from '../agent-loop';
import type { BatchLaneSettings } from '../batch-lane';
import type { ReviewSettings } from '../review/gate';

/**
 * What a stage reads: the run's input (pseudonymized), the outputs before it, the mandatory checks' results
 * so far, and today in workflow time.
 */
export interface StageContext<Input> {
  input: Input;
  /** Each earlier stage's output as a reviewer left it (approved or revised), by stage. */
  outputs: Readonly<Record<string, unknown>>;
  /** Each mandatory check's result, by check. */
  checks: Readonly<Record<string, unknown>>;
  today: string;
}

/**
 * A mandatory check the workflow itself runs before a stage's agent: an activity the type registers, with
 * arguments taken from the input and the outputs so far, never from a model's choice. Its result is in the
 * status and in the context of the stage's message and gate.
 */
export interface PipelineCheck<Input> {
  /** Its name: the result is kept under it (`results.checks`). */
  check: string;
  activity: string;
  input(context: StageContext<Input>): unknown;
}

export interface PipelineStage<Input, Output extends Scored = Scored> {
  /** The stage's name: in the status, the review queue and `reviewStages`. */
  stage: string;
  agent: AgentDefinition<Output>;
  /** Checks run (side by side) before the agent, so its message and its gate can rest on them. */
  checksBefore?: readonly PipelineCheck<Input>[];
  /** The agent's message for this run. Text from the input stays data: say so in the agent's instructions. */
  message(context: StageContext<Input>): string;
  /**
   * Facts the workflow measures on a schema-valid output (a letter's reading grade), kept with the checks'
   * results under their names, so the status, the review page and the stage's `check` show the same figure.
   */
  measure?(output: Output, context: StageContext<Input>): Record<string, unknown>;
  /**
   * The type's deterministic checks on a schema-valid output, beside the confidence threshold: each reason
   * returned sends the output to a person.
   */
  check?(output: Output, context: StageContext<Input>): GateReason[];
}

/** What completes a run: an activity the type registers, given what the stages decided. */
export interface PipelineCompletion<Input> {
  activity: string;
  input(context: StageContext<Input>): unknown;
}

export interface Pipeline<Input> {
  /** The reason codes its stages' checks give beside the engine's (the definition's `reasonCodes`). */
  reasonCodes?: readonly string[];
  /** Those of its reason codes that are policy reasons: what a cascade's `policy` rule climbs on. */
  policyCodes?: readonly string[];
  // Each stage's output type is its own; the pipeline holds them side by side.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  stages: readonly PipelineStage<Input, any>[];
  complete?: PipelineCompletion<Input>;
}

/** Settings read from config when a run starts and kept in its history (see `pipelineSettings`). */
export interface PipelineSettings {
  /** The confidence below which a stage's output goes to a person, by stage. */
  thresholds: Record<string, number>;
  /** Model turns an agent with tools may take before the stage goes to a person. */
  maxToolRounds: number;
  review: ReviewSettings;
  notifyEvents: DocketEventType[];
  modelCalls: ModelCallPolicy;
  budgetUsd: number | null;
  modelTaskQueues: Partial<Record<string, string>>;
  /** The agents' cascades, by agent; absent: each agent on its own tier. */
  cascades?: Record<string, CascadeRung[]>;
  /** The batch lane (absent in runs from before it). */
  batch?: BatchLaneSettings;
}

/** What a pipeline run starts with: a reference, never the body (stored by the API, read by an activity). */
export interface PipelineInput {
  externalId: string;
  settings: PipelineSettings;
}

/** What a pipeline run reports: each stage's output and gate result, each check's result. */
export interface PipelineResults {
  outputs: Record<string, unknown>;
  checks: Record<string, unknown>;
  gates: Record<string, GateResult | null>;
}

export type PipelineStatus = WorkflowStatusBase & { results: PipelineResults };

/** The stages a run moves through: received, each stage, then how it ended. */
export function pipelineStages(pipeline: Pipeline<unknown>): string[] {
  return ['received', ...pipeline.stages.map((s) => s.stage), 'complete', 'done', 'rejected', 'failed'];
}

/** A pipeline type's status schema, built on first use. */
export function pipelineStatusSchema(pipeline: Pipeline<never>) {
  return lazySchema(() => {
    const stages = pipelineStages(pipeline as Pipeline<unknown>) as [string, ...string[]];
    const outputs = Object.fromEntries(
      pipeline.stages.map((s) => [s.stage, s.agent.outputSchema.nullable()]),
    );
    const gates = Object.fromEntries(pipeline.stages.map((s) => [s.stage, GateResult.nullable()]));
    return workflowStatusSchema({
      stage: z.enum(stages),
      results: z.object({
        outputs: z.object(outputs),
        checks: z.record(z.string(), z.unknown()),
        gates: z.object(gates),
      }),
      result: z.unknown(),
    });
  });
}

/** A pipeline run's status before any stage ran. */
export function initialPipelineStatus(
  pipeline: Pipeline<never>,
  workflowId: string,
  externalId: string,
  at: Pick<PipelineStatus, 'status' | 'stage'> = { status: 'running', stage: 'received' },
): PipelineStatus {
  return initialStatusBase(workflowId, externalId, at, {
    outputs: Object.fromEntries(pipeline.stages.map((s) => [s.stage, null])),
    checks: {},
    gates: Object.fromEntries(pipeline.stages.map((s) => [s.stage, null])),
  });
}
