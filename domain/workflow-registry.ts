/**
 * The registry of workflow types: the one list the engine reads. It is checked when it is made, so a
 * definition that is incomplete or clashes with another stops the process at start, naming the type and the
 * part, never in the middle of a run.
 */
import type { AgentDefinition } from './agent';
import { ENGINE_REASON_CODES, REASON_CODE_PATTERN } from './status';
import {
  EXTERNAL_ID_MAX_LENGTH,
  EXTERNAL_ID_PATTERN,
  workflowIdOf,
  type WorkflowDefinition,
  type WorkflowStatusBase,
} from './workflow-definition';

/** Any type's definition, as the engine holds it (its config and settings are typed by the type itself). */
export type AnyWorkflowDefinition = WorkflowDefinition<
  { externalId: string },
  WorkflowStatusBase,
  unknown,
  unknown,
  unknown
>;

/** A definition the registry cannot take: the message names the type and what is wrong. */
export class WorkflowDefinitionError extends Error {
  override readonly name = 'WorkflowDefinitionError';
}

/** A workflow id read back into its type and externalId. */
export interface ResolvedWorkflowId {
  definition: AnyWorkflowDefinition;
  externalId: string;
}

const REST_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
const WORKFLOW_TYPE = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/** What OpenAI accepts as a function name, and a JavaScript identifier (an activity's name). */
const TOOL_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

export class WorkflowRegistry {
  private readonly byRest = new Map<string, AnyWorkflowDefinition>();
  private readonly byType = new Map<string, AnyWorkflowDefinition>();

  constructor(definitions: readonly AnyWorkflowDefinition[]) {
    if (definitions.length === 0) throw new WorkflowDefinitionError('the registry lists no workflow type');
    for (const definition of definitions) {
      checkDefinition(definition);
      const { restName, workflowType } = definition;
      if (this.byRest.has(restName)) {
        throw new WorkflowDefinitionError(`workflow type ${restName}: registered twice`);
      }
      if (this.byType.has(workflowType)) {
        throw new WorkflowDefinitionError(
          `workflow type ${restName}: its Temporal type ${workflowType} is ${this.byType.get(workflowType)!.restName}'s`,
        );
      }
      // `a-b-<id>` must name one type: no REST name may be another's followed by a dash.
      for (const other of this.byRest.keys()) {
        if (restName.startsWith(`${other}-`) || other.startsWith(`${restName}-`)) {
          throw new WorkflowDefinitionError(
            `workflow type ${restName}: its workflow ids could not be told from ${other}'s`,
          );
        }
      }
      // A tool runs as the activity of its name: two types may share a tool, never a name for two tools.
      for (const tool of definition.agents.flatMap((agent) => agent.tools)) {
        const other = this.definitions.find((d) =>
          d.agents.some((a) => a.tools.some((t) => t.name === tool.name && t !== tool)),
        );
        if (other) {
          throw new WorkflowDefinitionError(
            `workflow type ${restName}: tool ${tool.name} is also ${other.restName}'s, as a different tool`,
          );
        }
      }
      this.byRest.set(restName, definition);
      this.byType.set(workflowType, definition);
    }
  }

  /** Every registered type, in registration order. */
  get definitions(): AnyWorkflowDefinition[] {
    return [...this.byRest.values()];
  }

  /** The REST names, for messages that list what exists. */
  get restNames(): string[] {
    return [...this.byRest.keys()];
  }

  /** Every type's review stages, each once, for filters and gauges across types. */
  get reviewStages(): string[] {
    return [...new Set(this.definitions.flatMap((d) => Object.keys(d.reviewStages)))];
  }

  /** Every gate reason code a run may carry: the engine's, then each type's, each once. */
  get reasonCodes(): string[] {
    return [...new Set([...ENGINE_REASON_CODES, ...this.definitions.flatMap((d) => d.reasonCodes)])];
  }

  /** The Temporal workflow types, for visibility queries. */
  get workflowTypes(): string[] {
    return [...this.byType.keys()];
  }

  /**
   * Every registered type's workflow ids and nothing else, `<restName>-<externalId>`, as one pattern a JSON
   * Schema can state (the REST API's `{workflowId}` parameter).
   */
  get workflowIdPattern(): RegExp {
    const externalIdChar = EXTERNAL_ID_PATTERN.source.replace(/^\^(.*)\+\$$/, '$1');
    const prefixes = this.restNames.map((restName) => workflowIdOf({ restName }, ''));
    return new RegExp(`^(?:${prefixes.join('|')})${externalIdChar}{1,${EXTERNAL_ID_MAX_LENGTH}}$`);
  }

  /** The agent a model call of a `workflowType` run names; undefined for an unknown type or agent. */
  agent(workflowType: string, name: string): AgentDefinition | undefined {
    return this.byType.get(workflowType)?.agents.find((agent) => agent.name === name);
  }

  /**
   * What every type's agents may call: each tool name with the types whose agents use it. The worker checks
   * each has an activity of its name (`missingExecutors`).
   */
  get toolNames(): Map<string, string[]> {
    const uses = new Map<string, string[]>();
    for (const definition of this.definitions) {
      for (const tool of new Set(definition.agents.flatMap((a) => a.tools.map((t) => t.name)))) {
        uses.set(tool, [...(uses.get(tool) ?? []), definition.restName]);
      }
    }
    return uses;
  }

  /**
   * Stops a worker whose activities lack a tool some agent may call: the message names the type and the
   * tool, at start, instead of a run failing when the model first calls it.
   */
  checkExecutors(activityNames: Iterable<string>): void {
    const registered = new Set(activityNames);
    for (const [tool, types] of this.toolNames) {
      if (!registered.has(tool)) {
        throw new WorkflowDefinitionError(
          `workflow type ${types[0]}: tool ${tool} has no activity of that name to run it`,
        );
      }
    }
    for (const definition of this.definitions) {
      for (const activity of definition.requiredActivities ?? []) {
        if (!registered.has(activity)) {
          throw new WorkflowDefinitionError(
            `workflow type ${definition.restName}: its workflow calls activity ${activity}, which no one registers`,
          );
        }
      }
    }
  }

  /**
   * Refuses config for a type or an agent that is not registered (config `workflows.<type>.agents.<agent>`),
   * naming the key: a typo would otherwise leave the defaults in force without a word.
   */
  checkTypeConfig(config: Readonly<Record<string, { agents: Readonly<Record<string, unknown>> }>>): void {
    for (const [restName, settings] of Object.entries(config)) {
      const definition = this.byRest.get(restName);
      if (!definition) {
        throw new WorkflowDefinitionError(
          `config workflows.${restName}: no such workflow type (registered: ${this.restNames.join(', ')})`,
        );
      }
      const agents = definition.agents.map((agent) => agent.name);
      for (const name of Object.keys(settings.agents)) {
        if (!agents.includes(name)) {
          throw new WorkflowDefinitionError(
            `config workflows.${restName}.agents.${name}: ${restName} has no such agent (its agents: ${agents.join(', ')})`,
          );
        }
      }
    }
  }

  byRestName(restName: string): AnyWorkflowDefinition | undefined {
    return this.byRest.get(restName);
  }

  byWorkflowType(workflowType: string): AnyWorkflowDefinition | undefined {
    return this.byType.get(workflowType);
  }

  /** The type and externalId of a workflow id; undefined when it is no registered type's. */
  resolve(workflowId: string): ResolvedWorkflowId | undefined {
    for (const definition of this.byRest.values()) {
      const prefix = workflowIdOf(definition, '');
      if (!workflowId.startsWith(prefix)) continue;
      const externalId = workflowId.slice(prefix.length);
      if (externalId.length > EXTERNAL_ID_MAX_LENGTH || !EXTERNAL_ID_PATTERN.test(externalId))
        return undefined;
      return { definition, externalId };
    }
    return undefined;
  }
}

function checkDefinition(definition: AnyWorkflowDefinition): void {
  const name = typeof definition.restName === 'string' ? definition.restName : '(no restName)';
  const missing = (part: string): never => {
    throw new WorkflowDefinitionError(`workflow type ${name}: ${part}`);
  };
  if (!REST_NAME.test(definition.restName ?? '')) {
    missing('restName must be lower-case words joined by dashes (e.g. legal-intake)');
  }
  if (!WORKFLOW_TYPE.test(definition.workflowType ?? '')) {
    missing('workflowType must name the workflow function (e.g. legalIntake)');
  }
  if (
    typeof definition.workflowModule !== 'string' ||
    !/^([A-Za-z]:)?[\\/]/.test(definition.workflowModule)
  ) {
    missing('workflowModule must be the absolute path of the module that exports its workflow function');
  }
  if (!definition.title) missing('has no title');
  if (typeof definition.body?.safeParse !== 'function') missing('has no body schema');
  if (!/^[A-Z][A-Za-z0-9]*$/.test(definition.bodyName ?? ''))
    missing('bodyName must name its body in PascalCase');
  if (typeof definition.status?.safeParse !== 'function') missing('has no status schema');
  if (typeof definition.settings !== 'function') missing('has no settings(config)');
  if (typeof definition.initialStatus !== 'function') missing('has no initialStatus');
  if (!definition.reviewStages || Object.keys(definition.reviewStages).length === 0) {
    missing('declares no review stage');
  }
  if (!Array.isArray(definition.reasonCodes))
    missing("declares no reasonCodes (an empty list: the engine's only)");
  for (const code of definition.reasonCodes) {
    if (!REASON_CODE_PATTERN.test(code)) missing(`reason code ${code}: not snake_case`);
    if ((ENGINE_REASON_CODES as readonly string[]).includes(code))
      missing(`reason code ${code}: the engine's already`);
  }
  if (!Array.isArray(definition.agents) || definition.agents.length === 0) missing('declares no agent');
  const agentNames = new Set<string>();
  const tools = new Map<string, unknown>();
  for (const agent of definition.agents) {
    const agentName = typeof agent?.name === 'string' && agent.name ? agent.name : '(unnamed)';
    const part = (what: string) => missing(`agent ${agentName}: ${what}`);
    if (agentName === '(unnamed)') part('has no name');
    if (agentNames.has(agentName)) part('is declared twice');
    agentNames.add(agentName);
    if (typeof agent.outputSchema?.safeParse !== 'function') part('has no output schema');
    if (!agent.instructions) part('has no instructions');
    for (const tool of agent.tools ?? []) {
      if (!TOOL_NAME.test(tool?.name ?? '')) part(`tool ${String(tool?.name)}: not a valid tool name`);
      if (typeof tool.args?.safeParse !== 'function') part(`tool ${tool.name}: has no argument schema`);
      if (tools.has(tool.name) && tools.get(tool.name) !== tool) {
        part(`tool ${tool.name}: another agent of the type declares a different tool of that name`);
      }
      tools.set(tool.name, tool);
    }
    for (const required of agent.requiredTools ?? []) {
      if (!agent.tools.some((tool) => tool.name === required))
        part(`requires tool ${required}, which it may not call`);
    }
  }
}
