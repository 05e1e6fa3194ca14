/**
 * Asked for `logprobs`, the simulator answers as OpenAI does: the content's tokens with their log
 * probabilities, bytes and alternatives, the enum values it chose as likely as it is sure of them.
 * (Reasoning models refuse `logprobs` with a 400, as o1 does: test/simulator/models.test.ts.)
 */
import type { ChatCompletionTokenLogprob } from 'openai/resources/chat/completions';
import { Classification } from '../../agents';
import {
  CLEAR_INTAKE,
  VAGUE_INTAKE,
  classificationRequest,
  simulatorForThisFile,
  type Intake,
} from './agent-requests';

const sim = simulatorForThisFile();

async function classifyWithLogprobs(intake: Intake, top = 3) {
  const completion = await sim.client.chat.completions.parse({
    ...classificationRequest(intake),
    logprobs: true,
    top_logprobs: top,
  });
  const choice = completion.choices[0];
  return {
    content: choice.message.content ?? '',
    classification: Classification.parse(choice.message.parsed),
    tokens: choice.logprobs?.content ?? [],
  };
}

/** The tokens from the field's colon to the end of its value, as a client finds them by position. */
function valueTokens(content: string, tokens: ChatCompletionTokenLogprob[], key: string, value: string) {
  const colon = content.indexOf(`"${key}":`) + key.length + 2;
  const end = colon + 1 + JSON.stringify(value).length;
  let at = 0;
  return tokens.filter((token) => {
    const start = at;
    at += token.token.length;
    return at > colon && start < end;
  });
}

const probability = (tokens: ChatCompletionTokenLogprob[]) =>
  Math.exp(tokens.reduce((sum, token) => sum + token.logprob, 0));

describe('logprobs', () => {
  it('returns the content as tokens whose text and bytes add up to the answer', async () => {
    const { content, tokens } = await classifyWithLogprobs(CLEAR_INTAKE);
    expect(tokens.length).toBeGreaterThan(20);
    expect(tokens.map((t) => t.token).join('')).toBe(content);
    expect(Buffer.from(tokens.flatMap((t) => t.bytes ?? [])).toString('utf8')).toBe(content);
    for (const token of tokens) {
      expect(token.logprob).toBeLessThanOrEqual(0);
      expect(token.top_logprobs.length).toBeGreaterThanOrEqual(1);
      expect(token.top_logprobs.length).toBeLessThanOrEqual(3);
    }
  });

  it('gives a chosen value the probability the simulator is sure of it, high for a clear intake', async () => {
    const { content, tokens, classification } = await classifyWithLogprobs(CLEAR_INTAKE);
    const matter = valueTokens(content, tokens, 'matterType', classification.matterType);
    expect(classification.matterType).toBe('personal_injury');
    expect(probability(matter)).toBeCloseTo(classification.fieldConfidence.matterType, 3);
    expect(probability(matter)).toBeGreaterThan(0.85);
  });

  it('gives a guess a low probability and lists the values passed over as alternatives', async () => {
    const { content, tokens, classification } = await classifyWithLogprobs(VAGUE_INTAKE, 5);
    const matter = valueTokens(content, tokens, 'matterType', classification.matterType);
    expect(probability(matter)).toBeCloseTo(classification.fieldConfidence.matterType, 3);
    expect(probability(matter)).toBeLessThan(0.5);
    const deciding = matter.reduce((a, b) => (b.logprob < a.logprob ? b : a));
    expect(deciding.top_logprobs.length).toBeGreaterThan(1);
    expect(deciding.top_logprobs.map((t) => t.token)).toContain(deciding.token);
    const mass = deciding.top_logprobs.reduce((sum, t) => sum + Math.exp(t.logprob), 0);
    expect(mass).toBeLessThanOrEqual(1.000001);
  });

  it('makes a null jurisdiction a choice too: the probability sits on the token that opens the value', async () => {
    const { content, tokens, classification } = await classifyWithLogprobs(VAGUE_INTAKE);
    expect(classification.jurisdiction).toBeNull();
    const colon = content.indexOf('"jurisdiction":') + '"jurisdiction"'.length;
    let at = 0;
    const around = tokens.filter((token) => {
      const start = at;
      at += token.token.length;
      return at > colon && start < colon + 1 + 'null'.length;
    });
    expect(probability(around)).toBeCloseTo(classification.fieldConfidence.jurisdiction, 3);
  });

  it('answers without logprobs when none were asked for', async () => {
    const completion = await sim.client.chat.completions.create(classificationRequest(CLEAR_INTAKE));
    expect(completion.choices[0].logprobs).toBeNull();
  });
});
