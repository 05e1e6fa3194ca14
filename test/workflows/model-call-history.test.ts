/**
 * What model calls put into Temporal history: each call carries only the messages new since the last
 * one (the activity keeps the conversation in Docket's database and sends the model all of it), so a
 * reasoner's rounds no longer re-send the intake each time.
 */
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { scheduledModelCalls } from '../support/history';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  // The reasoner on o1, which takes a developer message.
  stack = await startTestStack({ withoutCascades: true });
});
afterAll(async () => {
  await stack?.close();
});

it("carries only the new messages of each of the reasoner's rounds; the model still reads the whole conversation", async () => {
  const requestsBefore = stack.simulator.received().length;
  const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
  const done: LegalIntakeStatus = await stack.client.workflow.getHandle(workflowId).result();
  expect(done.status).toBe('completed');

  const reasoner = (await scheduledModelCalls(stack.client, workflowId)).filter(
    ({ input }) => input.agent === 'reasoner',
  );
  expect(reasoner.length).toBeGreaterThanOrEqual(2);
  const [first, ...later] = reasoner;
  expect(first.input.transcript).toEqual({ id: expect.stringMatching(/^reasoner-/), stored: 0 });
  const intakeMessage = first.input.messages[0];
  expect(intakeMessage.role).toBe('user');
  let stored = first.input.messages.length;
  for (const { input } of later) {
    // The conversation so far is in the database: this call brings the model's tool calls and their results.
    expect(input.transcript).toEqual({ id: first.input.transcript!.id, stored });
    expect(input.messages.map((m) => m.role)).toEqual([
      'assistant',
      ...input.messages.slice(1).map(() => 'tool'),
    ]);
    expect(JSON.stringify(input.messages)).not.toContain((intakeMessage as { content: string }).content);
    stored += input.messages.length;
  }
  // What the model received for the reasoner's last round: the whole conversation, the intake first.
  const requests = stack.simulator.received().slice(requestsBefore) as Array<{
    messages: Array<{ role: string; content: string | null }>;
  }>;
  const lastReasoner = requests.filter((r) => r.messages[0].role === 'developer').at(-1)!;
  expect(lastReasoner.messages.slice(1, 2)).toEqual([
    expect.objectContaining({ role: 'user', content: (intakeMessage as { content: string }).content }),
  ]);
  expect(lastReasoner.messages).toHaveLength(1 + stored);

  // What the reasoner's calls put into history, beside what they would have put sending the whole transcript.
  const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
  let conversation: unknown[] = [];
  let whole = 0;
  let sent = 0;
  for (const { input } of reasoner) {
    conversation = [...conversation, ...input.messages];
    whole += bytes({ ...input, messages: conversation, transcript: undefined });
    sent += bytes(input);
  }
  const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
  process.stdout.write(
    `model-call-history: ${reasoner.length} reasoner calls carry ${sent} bytes of input (the whole transcript each time: ${whole}); the run's history is ${bytes(history)} bytes as JSON\n`,
  );
  expect(sent).toBeLessThan(whole);
});
