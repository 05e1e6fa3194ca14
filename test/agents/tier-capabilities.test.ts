/**
 * Before a worker runs anything, every agent of every registered type must be servable by every model of its
 * tier (issue 23, "Bad input"): a model that lacks what the agent needs would be passed over at every call,
 * a fallback in name only.
 */
import { checkTiersServeAgents } from '../../agents/gateway';
import { ConfigError, loadConfig } from '../../config';
import { workflowRegistry } from '../../workflows/registry';

const agents = workflowRegistry.definitions.flatMap((d) =>
  d.agents.map((agent) => ({ workflow: d.restName, agent })),
);
const shipped = loadConfig({ env: {} }).models;

function refusal(models: typeof shipped): string {
  try {
    checkTiersServeAgents(models, agents);
  } catch (err) {
    if (err instanceof ConfigError) return err.message;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

it('takes the shipped tiers for every registered agent', () => {
  expect(() => checkTiersServeAgents(shipped, agents)).not.toThrow();
});

it('refuses a model without tools on a tier an agent with tools runs on, naming the entry and the agent', () => {
  const [first, second, ...rest] = shipped.reasoning;
  const noTools = { ...second, capabilities: { ...second.capabilities, tools: false } };
  expect(refusal({ ...shipped, reasoning: [first, noTools, ...rest] })).toBe(
    `models.reasoning.1 (${second.model}): lacks tools, which legal-intake's reasoner needs on this tier`,
  );
  // The same model on the fast tier, where no agent calls tools, is fine.
  expect(() => checkTiersServeAgents({ ...shipped, fast: [...shipped.fast, noTools] }, agents)).not.toThrow();
});

it('refuses a model without structured outputs on any tier, and a tier that is missing', () => {
  const [gpt4o, ...rest] = shipped.drafting;
  const plain = { ...gpt4o, capabilities: { ...gpt4o.capabilities, structuredOutputs: false } };
  expect(refusal({ ...shipped, drafting: [plain, ...rest] })).toMatch(
    /^models\.drafting\.0 \(gpt-4o-2024-08-06\): lacks structuredOutputs, which legal-intake's drafter needs/,
  );
  const withoutDrafting = Object.fromEntries(Object.entries(shipped).filter(([tier]) => tier !== 'drafting'));
  expect(refusal(withoutDrafting as typeof shipped)).toMatch(
    /^models\.drafting: no such tier, and legal-intake's drafter runs on it \(tiers: fast, reasoning\)$/,
  );
});
