/**
 * Requests shaped the way Docket's model gateway sends them (instructions, response format, tools),
 * made with the real `openai` client against a running simulator.
 */
import OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type {
  ChatCompletionMessageParam,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import {
  Assessment,
  Classification,
  Draft,
  classifier,
  classifierInput,
  drafter,
  drafterInput,
  reasoner,
  reasonerInput,
} from '../../agents';
import { startSimulator, type RunningSimulator } from '../../simulator';

export const FAST_MODEL = 'gpt-4o-mini-2024-07-18';
export const REASONING_MODEL = 'o1-2024-12-17';
export const DRAFTING_MODEL = 'gpt-4o-2024-08-06';

export interface Intake {
  channel: string;
  from?: string;
  subject?: string;
  body: string;
}

/** A car crash in Los Angeles on a stated date, with the writer's name, e-mail and the other side named. */
export const CLEAR_INTAKE: Intake = {
  channel: 'email',
  from: 'Maria Lopez <maria.lopez@example.com>',
  subject: 'Injured in a car accident',
  body:
    'Hello,\n\nMy name is Maria Lopez. On 2026-03-14 I was injured in a car crash in Los Angeles, California: ' +
    'a delivery van owned by Harbor Freightways Inc ran a stop sign and hit my car. I spent two nights in ' +
    'hospital.\n\nMaria Lopez\nmaria.lopez@example.com\n(213) 555-0187',
};

export const VAGUE_INTAKE: Intake = {
  channel: 'web',
  body: 'I have a problem with someone, can you help?',
};

/** A company's general counsel; the supplier on the other side may already be the firm's client. */
export const COMMERCIAL_INTAKE: Intake = {
  channel: 'email',
  from: 'Priya Natarajan <p.natarajan@acmefreight.example>',
  subject: 'Supplier dispute',
  body:
    'Good morning,\n\nI am general counsel at Acme Freight Inc. We are in a contract dispute with our supplier ' +
    'Keystone Pallets LLC in Chicago, Illinois: they breached our supply agreement signed on 2025-03-02 and have ' +
    'not delivered since 2026-08-01.\n\nRegards,\nPriya Natarajan\np.natarajan@acmefreight.example',
};

/**
 * A simulator for the test file, started before its tests and closed after them, with the `openai` client that
 * talks to it. Read the fields inside tests and hooks: they are set in `beforeAll`.
 */
export function simulatorForThisFile(): { simulator: RunningSimulator; client: OpenAI } {
  const live = {} as { simulator: RunningSimulator; client: OpenAI };
  beforeAll(async () => {
    live.simulator = await startSimulator({ port: 0 });
    live.client = openaiClient(live.simulator);
  });
  afterAll(async () => {
    await live.simulator?.close();
  });
  return live;
}

export function openaiClient(simulator: RunningSimulator, options: { timeout?: number } = {}): OpenAI {
  return new OpenAI({
    apiKey: 'sk-docket-simulator',
    baseURL: simulator.url,
    maxRetries: 0,
    fetch: sameRealmFetch,
    ...options,
  });
}

/**
 * Jest runs tests in a separate JavaScript realm, so the AbortError that Node's fetch throws on a
 * timeout is not an `Error` there, and the client reports it as a generic APIConnectionError.
 * Re-throwing it as this realm's Error restores what the client does in production (APIConnectionTimeoutError).
 */
const sameRealmFetch: typeof fetch = (input, init) =>
  fetch(input, init).catch((err: unknown) => {
    if (err instanceof Error || typeof err !== 'object' || err === null) throw err;
    const { name, message } = err as { name?: string; message?: string };
    throw Object.assign(new Error(message ?? String(err)), { name: name ?? 'Error', cause: err });
  });

export function classificationRequest(intake: Intake) {
  return {
    model: FAST_MODEL,
    temperature: 0,
    messages: [
      { role: 'system', content: classifier.instructions },
      { role: 'user', content: classifierInput(intake) },
    ] satisfies ChatCompletionMessageParam[],
    response_format: zodResponseFormat(Classification, classifier.outputName),
  };
}

export async function classify(client: OpenAI, intake: Intake) {
  return client.chat.completions.parse(classificationRequest(intake));
}

export const REASONER_TOOLS = reasoner.tools.map((tool) =>
  zodFunction({ name: tool.name, description: tool.description, parameters: tool.args }),
);

/** The reasoner's turn: the classification in, tool calls or an assessment out. */
export function assess(client: OpenAI, userMessage: string, later: ChatCompletionMessageParam[] = []) {
  return client.chat.completions.parse({
    model: REASONING_MODEL,
    reasoning_effort: 'medium',
    messages: [
      { role: 'developer', content: reasoner.instructions },
      { role: 'user', content: userMessage },
      ...later,
    ],
    response_format: zodResponseFormat(Assessment, reasoner.outputName),
    tools: REASONER_TOOLS,
  });
}

export function reasonerMessage(classification: Classification, intake: Intake): string {
  return reasonerInput({ classification, intakeBody: intake.body, today: '2026-11-25' });
}

/** The assistant's tool calls and one tool message per call, answered from `results` by tool name. */
export function toolRound(
  calls: ChatCompletionMessageToolCall[],
  results: Record<string, unknown>,
): ChatCompletionMessageParam[] {
  const functionCalls = calls.flatMap((call) => (call.type === 'function' ? [call] : []));
  return [
    {
      role: 'assistant',
      content: null,
      tool_calls: functionCalls.map(({ id, function: f }) => ({
        id,
        type: 'function' as const,
        function: { name: f.name, arguments: f.arguments },
      })),
    },
    ...functionCalls.map((call) => ({
      role: 'tool' as const,
      tool_call_id: call.id,
      content: JSON.stringify(results[call.function.name] ?? { error: 'no result' }),
    })),
  ];
}

export function draft(client: OpenAI, classification: unknown, assessment: unknown, intake: Intake) {
  return client.chat.completions.parse({
    model: DRAFTING_MODEL,
    temperature: 0.2,
    messages: [
      { role: 'system', content: drafter.instructions },
      { role: 'user', content: drafterInput({ classification, assessment, intakeBody: intake.body }) },
    ],
    response_format: zodResponseFormat(Draft, drafter.outputName),
  });
}
