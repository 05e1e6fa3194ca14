/**
 * A cascade config a run could not follow is refused when the API or the worker starts (a type's settings
 * are read then), with the key named: an unknown tier or model, a rule on a field the agent does not
 * produce, rungs that drop in price, a model lacking what the agent needs, effort for a model that takes none.
 */
import path from 'node:path';
import { loadConfig, type CascadeRungConfig } from '../../config';
import { workflowRegistry } from '../../workflows/registry';
import { configErrorOf, dropCascades } from './support';

const FILE = path.join(__dirname, '../../temporal.config.json');
const legal = workflowRegistry.byRestName('legal-intake')!;
const clinical = workflowRegistry.byRestName('clinical-summary')!;

/** Legal intake's settings with the reasoner's cascade as given. */
function reasonerCascade(cascade: unknown) {
  const config = loadConfig({
    file: FILE,
    env: {},
    overrides: { agents: { reasoner: { cascade } } } as never,
  });
  return legal.settings(config) as { cascades?: Record<string, unknown> };
}

const cheapThenO1 = (when: CascadeRungConfig['when'] = { policy: true }) => [
  { tier: 'fast' },
  { model: 'o1-2024-12-17', when },
];

it('keeps each rung with its tier: a model rung gets its model’s', () => {
  expect(reasonerCascade(cheapThenO1()).cascades?.reasoner).toEqual([
    { tier: 'fast' },
    { tier: 'reasoning', model: 'o1-2024-12-17', when: { policy: true } },
  ]);
  // Without a cascade the settings carry none, so runs go on as before cascades.
  expect(legal.settings(dropCascades(loadConfig({ file: FILE, env: {} })))).not.toHaveProperty('cascades');
});

it('ships cascades whose top rungs are the design’s models', () => {
  const { cascades } = legal.settings(loadConfig({ file: FILE, env: {} })) as {
    cascades: Record<string, Array<{ tier: string; model?: string }>>;
  };
  expect(Object.keys(cascades).sort()).toEqual(['drafter', 'reasoner']);
  // The top rung is a tier, its first model the design's: o1 for the reasoner, GPT-4o for the drafter.
  expect(cascades.reasoner.at(-1)).toMatchObject({ tier: 'reasoning' });
  expect(cascades.reasoner.at(-1)).not.toHaveProperty('model');
  expect(cascades.drafter.at(-1)).toMatchObject({ tier: 'drafting' });
  expect(cascades.drafter.at(-1)).not.toHaveProperty('model');
});

it.each([
  ['an unknown tier', [{ tier: 'premium' }], /agents\.reasoner\.cascade\.0\.tier/],
  [
    'an unknown model',
    [{ tier: 'fast' }, { model: 'gpt-9', when: { policy: true } }],
    /agents\.reasoner\.cascade\.1\.model: gpt-9 is in no tier's models/,
  ],
  [
    'a tier and a model at once',
    [{ tier: 'fast', model: 'o1-2024-12-17' }],
    /agents\.reasoner\.cascade\.0.*a tier or a model/,
  ],
  [
    'a rule on a field the agent does not produce',
    cheapThenO1({ output: { urgency: ['high'] } }),
    /agents\.reasoner\.cascade\.1\.when\.output\.urgency: the reasoner produces no such field/,
  ],
  [
    'rungs that climb in price, then drop',
    [
      { tier: 'fast' },
      { tier: 'reasoning', when: { policy: true } },
      { tier: 'drafting', when: { lowConfidence: true } },
    ],
    /agents\.reasoner\.cascade\.2: gpt-4o-2024-08-06 .* is cheaper than the rung below it \(o1-2024-12-17/,
  ],
  [
    'a rule on the first rung',
    [{ tier: 'fast', when: { policy: true } }],
    /agents\.reasoner\.cascade\.0\.when: the first rung has no rule/,
  ],
  [
    'a higher rung without a rule',
    [{ tier: 'fast' }, { tier: 'reasoning' }],
    /agents\.reasoner\.cascade\.1\.when: missing/,
  ],
  [
    'a rule that names nothing',
    [{ tier: 'fast' }, { tier: 'reasoning', when: {} }],
    /agents\.reasoner\.cascade\.1\.when.*names no rule/,
  ],
  [
    'effort for a model that takes none',
    [{ tier: 'fast', reasoningEffort: 'low' }],
    /agents\.reasoner\.cascade\.0\.reasoningEffort: gpt-4o-mini-2024-07-18 takes no reasoning effort/,
  ],
])('refuses %s, naming the key', (_what, cascade, message) => {
  expect(configErrorOf(() => reasonerCascade(cascade)).message).toMatch(message);
});

it('refuses a rung whose model lacks what the agent needs', () => {
  const config = loadConfig({
    file: FILE,
    env: {},
    overrides: { agents: { reasoner: { cascade: [{ tier: 'fast' }] } } },
  });
  // The fast tier's first model, as a deployment without tool calls would list it.
  config.models.fast[0] = {
    ...config.models.fast[0],
    capabilities: { ...config.models.fast[0].capabilities, tools: false },
  };
  expect(configErrorOf(() => legal.settings(config)).message).toBe(
    'agents.reasoner.cascade.0: gpt-4o-mini-2024-07-18 lacks tools, which the reasoner needs',
  );
});

it("reads a pipeline type's cascades under workflows.<type>.agents", () => {
  const [agent] = (clinical.agents as ReadonlyArray<{ name: string }>).map((a) => a.name);
  const config = loadConfig({
    file: FILE,
    env: {},
    overrides: {
      workflows: {
        'clinical-summary': {
          agents: {
            [agent]: {
              confidenceThreshold: 0.5,
              cascade: [{ tier: 'fast' }, { tier: 'fast', when: { lowConfidence: true } }],
            },
          },
        },
      },
    } as never,
  });
  expect((clinical.settings(config) as { cascades?: unknown }).cascades).toEqual({
    [agent]: [{ tier: 'fast' }, { tier: 'fast', when: { lowConfidence: true } }],
  });
  config.workflows['clinical-summary'].agents[agent].cascade = [{ tier: 'nope' as never }];
  expect(configErrorOf(() => clinical.settings(config)).message).toMatch(
    `workflows.clinical-summary.agents.${agent}.cascade.0.tier`,
  );
});
