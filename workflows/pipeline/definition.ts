/**
 * A workflow type made of a pipeline: everything the engine needs to know about it, derived from its stages.
 * Node-side (it reads config through `runSettings`); the workflow bundle never imports it.
 */
import type { z } from 'zod';
import type { WorkflowDefinition } from '../../domain';
import type { DocketConfig } from '../../config';
import { agentCascades } from '../cascade-settings';
import { runSettings, type RunConfig } from '../run-settings';
import {
  initialPipelineStatus,
  pipelineStatusSchema,
  type Pipeline,
  type PipelineSettings,
  type PipelineStatus,
} from './pipeline';

/** The parts of config a pipeline type's settings are read from. */
export type PipelineConfig = RunConfig & Pick<DocketConfig, 'workflows'>;

/** A pipeline type's definition, as the registry takes it. */
type PipelineTypeDefinition<Body extends { externalId: string }, ActivityDeps> = WorkflowDefinition<
  Body,
  PipelineStatus,
  PipelineConfig,
  PipelineSettings,
  ActivityDeps
>;

/**
 * What a pipeline type writes itself: its names and body as any definition has them (its `workflowModule`
 * exports `<workflowType> = pipelineWorkflow(pipeline)`), its activities, and its stages with their defaults.
 */
export interface PipelineTypeOptions<Body extends { externalId: string }, ActivityDeps> extends Pick<
  PipelineTypeDefinition<Body, ActivityDeps>,
  'workflowType' | 'workflowModule' | 'restName' | 'title' | 'body' | 'bodyName' | 'activities'
> {
  /** The stages, as the type's workflow function runs them (`pipelineWorkflow(pipeline)` in the bundle). */
  pipeline: Pipeline<Body>;
  /**
   * The confidence below which a stage's output goes to a person, by stage (default 0: no threshold); config
   * `workflows.<restName>.agents.<agent>.confidenceThreshold` overrides it.
   */
  thresholds: Readonly<Record<string, number>>;
  /** Model turns an agent with tools may take; default 6; config `...agents.<agent>.maxToolRounds` overrides it. */
  maxToolRounds?: number;
  /** The stages a reviewer may revise (default: every stage, with its agent's output schema). */
  revisable?: readonly string[];
}

export function pipelineDefinition<Body extends { externalId: string }, ActivityDeps = never>(
  options: PipelineTypeOptions<Body, ActivityDeps>,
): PipelineTypeDefinition<Body, ActivityDeps> {
  const { pipeline, thresholds, maxToolRounds = 6, revisable: revisableStages, ...named } = options;
  const generic = pipeline as unknown as Pipeline<never>;
  const revisable = revisableStages ?? pipeline.stages.map((s) => s.stage);
  return {
    ...named,
    settings: (config) => {
      const agents = config.workflows[named.restName]?.agents ?? {};
      const configured = pipeline.stages.flatMap((s) => agents[s.agent.name]?.maxToolRounds ?? []);
      const cascades = agentCascades(
        config.models,
        pipeline.stages.map((s) => s.agent),
        agents,
        `workflows.${named.restName}.agents`,
      );
      return {
        thresholds: Object.fromEntries(
          pipeline.stages.map((s) => [
            s.stage,
            agents[s.agent.name]?.confidenceThreshold ?? thresholds[s.stage] ?? 0,
          ]),
        ),
        maxToolRounds: configured.length ? Math.max(...configured) : maxToolRounds,
        ...runSettings(config),
        ...(cascades ? { cascades } : {}),
      };
    },
    status: pipelineStatusSchema(generic) as unknown as z.ZodType<PipelineStatus>,
    initialStatus: (workflowId, externalId, at) => initialPipelineStatus(generic, workflowId, externalId, at),
    reviewStages: Object.fromEntries(
      pipeline.stages.map((s) => [s.stage, revisable.includes(s.stage) ? s.agent.outputSchema : null]),
    ),
    reasonCodes: pipeline.reasonCodes ?? [],
    agents: [...new Set(pipeline.stages.map((s) => s.agent))],
    requiredActivities: [
      ...new Set([
        ...pipeline.stages.flatMap((s) => (s.checksBefore ?? []).map((check) => check.activity)),
        ...(pipeline.complete ? [pipeline.complete.activity] : []),
      ]),
    ],
  };
}
