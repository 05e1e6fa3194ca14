/**
 * The gateway asks for token logprobs only from models whose capabilities say they have them, and turns
 * them into the probability of each enum value the model chose: through the real openai client against
 * the simulator, whose logprobs follow its own certainty.
 */
import { AGENTS, classifierInput, reasonerInput, type ConversationMessage } from '../../agents';
import { createModelGateway, type ModelGateway } from '../../agents/gateway';
import { choiceProbabilities } from '../../agents/gateway/logprobs';
import { createLogger, type DocketConfig } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { simulatorConfig } from '../support/simulator-config';
import { CLEAR_INTAKE, VAGUE_INTAKE, type Intake } from '../simulator/agent-requests';

let simulator: RunningSimulator;
let config: DocketConfig;
let gateway: ModelGateway;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true });
  config = simulatorConfig(simulator);
  gateway = createModelGateway({ config, logger: createLogger(config) });
});
afterAll(async () => {
  await simulator.close();
});

function lastRequest(): Record<string, unknown> {
  const received = simulator.received();
  return received[received.length - 1] as Record<string, unknown>;
}

const classifierMessages = (intake: Intake): ConversationMessage[] => [
  { role: 'user', content: classifierInput(intake) },
];

async function classify(intake: Intake, using = gateway) {
  const turn = await using.runTurn(AGENTS.classifier, classifierMessages(intake));
  if (turn.kind !== 'output') throw new Error(`expected output, got ${turn.kind}`);
  return turn as typeof turn & {
    output: { matterType: string; fieldConfidence: Record<string, number>; keyDates: unknown[] };
  };
}

describe('logprobs in the gateway', () => {
  it('asks a model that has logprobs for them, and returns the probability of each enum value it chose', async () => {
    const turn = await classify(CLEAR_INTAKE);
    expect(config.models.fast[0].capabilities.logprobs).toBe(true);
    expect(lastRequest()).toMatchObject({ logprobs: true });
    const probabilities = turn.choiceProbabilities ?? {};
    expect(Object.keys(probabilities)).toEqual(
      expect.arrayContaining(['matterType', 'urgency', 'jurisdiction', 'keyDates.0.kind']),
    );
    // The simulator's logprobs follow its certainty, which is also what it writes as field confidence.
    expect(probabilities.matterType).toBeCloseTo(turn.output.fieldConfidence.matterType, 3);
    expect(probabilities.jurisdiction).toBeCloseTo(turn.output.fieldConfidence.jurisdiction, 3);
    expect(probabilities.matterType).toBeGreaterThan(0.85);
  });

  it('finds a guess unlikely, a null jurisdiction included', async () => {
    const turn = await classify(VAGUE_INTAKE);
    const probabilities = turn.choiceProbabilities ?? {};
    expect(probabilities.matterType).toBeLessThan(0.5);
    expect(probabilities.jurisdiction).toBeCloseTo(turn.output.fieldConfidence.jurisdiction, 3);
  });

  it('sends no logprobs to a model whose capabilities lack them, and the turn has none', async () => {
    const [fast] = config.models.fast;
    const without = createModelGateway({
      config: {
        ...config,
        models: {
          ...config.models,
          fast: [{ ...fast, capabilities: { ...fast.capabilities, logprobs: false } }],
        },
      },
      logger: createLogger(config),
    });
    const turn = await classify(CLEAR_INTAKE, without);
    expect(lastRequest()).not.toHaveProperty('logprobs');
    expect(turn.choiceProbabilities).toBeUndefined();
  });

  it('asks o1 for none (it refuses them with a 400) and still gets its answer', async () => {
    const classification = (await classify(CLEAR_INTAKE)).output;
    const messages: ConversationMessage[] = [
      {
        role: 'user',
        content: reasonerInput({ classification, intakeBody: CLEAR_INTAKE.body, today: '2026-11-25' }),
      },
    ];
    const turn = await gateway.runTurn(AGENTS.reasoner, messages);
    expect(config.models.reasoning[0].capabilities.logprobs).toBe(false);
    expect(lastRequest()).toMatchObject({ model: config.models.reasoning[0].model });
    expect(lastRequest()).not.toHaveProperty('logprobs');
    expect(turn.kind).toBe('tool_calls');
  });

  it('trusts no position when the tokens do not add up to the content', () => {
    const content = '{"matterType":"family"}';
    const schema = { type: 'object', properties: { matterType: { type: 'string', enum: ['family'] } } };
    const token = (text: string, logprob: number) => ({
      token: text,
      logprob,
      bytes: [...Buffer.from(text)],
      top_logprobs: [],
    });
    const whole = [
      token('{"', 0),
      token('matter', 0),
      token('Type', 0),
      token('":"', -0.1),
      token('family', -0.2),
      token('"}', 0),
    ];
    expect(choiceProbabilities(content, whole, schema)).toEqual({
      matterType: Math.round(Math.exp(-0.3) * 1e4) / 1e4,
    });
    expect(choiceProbabilities(content, whole.slice(1), schema)).toBeUndefined();
  });
});
