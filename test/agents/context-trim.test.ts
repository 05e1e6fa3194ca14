/**
 * Context overflow trims: when no model of the tier can hold the request with room for its answer, the
 * gateway trims the intake document to fit the model with the most room, sends that through the real
 * openai client to the simulator, and says in the call's usage what it cut.
 */
import { AGENTS, classifierInput, reasonerInput, type ConversationMessage } from '../../agents';
import { ModelContextWindowError, createModelGateway, promptTokens } from '../../agents/gateway';
import { chatRequest } from '../../agents/gateway/request';
import { documentTokens } from '../../agents/gateway/trim';
import { createLogger, loadConfig, type DocketConfig, type ModelEntry } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { simulatorConfig } from '../support/simulator-config';
import { fillerParagraph, longIntake } from '../support/intakes';

let simulator: RunningSimulator;
let config: DocketConfig;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, recordRequests: true });
  config = simulatorConfig(simulator);
});
afterAll(async () => {
  await simulator.close();
});

const fast = loadConfig({ env: {} }).models.fast[0];
/** gpt-4o mini with a window of `contextWindow` tokens, 1,000 of them kept for the answer. */
function sized(contextWindow: number, model = fast.model): ModelEntry {
  return { ...fast, model, contextWindow, maxOutputTokens: 1_000 };
}

function gatewayWith(tier: 'fast' | 'reasoning', entries: [ModelEntry, ...ModelEntry[]]) {
  return createModelGateway({
    config: { ...config, models: { ...config.models, [tier]: entries } },
    logger: createLogger(config),
  });
}

/** The body of the last chat request the simulator received. */
function lastRequest() {
  const received = simulator.received();
  return received[received.length - 1] as Parameters<typeof promptTokens>[0];
}

/** The user message the simulator received, parsed. */
function userMessageOf(request: Parameters<typeof promptTokens>[0]): Record<string, unknown> {
  const user = request.messages.find((message) => message.role === 'user');
  return JSON.parse(user!.content as string) as Record<string, unknown>;
}

/** The long clear intake as the classifier reads it: pseudonymized, as every model sees it. */
function pseudonymizedLongIntake() {
  const intake = longIntake('clear-personal-injury', 60);
  const body = intake.body
    .replaceAll('Jordan Reyes', '[PERSON_1]')
    .replaceAll('Bayview Movers LLC', '[ORG_1]')
    .replaceAll('jordan.reyes@example.com', '[EMAIL_1]')
    .replaceAll('(310) 555-0142', '[PHONE_1]');
  return { ...intake, from: '[PERSON_1] <[EMAIL_1]>', body };
}

describe('context overflow trims the intake document', () => {
  it('sends the classifier a trimmed intake that fits the window, and the usage says what was cut', async () => {
    const intake = pseudonymizedLongIntake();
    const entry = sized(3_000);
    const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];
    const whole = chatRequest(entry, config.providers.openai!, AGENTS.classifier, messages);
    expect(promptTokens(whole)).toBeGreaterThan(entry.contextWindow);

    const turn = await gatewayWith('fast', [entry]).runTurn(AGENTS.classifier, messages);

    expect(turn.kind).toBe('output');
    const sent = lastRequest();
    expect(promptTokens(sent) + entry.maxOutputTokens).toBeLessThanOrEqual(entry.contextWindow);
    const body = userMessageOf(sent).body as string;
    const paragraphs = intake.body.split('\n\n');
    // The head, the paragraph naming the parties, and the tail are there; most of the middle is not.
    expect(body.startsWith(`${paragraphs[0]}\n\n${paragraphs[1]}`)).toBe(true);
    expect(body.endsWith(paragraphs.slice(-2).join('\n\n'))).toBe(true);
    expect(body).not.toContain(fillerParagraph(30));
    expect(body).toMatch(/\[… \d+ paragraphs, [\d,]+ tokens cut …\]/);
    // The rest of the message is as the builder wrote it.
    expect(userMessageOf(sent)).toMatchObject({ channel: 'email', subject: intake.subject });

    expect(turn.usage.trimmed).toEqual({
      documentTokens: documentTokens(intake.body),
      keptTokens: documentTokens(body),
      cutParagraphs: expect.any(Number),
    });
    expect(turn.usage.trimmed!.cutParagraphs).toBeGreaterThan(30);
    expect(turn.usage.inputTokens + entry.maxOutputTokens).toBeLessThanOrEqual(entry.contextWindow);
  });

  it('trims to the model with the most room, which answers; the smaller one is passed over', async () => {
    const intake = pseudonymizedLongIntake();
    const small = sized(2_500, 'gpt-4o-mini-2024-07-18');
    const larger = sized(3_500, 'gpt-4o-2024-08-06');
    const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];
    const before = simulator.received().length;

    const turn = await gatewayWith('fast', [small, larger]).runTurn(AGENTS.classifier, messages);

    expect(
      simulator
        .received()
        .slice(before)
        .map((body) => (body as { model: string }).model),
    ).toEqual([larger.model]);
    expect(turn.usage).toMatchObject({
      model: larger.model,
      fallbacks: [{ model: small.model, provider: 'openai', reason: 'context_window' }],
    });
    expect(turn.usage.inputTokens + larger.maxOutputTokens).toBeLessThanOrEqual(larger.contextWindow);
    // Trimmed to the larger window, it is more than would have fitted the smaller one.
    expect(turn.usage.inputTokens + small.maxOutputTokens).toBeGreaterThan(small.contextWindow);
  });

  it("keeps the paragraphs that name the classification's parties in the reasoner's intake", async () => {
    // Names left in clear (pseudonymization of names switched off): the classification names them.
    const intake = longIntake('clear-personal-injury', 60);
    const paragraphs = intake.body.split('\n\n');
    const aside = 'Later a man from Bayview Movers LLC came to my door and asked me to sign a release.';
    paragraphs.splice(35, 0, aside);
    const body = paragraphs.join('\n\n');
    const classification = {
      matterType: 'personal_injury',
      client: { name: 'Jordan Reyes', email: null, phone: null, organization: null },
      opposingParties: ['Bayview Movers LLC'],
    };
    const messages: ConversationMessage[] = [
      { role: 'user', content: reasonerInput({ classification, intakeBody: body, today: '2026-11-25' }) },
    ];
    const o1: ModelEntry = { ...config.models.reasoning[0], contextWindow: 5_000, maxOutputTokens: 2_500 };

    const turn = await gatewayWith('reasoning', [o1]).runTurn(AGENTS.reasoner, messages);

    expect(turn.kind).toBe('tool_calls');
    const sent = userMessageOf(lastRequest());
    expect(sent.classification).toEqual(classification);
    expect(sent.today).toBe('2026-11-25');
    expect(sent.intake).toContain(aside);
    expect(sent.intake).not.toContain(fillerParagraph(30));
    expect(turn.usage.trimmed?.cutParagraphs).toBeGreaterThan(0);
  });

  it('still fails for good, calling nothing, when even an empty document would not fit', async () => {
    const intake = pseudonymizedLongIntake();
    const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];
    const before = simulator.received().length;

    const err = await gatewayWith('fast', [sized(1_500)])
      .runTurn(AGENTS.classifier, messages)
      .catch((e: unknown) => e);

    expect(err).toBeInstanceOf(ModelContextWindowError);
    expect(simulator.received().length).toBe(before);
  });

  it('leaves a request that fits alone', async () => {
    const intake = pseudonymizedLongIntake();
    const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];
    const turn = await gatewayWith('fast', [sized(16_000)]).runTurn(AGENTS.classifier, messages);
    expect(turn.usage.trimmed).toBeUndefined();
    expect(userMessageOf(lastRequest()).body).toBe(intake.body);
  });
});
