/**
 * A workflow type made of a pipeline: everything the engine needs to know about it, derived from its stages.
 * Node-side (it reads config through `runSettings`); the workflow bundle never imports it.
 */
import type { z } from 'zod';
import type { WorkflowDefinition } from '../../domain';
import type { DocketConfig } from '../../config';
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

export interface PipelineTypeOptions<Body extends { externalId: string }, ActivityDeps> {
  workflowType: string;
  /** The module exporting `<workflowType> = pipelineWorkflow(pipeline)`, as an absolute path. */
  workflowModule: string;
  restName: string;
  title: string;
  body: z.ZodType<Body>;
  bodyName: string;
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
  activities?: WorkflowDefinition<
    Body,
    PipelineStatus,
    RunConfig,
    PipelineSettings,
    ActivityDeps
  >['activities'];
}

export function pipelineDefinition<Body extends { externalId: string }, ActivityDeps = never>(
  options: PipelineTypeOptions<Body, ActivityDeps>,
): WorkflowDefinition<Body, PipelineStatus, PipelineConfig, PipelineSettings, ActivityDeps> {
  const { pipeline } = options;
  const generic = pipeline as unknown as Pipeline<never>;
  const revisable = options.revisable ?? pipeline.stages.map((s) => s.stage);
  return {
    workflowType: options.workflowType,
    workflowModule: options.workflowModule,
    restName: options.restName,
    title: options.title,
    body: options.body,
    bodyName: options.bodyName,
    settings: (config) => {
      const agents = config.workflows[options.restName]?.agents ?? {};
      const configured = pipeline.stages.flatMap((s) => agents[s.agent.name]?.maxToolRounds ?? []);
      return {
        thresholds: Object.fromEntries(
          pipeline.stages.map((s) => [
            s.stage,
            agents[s.agent.name]?.confidenceThreshold ?? options.thresholds[s.stage] ?? 0,
          ]),
        ),
        maxToolRounds: configured.length ? Math.max(...configured) : (options.maxToolRounds ?? 6),
        ...runSettings(config),
      };
    },
    status: pipelineStatusSchema(generic) as unknown as z.ZodType<PipelineStatus>,
    initialStatus: (workflowId, externalId, at) => initialPipelineStatus(generic, workflowId, externalId, at),
    reviewStages: Object.fromEntries(
      pipeline.stages.map((s) => [s.stage, revisable.includes(s.stage) ? s.agent.outputSchema : null]),
    ),
    reasonCodes: pipeline.reasonCodes ?? [],
    agents: [...new Set(pipeline.stages.map((s) => s.agent))],
    ...(options.activities ? { activities: options.activities } : {}),
    requiredActivities: [
      ...new Set([
        ...pipeline.stages.flatMap((s) => (s.checksBefore ?? []).map((check) => check.activity)),
        ...(pipeline.complete ? [pipeline.complete.activity] : []),
      ]),
    ],
  };
}
