import { z } from 'zod';
import {
  ENGINE_REASON_CODES,
  WorkflowDefinitionError,
  WorkflowRegistry,
  emptyUsage,
  workflowIdOf,
  type AgentDefinition,
  type AnyWorkflowDefinition,
  type ToolSpec,
} from '../../domain';
import { workflowRegistry } from '../../workflows/registry';

/** The one agent of the types below. */
const checker: AgentDefinition = {
  name: 'checker',
  tier: 'fast',
  instructions: 'Check the claim.',
  outputName: 'check',
  outputSchema: z.object({ confidence: z.number(), rationale: z.string() }),
  tools: [],
  requiredTools: [],
};

/** A complete definition of a type that does nothing, for the registry's own checks. */
function definition(restName: string, workflowType: string): AnyWorkflowDefinition {
  return {
    workflowType,
    workflowModule: `/definitions/${restName}/workflow.ts`,
    restName,
    title: `${restName} for tests`,
    body: z.object({ externalId: z.string() }),
    bodyName: 'MemoRequest',
    settings: () => ({}),
    status: z.any(),
    initialStatus: (workflowId, externalId, at) => ({
      workflowId,
      externalId,
      ...at,
      review: null,
      reviewHistory: [],
      rejectedDecisions: [],
      results: {},
      result: null,
      usage: emptyUsage(),
      error: null,
    }),
    reviewStages: { check: null },
    reasonCodes: ['claim_unsupported'],
    agents: [checker],
  };
}

describe('WorkflowRegistry', () => {
  const registry = new WorkflowRegistry([
    definition('expense-claim', 'expenseClaim'),
    definition('memo', 'memo'),
  ]);

  it('finds a type by REST name, Temporal type and workflow id', () => {
    expect(registry.restNames).toEqual(['expense-claim', 'memo']);
    expect(registry.workflowTypes).toEqual(['expenseClaim', 'memo']);
    expect(registry.byRestName('memo')?.workflowType).toBe('memo');
    expect(registry.byWorkflowType('expenseClaim')?.restName).toBe('expense-claim');
    expect(registry.byRestName('legal-intake')).toBeUndefined();
    const resolved = registry.resolve(workflowIdOf(registry.byRestName('expense-claim')!, 'EC-1:a.b'));
    expect(resolved?.definition.restName).toBe('expense-claim');
    expect(resolved?.externalId).toBe('EC-1:a.b');
  });

  it('resolves no id of an unregistered type, and no id whose externalId breaks the rule', () => {
    expect(registry.resolve('legal-intake-1')).toBeUndefined();
    expect(registry.resolve('memo-')).toBeUndefined();
    expect(registry.resolve('memo-a b')).toBeUndefined();
    expect(registry.resolve(`memo-${'x'.repeat(129)}`)).toBeUndefined();
    expect(registry.resolve('memo-x'.repeat(1))?.externalId).toBe('x');
  });

  it('states in one pattern exactly the workflow ids it resolves', () => {
    const ids = [
      'memo-x',
      'expense-claim-EC-1:a.b',
      'memo-',
      'memo-a b',
      'memo-ü',
      'legal-intake-1',
      'memox',
    ];
    ids.push(`memo-${'x'.repeat(128)}`, `memo-${'x'.repeat(129)}`, `expense-claim-${'x'.repeat(129)}`);
    for (const id of ids) {
      expect([id, registry.workflowIdPattern.test(id)]).toEqual([id, registry.resolve(id) !== undefined]);
    }
    expect(registry.workflowIdPattern.test('memo-x')).toBe(true);
  });

  it('stops at start on a definition that is incomplete or clashes, naming the type and the part', () => {
    const make =
      (...definitions: AnyWorkflowDefinition[]) =>
      () =>
        new WorkflowRegistry(definitions);
    expect(make()).toThrow('the registry lists no workflow type');
    expect(make({ ...definition('memo', 'memo'), reviewStages: {} })).toThrow(
      new WorkflowDefinitionError('workflow type memo: declares no review stage'),
    );
    expect(make({ ...definition('memo', 'memo'), body: undefined as never })).toThrow(
      'workflow type memo: has no body schema',
    );
    expect(make({ ...definition('memo', 'memo'), bodyName: 'memo body' })).toThrow(
      'workflow type memo: bodyName must name its body in PascalCase',
    );
    expect(make(definition('Memo', 'memo'))).toThrow('workflow type Memo: restName must be lower-case');
    expect(make(definition('memo', 'memo-type'))).toThrow('workflow type memo: workflowType must name');
    expect(make({ ...definition('memo', 'memo'), workflowModule: './workflow' })).toThrow(
      'workflow type memo: workflowModule must be the absolute path',
    );
    expect(make(definition('memo', 'memo'), definition('memo', 'memo2'))).toThrow(
      'workflow type memo: registered twice',
    );
    expect(make(definition('memo', 'memo'), definition('note', 'memo'))).toThrow(
      "workflow type note: its Temporal type memo is memo's",
    );
    // `memo-draft-1` would be memo's run `draft-1` and memo-draft's run `1`.
    expect(make(definition('memo', 'memo'), definition('memo-draft', 'memoDraft'))).toThrow(
      "workflow type memo-draft: its workflow ids could not be told from memo's",
    );
  });

  it("lists the engine's reason codes and each type's, and refuses a code badly formed or the engine's", () => {
    expect(registry.reasonCodes).toEqual([...ENGINE_REASON_CODES, 'claim_unsupported']);
    const withCodes =
      (...reasonCodes: string[]) =>
      () =>
        new WorkflowRegistry([{ ...definition('memo', 'memo'), reasonCodes }]);
    expect(withCodes('Claim-Unsupported')).toThrow(
      'workflow type memo: reason code Claim-Unsupported: not snake_case',
    );
    expect(withCodes('low_confidence')).toThrow(
      "workflow type memo: reason code low_confidence: the engine's already",
    );
    expect(workflowRegistry.reasonCodes).toEqual(
      expect.arrayContaining(['low_confidence', 'potential_conflict']),
    );
  });

  it('stops at start on an agent that is incomplete or names a tool it cannot call', () => {
    const withAgents =
      (...agents: AgentDefinition[]) =>
      () =>
        new WorkflowRegistry([{ ...definition('memo', 'memo'), agents }]);
    const lookup: ToolSpec = {
      name: 'lookupMemo',
      description: 'Find a memo.',
      args: z.object({ id: z.string() }),
      result: z.object({ found: z.boolean() }),
    };
    expect(withAgents()).toThrow('workflow type memo: declares no agent');
    expect(withAgents(checker, checker)).toThrow('workflow type memo: agent checker: is declared twice');
    expect(withAgents({ ...checker, requiredTools: ['lookupMemo'] })).toThrow(
      'workflow type memo: agent checker: requires tool lookupMemo, which it may not call',
    );
    expect(withAgents({ ...checker, tools: [{ ...lookup, name: 'look up' }] })).toThrow(
      'workflow type memo: agent checker: tool look up: not a valid tool name',
    );
    expect(
      withAgents({ ...checker, tools: [lookup] }, { ...checker, name: 'second', tools: [{ ...lookup }] }),
    ).toThrow('workflow type memo: agent second: tool lookupMemo: another agent of the type declares');
    expect(
      () =>
        new WorkflowRegistry([
          { ...definition('memo', 'memo'), agents: [{ ...checker, tools: [lookup] }] },
          { ...definition('note', 'note'), agents: [{ ...checker, tools: [{ ...lookup }] }] },
        ]),
    ).toThrow("workflow type note: tool lookupMemo is also memo's, as a different tool");

    const registry = new WorkflowRegistry([
      { ...definition('memo', 'memo'), agents: [{ ...checker, tools: [lookup] }] },
    ]);
    expect(registry.agent('memo', 'checker')?.tools).toEqual([lookup]);
    expect(registry.agent('note', 'checker')).toBeUndefined();
    expect(() => registry.checkExecutors(['callModel'])).toThrow(
      'workflow type memo: tool lookupMemo has no activity of that name to run it',
    );
    expect(() => registry.checkExecutors(['callModel', 'lookupMemo'])).not.toThrow();

    const filing = new WorkflowRegistry([
      { ...definition('memo', 'memo'), requiredActivities: ['fileMemo'] },
    ]);
    expect(() => filing.checkExecutors(['callModel'])).toThrow(
      'workflow type memo: its workflow calls activity fileMemo, which no one registers',
    );
  });

  it("registers legal intake under DESIGN.md's names", () => {
    const legal = workflowRegistry.byRestName('legal-intake');
    expect(legal?.workflowType).toBe('legalIntake');
    expect(workflowRegistry.resolve('legal-intake-A-1')?.externalId).toBe('A-1');
    expect(Object.keys(legal!.reviewStages)).toEqual(['classify', 'reason', 'draft', 'file']);
  });
});
