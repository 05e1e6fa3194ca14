/**
 * Prompt caching: every request the gateway sends puts what is the same from one intake to the next
 * first (instructions, tool definitions, response schema, then the user message's fixed fields) and the
 * intake last, so a provider's prompt cache serves the static part, and the cached tokens are billed at
 * the cached rate. Against the simulator's imitation of OpenAI's cache, through the real openai client.
 */
import {
  AGENTS,
  classifierInput,
  drafterInput,
  reasonerInput,
  type AgentDefinition,
  type ConversationMessage,
} from '../../agents';
import { costUsd, createModelGateway, type ModelGateway } from '../../agents/gateway';
import { INTAKE_DOCUMENT_FIELDS } from '../../agents/untrusted';
import { createLogger, type DocketConfig } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { simulatorConfig } from '../support/simulator-config';
import type { ChatRequest } from '../../simulator/protocol';
import { exampleIntake } from '../support/intakes';
import { tokensBeforeDocument } from '../support/prompt-prefix';

let simulator: RunningSimulator;
let config: DocketConfig;
let gateway: ModelGateway;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true, promptCache: true });
  config = simulatorConfig(simulator);
  gateway = createModelGateway({ config, logger: createLogger(config) });
});
beforeEach(() => {
  simulator.promptCache(true); // nothing cached from the test before
});
afterAll(async () => {
  await simulator.close();
});

/**
 * The classifier with more static guidance: the shipped classifier's instructions and schema come to
 * about 870 tokens, under the 1,024 a provider caches at the least (see docs/configuration.md,
 * "Tokens, context and prompt caching"), and agents are data.
 */
const guided: AgentDefinition = {
  ...AGENTS.classifier,
  instructions: [
    AGENTS.classifier.instructions,
    ...Array.from(
      { length: 12 },
      (_, i) => `Guidance ${i + 1}: weigh what the sender states against what the sender only supposes.`,
    ),
  ].join(' '),
};

/** The last chat request the simulator received. */
function lastRequest(): ChatRequest {
  const received = simulator.received();
  return received[received.length - 1] as ChatRequest;
}

const asMessages = (content: string): ConversationMessage[] => [{ role: 'user', content }];

describe('prompt caching', () => {
  it('serves the static part of the next intake’s request from the cache, never its intake, at the cached rate', async () => {
    const first = await gateway.runTurn(
      guided,
      asMessages(classifierInput(exampleIntake('conflict-adverse-client'))),
    );
    expect(first.usage.cachedInputTokens).toBe(0);

    const second = await gateway.runTurn(
      guided,
      asMessages(classifierInput(exampleIntake('limitation-imminent'))),
    );

    const { usage } = second;
    expect(usage.cachedInputTokens).toBeGreaterThanOrEqual(1_024);
    expect(usage.cachedInputTokens).toBeLessThanOrEqual(tokensBeforeDocument(lastRequest()));
    const [fast] = config.models.fast;
    expect(usage.costUsd).toBe(costUsd(fast, usage.inputTokens, usage.outputTokens, usage.cachedInputTokens));
    expect(usage.costUsd).toBeLessThan(costUsd(fast, usage.inputTokens, usage.outputTokens));
  });

  it("serves the reasoner's next round from the cache: the round before is its prefix", async () => {
    const intake = exampleIntake('clear-personal-injury');
    const messages = asMessages(
      reasonerInput({
        classification: { matterType: 'personal_injury' },
        intakeBody: intake.body,
        today: '2026-11-25',
      }),
    );
    const round1 = await gateway.runTurn(AGENTS.reasoner, messages);
    if (round1.kind !== 'tool_calls') throw new Error(`expected tool calls, got ${round1.kind}`);
    messages.push({ role: 'assistant', content: null, toolCalls: round1.toolCalls });
    for (const call of round1.toolCalls)
      messages.push({ role: 'tool', toolCallId: call.id, content: '{"found":false}' });

    const round2 = await gateway.runTurn(AGENTS.reasoner, messages);

    expect(round1.usage.cachedInputTokens).toBe(0);
    expect(round2.usage.cachedInputTokens).toBeGreaterThanOrEqual(1_024);
    expect(round2.usage.cachedInputTokens).toBeLessThanOrEqual(round1.usage.inputTokens);
    const [o1] = config.models.reasoning;
    const { inputTokens, outputTokens, cachedInputTokens } = round2.usage;
    expect(round2.usage.costUsd).toBe(costUsd(o1, inputTokens, outputTokens, cachedInputTokens));
  });

  it("serves the reasoner's instructions, tools and schema from the cache for the next, different intake", async () => {
    const input = (name: 'conflict-adverse-client' | 'limitation-imminent') =>
      asMessages(
        reasonerInput({
          classification: { matterType: 'commercial' },
          intakeBody: exampleIntake(name).body,
          today: '2026-11-25',
        }),
      );
    const first = await gateway.runTurn(AGENTS.reasoner, input('conflict-adverse-client'));
    const second = await gateway.runTurn(AGENTS.reasoner, input('limitation-imminent'));
    expect(first.usage.cachedInputTokens).toBe(0);
    expect(second.usage.cachedInputTokens).toBeGreaterThanOrEqual(1_024);
    expect(second.usage.cachedInputTokens).toBeLessThanOrEqual(tokensBeforeDocument(lastRequest()));
  });

  it('puts the intake last in every agent’s user message, after everything the next intake shares', () => {
    const inputs = [
      classifierInput({ channel: 'email', from: 'x', subject: 'y', body: 'the intake', receivedAt: 'z' }),
      reasonerInput({ classification: { a: 1 }, intakeBody: 'the intake', today: '2026-11-25' }),
      drafterInput({ classification: { a: 1 }, assessment: { b: 2 }, intakeBody: 'the intake' }),
    ];
    for (const input of inputs) {
      const keys = Object.keys(JSON.parse(input) as object);
      expect(INTAKE_DOCUMENT_FIELDS).toContain(keys[keys.length - 1]);
    }
  });
});
