import { LengthFinishReasonError } from 'openai/core/error';
import { countTokens } from 'gpt-tokenizer';
import { Classification } from '../../agents';
import { startSimulator } from '../../simulator';
import {
  CLEAR_INTAKE,
  FAST_MODEL,
  REASONING_MODEL,
  VAGUE_INTAKE,
  classificationRequest,
  classify,
  openaiClient,
  simulatorForThisFile,
} from './agent-requests';

const sim = simulatorForThisFile();

describe('classifying a pseudonymized intake', () => {
  it('reads placeholders as the names and addresses they stand for, and writes them back as placeholders', async () => {
    const completion = await classify(sim.client, {
      channel: 'email',
      from: '[PERSON_1] <[EMAIL_1]>',
      subject: 'Injured in a car accident',
      body:
        'Hello,\n\nMy name is [PERSON_1]. On 2026-03-14 I was injured in a car crash in Los Angeles, California: ' +
        'a delivery van owned by [ORG_1] ran a stop sign and hit my car.\n\n[PERSON_1]\n[EMAIL_1]\n[PHONE_1]',
    });
    const classification = Classification.parse(completion.choices[0].message.parsed);
    expect(classification.client).toEqual({
      name: '[PERSON_1]',
      email: '[EMAIL_1]',
      phone: '[PHONE_1]',
      organization: null,
    });
    expect(classification.opposingParties).toEqual(['[ORG_1]']);
    expect(JSON.stringify(classification)).not.toMatch(/Quill|Zephyr|token\.example/);
  });

  it('keeps every request it received when asked, and can be told to leak a text into its answers', async () => {
    const recording = await startSimulator({ port: 0, recordRequests: true });
    try {
      const leaking = openaiClient(recording);
      recording.leak('Maria Lopez again');
      const completion = await classify(leaking, CLEAR_INTAKE);
      expect(completion.choices[0].message.parsed?.rationale).toMatch(/ Maria Lopez again$/);
      recording.leak(null);
      const clean = await classify(leaking, CLEAR_INTAKE);
      expect(clean.choices[0].message.parsed?.rationale).not.toContain('again');
      expect(recording.received()).toHaveLength(2);
      expect(JSON.stringify(recording.received()[0])).toContain('maria.lopez@example.com');
      expect(sim.simulator.received()).toEqual([]);
    } finally {
      await recording.close();
    }
  });
});

describe('classifying an intake', () => {
  it('classifies a clear car-accident enquiry correctly and confidently', async () => {
    const completion = await classify(sim.client, CLEAR_INTAKE);
    const classification = Classification.parse(completion.choices[0].message.parsed);

    expect(classification.matterType).toBe('personal_injury');
    expect(classification.jurisdiction).toBe('US-CA');
    expect(classification.client).toEqual({
      name: 'Maria Lopez',
      email: 'maria.lopez@example.com',
      phone: '(213) 555-0187',
      organization: null,
    });
    expect(classification.opposingParties).toEqual(['Harbor Freightways Inc']);
    expect(classification.keyDates).toEqual([
      expect.objectContaining({ kind: 'incident', date: '2026-03-14' }),
    ]);
    expect(classification.confidence).toBeGreaterThanOrEqual(0.85);
    expect(classification.rationale).toMatch(/personal_injury/);
  });

  it('is unsure about a vague enquiry and invents nothing', async () => {
    const completion = await classify(sim.client, VAGUE_INTAKE);
    const classification = Classification.parse(completion.choices[0].message.parsed);

    expect(classification.confidence).toBeLessThan(0.6);
    expect(classification.matterType).toBe('other');
    expect(classification.jurisdiction).toBeNull();
    expect(classification.client).toEqual({ name: null, email: null, phone: null, organization: null });
    expect(classification.opposingParties).toEqual([]);
    expect(classification.keyDates).toEqual([]);
  });

  it('never reports more overall confidence than its weakest key field', async () => {
    const onlyAState = {
      channel: 'web',
      body: 'I was injured in a crash in Texas last spring. What can I do?',
    };
    const classification = Classification.parse(
      (await classify(sim.client, onlyAState)).choices[0].message.parsed,
    );
    const { matterType, jurisdiction, client: clientConfidence } = classification.fieldConfidence;

    expect(classification.jurisdiction).toBe('US-TX');
    expect(classification.client.name).toBeNull();
    expect(classification.confidence).toBe(Math.min(matterType, jurisdiction, clientConfidence));
    expect(classification.confidence).toBeLessThan(0.75);
  });

  it('reads dates written out in words and in US numeric form', async () => {
    for (const written of ['March 14, 2026', '14 March 2026', '03/14/2026']) {
      const intake = { ...CLEAR_INTAKE, body: CLEAR_INTAKE.body.replace('2026-03-14', written) };
      const classification = Classification.parse(
        (await classify(sim.client, intake)).choices[0].message.parsed,
      );
      expect(classification.keyDates.map((d) => d.date)).toEqual(['2026-03-14']);
    }
  });
});

describe('what a completion looks like', () => {
  it('counts usage the way gpt-tokenizer counts it', async () => {
    const completion = await classify(sim.client, CLEAR_INTAKE);
    const content = completion.choices[0].message.content ?? '';
    const usage = completion.usage!;
    const userMessage = classificationRequest(CLEAR_INTAKE).messages[1].content;

    expect(usage.completion_tokens).toBe(countTokens(content));
    expect(usage.completion_tokens).toBeGreaterThan(0);
    expect(usage.prompt_tokens).toBeGreaterThan(countTokens(userMessage));
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    expect(usage.completion_tokens_details?.reasoning_tokens).toBe(0);
  });

  it('bills hidden reasoning tokens for o1-style models inside completion tokens', async () => {
    // Reasoning models take no temperature: the gateway leaves it out for them, and so does this request.
    const request = {
      ...classificationRequest(CLEAR_INTAKE),
      model: REASONING_MODEL,
      temperature: undefined,
    };
    const completion = await sim.client.chat.completions.parse(request);
    const usage = completion.usage!;
    const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? 0;

    expect(reasoning).toBeGreaterThan(0);
    expect(usage.completion_tokens).toBe(
      countTokens(completion.choices[0].message.content ?? '') + reasoning,
    );
  });

  it('answers the same request with the same bytes', async () => {
    const request = classificationRequest(CLEAR_INTAKE);
    const first = await (await sim.client.chat.completions.create(request).asResponse()).text();
    const second = await (await sim.client.chat.completions.create(request).asResponse()).text();
    const other = await (
      await sim.client.chat.completions.create(classificationRequest(VAGUE_INTAKE)).asResponse()
    ).text();

    expect(second).toBe(first);
    expect(other).not.toBe(first);
    expect(JSON.parse(first).id).toMatch(/^chatcmpl-sim-[0-9a-f]+$/);
  });

  it('says in `model` that the simulator answered, not a real model', async () => {
    const completion = await classify(sim.client, CLEAR_INTAKE);

    expect(completion.model).toBe(`simulator:${FAST_MODEL}`);
    expect(completion.system_fingerprint).toBe('docket-simulator');
    expect(completion.choices[0].finish_reason).toBe('stop');
  });

  it('stops at max_completion_tokens like OpenAI, which the client reports as a length error', async () => {
    const request = { ...classificationRequest(CLEAR_INTAKE), max_completion_tokens: 20 };
    const raw = await sim.client.chat.completions.create(request);

    expect(raw.choices[0].finish_reason).toBe('length');
    expect(raw.usage?.completion_tokens).toBe(20);
    await expect(sim.client.chat.completions.parse(request)).rejects.toBeInstanceOf(LengthFinishReasonError);
  });

  it('answers plain chat without a response format in text', async () => {
    const completion = await sim.client.chat.completions.create({
      model: 'any-model-name',
      messages: [{ role: 'user', content: 'Hello there' }],
    });

    expect(completion.choices[0].message.content).toMatch(/docket-simulator/);
    expect(completion.model).toBe('simulator:any-model-name');
  });
});
