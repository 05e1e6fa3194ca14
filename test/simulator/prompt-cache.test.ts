/**
 * The simulator's prompt cache, through the real openai client: prompts of 1,024 tokens or more cached by
 * exact prefix, per model, hits reported in 128-token steps, never past the first token two prompts differ in.
 */
import { countTokens } from 'gpt-tokenizer';
import { startSimulator, type RunningSimulator } from '../../simulator';
import { FAST_MODEL, DRAFTING_MODEL, openaiClient } from './agent-requests';

let simulator: RunningSimulator;

beforeAll(async () => {
  simulator = await startSimulator({ port: 0, promptCache: true });
});
afterAll(async () => {
  await simulator.close();
});
beforeEach(() => {
  simulator.promptCache(true); // nothing cached from the test before
});

/** Static instructions of about 1,500 tokens. */
const INSTRUCTIONS = Array.from(
  { length: 120 },
  (_, i) => `Rule ${i + 1}: read the message with care and answer in plain words.`,
).join('\n');

async function cachedTokens(user: string, model = FAST_MODEL, system = INSTRUCTIONS) {
  const completion = await openaiClient(simulator).chat.completions.create({
    model,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: user },
    ],
  });
  return {
    cached: completion.usage!.prompt_tokens_details!.cached_tokens!,
    prompt: completion.usage!.prompt_tokens,
  };
}

/** Tokens the two requests share: the system message, and the user message's framing up to its text. */
const SHARED = 3 + countTokens('system') + countTokens(INSTRUCTIONS) + 2 + countTokens('user');

describe('the simulator caches prompts as OpenAI does', () => {
  it('caches nothing on first sight, then the shared static prefix, rounded down to a 128-token step', async () => {
    expect(SHARED).toBeGreaterThan(1_024 + 128);
    expect(await cachedTokens('First intake: a car crash.')).toMatchObject({ cached: 0 });

    const { cached, prompt } = await cachedTokens('Another intake entirely: a lease.');

    expect(cached).toBeLessThanOrEqual(SHARED);
    expect(cached).toBeGreaterThan(SHARED - 128);
    expect((cached - 1_024) % 128).toBe(0);
    expect(cached).toBeLessThan(prompt);
  });

  it('serves a repeated prompt from the cache up to its last full step', async () => {
    const user = 'The same intake, sent twice.';
    const first = await cachedTokens(user);
    const again = await cachedTokens(user);
    expect(first.cached).toBe(0);
    // The whole prompt less the reply priming (3 tokens), rounded down to a step.
    const whole = first.prompt - 3;
    expect(again.cached).toBe(1_024 + Math.floor((whole - 1_024) / 128) * 128);
  });

  it('keeps one cache per model', async () => {
    await cachedTokens('An intake for the fast model.', FAST_MODEL);
    expect(await cachedTokens('An intake for the drafting model.', DRAFTING_MODEL)).toMatchObject({
      cached: 0,
    });
  });

  it('caches no prompt shorter than 1,024 tokens', async () => {
    const short = 'Answer briefly.';
    await cachedTokens('One.', FAST_MODEL, short);
    expect(await cachedTokens('One.', FAST_MODEL, short)).toMatchObject({ cached: 0 });
  });

  it('is off unless asked for: usage then depends on the request alone', async () => {
    simulator.promptCache(false);
    await cachedTokens('Twice.');
    expect(await cachedTokens('Twice.')).toMatchObject({ cached: 0 });
  });
});
