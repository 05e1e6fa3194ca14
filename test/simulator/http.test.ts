import OpenAI, { APIError } from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';
import { simulatorForThisFile } from './agent-requests';

const sim = simulatorForThisFile();

const AUTH = { authorization: 'Bearer sk-anything', 'content-type': 'application/json' };

/** An error body in OpenAI's shape: exactly message, type, param and code. */
function expectOpenAiError(body: unknown, type: string) {
  const error = (body as { error: Record<string, unknown> }).error;
  expect(Object.keys(error).sort()).toEqual(['code', 'message', 'param', 'type']);
  expect(typeof error.message).toBe('string');
  expect(error.type).toBe(type);
  for (const key of ['param', 'code'])
    expect(error[key] === null || typeof error[key] === 'string').toBe(true);
}

describe('the HTTP surface', () => {
  it('lists the models it stands in for', async () => {
    const models = [];
    for await (const model of sim.client.models.list()) models.push(model);

    expect(models.map((m) => m.id)).toEqual(
      expect.arrayContaining([
        'gpt-4o-mini-2024-07-18',
        'o1-2024-12-17',
        'gpt-4o-2024-08-06',
        'gpt-4o-mini',
        'o1',
        'gpt-4o',
      ]),
    );
    expect(models.every((m) => m.object === 'model' && m.owned_by === 'docket-simulator')).toBe(true);
  });

  it('answers an unknown route with 404 in OpenAI error shape', async () => {
    const response = await fetch(`${sim.simulator.url}/nothing-here`, { headers: AUTH });

    expect(response.status).toBe(404);
    expectOpenAiError(await response.json(), 'invalid_request_error');
  });

  it('rejects a body without messages with 400, naming the parameter', async () => {
    const error = await sim.client.chat.completions
      .create({ model: 'gpt-4o-mini' } as unknown as OpenAI.ChatCompletionCreateParamsNonStreaming)
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const badRequest = error as APIError;
    expect(badRequest.param).toBe('messages');
    expect(badRequest.code).toBe('missing_required_parameter');
    expectOpenAiError({ error: badRequest.error }, 'invalid_request_error');
  });

  it('rejects a body that is not JSON with 400', async () => {
    const response = await fetch(`${sim.simulator.url}/chat/completions`, {
      method: 'POST',
      headers: AUTH,
      body: '{"model":',
    });

    expect(response.status).toBe(400);
    expectOpenAiError(await response.json(), 'invalid_request_error');
  });

  it('rejects a message with an unknown role, naming where it is', async () => {
    const response = await fetch(`${sim.simulator.url}/chat/completions`, {
      method: 'POST',
      headers: AUTH,
      body: JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'robot', content: 'hi' }] }),
    });
    const body = (await response.json()) as { error: { param: string } };

    expect(response.status).toBe(400);
    expect(body.error.param).toBe('messages[0].role');
  });

  it('accepts any bearer key but none at all', async () => {
    const body = JSON.stringify({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] });
    const anonymous = await fetch(`${sim.simulator.url}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const withKey = await fetch(`${sim.simulator.url}/chat/completions`, {
      method: 'POST',
      headers: AUTH,
      body,
    });

    expect(anonymous.status).toBe(401);
    expectOpenAiError(await anonymous.json(), 'invalid_request_error');
    expect(withKey.status).toBe(200);
  });

  it('rejects parameters the model family does not take, as OpenAI does', async () => {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    await expect(
      sim.client.chat.completions.create({ model: 'o1-2024-12-17', messages, temperature: 0.2 }),
    ).rejects.toMatchObject({
      status: 400,
      param: 'temperature',
    });
    await expect(
      sim.client.chat.completions.create({ model: 'gpt-4o-mini', messages, reasoning_effort: 'low' }),
    ).rejects.toMatchObject({ status: 400, param: 'reasoning_effort' });
  });
});

describe('structured outputs for schemas it has never seen', () => {
  /** A schema from some future workflow: every constraint the filler must respect. */
  const Summary = z.object({
    patient: z.object({
      name: z.string().nullable(),
      ageYears: z.number().int().min(18).max(120),
    }),
    severity: z.enum(['mild', 'moderate', 'severe']),
    codes: z
      .array(z.string().regex(/^[A-Z]\d{2}\.\d$/))
      .min(1)
      .max(3),
    visitDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
    followUpDate: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/)
      .nullable(),
    note: z.string().min(12).max(30),
    urgentReferral: z.boolean(),
    score: z.number().gt(0.5).lt(0.75),
    tags: z.array(z.object({ label: z.string().max(8), weight: z.number().min(1).max(3) })).max(2),
    outcome: z.union([
      z.object({ kind: z.literal('admitted'), ward: z.string() }),
      z.object({ kind: z.literal('discharged') }),
    ]),
  });

  it('fills every field within its constraints', async () => {
    const completion = await sim.client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Patient reports a severe migraine since 2026-04-02.' }],
      response_format: zodResponseFormat(Summary, 'clinical_summary'),
    });
    const summary = Summary.parse(completion.choices[0].message.parsed);

    expect(summary.severity).toBe('severe');
    expect(summary.visitDate).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('fills arguments for tools it has never seen', async () => {
    const Args = z.object({
      query: z.string().min(3).max(20),
      limit: z.number().int().min(5).max(9),
      exact: z.boolean(),
    });
    const completion = await sim.client.chat.completions.parse({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Find precedents about zoning.' }],
      tools: [zodFunction({ name: 'searchPrecedents', parameters: Args })],
    });
    const call = completion.choices[0].message.tool_calls?.[0];

    expect(call?.type === 'function' && call.function.name).toBe('searchPrecedents');
    expect(Args.parse(call?.type === 'function' ? call.function.parsed_arguments : null)).toEqual(
      expect.objectContaining({ limit: 7, exact: false }),
    );
  });
});
