/**
 * What anyone reading Temporal's database sees: a finished run's history, read with the Temporal CLI and
 * no codec (`temporal workflow show -o json`), every payload's base64 decoded. The intake's identifiers
 * appear nowhere, not in payloads and not in failure messages, and every payload is ciphertext. Search
 * attributes and memo, which visibility lists, carry no intake text either.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { WorkflowFailedError } from '@temporalio/client';
import { ENCRYPTED_ENCODING } from '../../codec';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, temporalTestAddress, type TestStack } from '../support/stack';

const run = promisify(execFile);

const example = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clear-personal-injury.json'), 'utf8'),
) as { from: string; subject: string; body: string };

/** The sender's name, e-mail and phone as the intake writes them, and a little of its text. */
const IDENTIFIERS = [
  'Jordan Reyes',
  'Reyes',
  'jordan.reyes@example.com',
  '(310) 555-0142',
  '555-0142',
  '3105550142',
  'broken wrist',
  example.subject,
];

/** Every payload in a proto-JSON document, with where it was found. */
function payloadsIn(
  node: unknown,
  at = '',
): Array<{ at: string; metadata: Record<string, string>; data?: string }> {
  if (Array.isArray(node)) return node.flatMap((item, i) => payloadsIn(item, `${at}[${i}]`));
  if (typeof node !== 'object' || node === null) return [];
  const record = node as Record<string, unknown>;
  const here =
    typeof record.metadata === 'object' && record.metadata !== null && 'encoding' in record.metadata
      ? [{ at, metadata: record.metadata as Record<string, string>, data: record.data as string | undefined }]
      : [];
  return [...here, ...Object.entries(record).flatMap(([key, value]) => payloadsIn(value, `${at}.${key}`))];
}

function base64Text(value: string | undefined): string {
  return Buffer.from(value ?? '', 'base64').toString('latin1');
}

/** The document as stored, plus every payload's data and metadata decoded from base64. */
function everythingReadable(document: unknown): string {
  const decoded = payloadsIn(document).flatMap(({ metadata, data }) => [
    base64Text(data),
    ...Object.values(metadata).map(base64Text),
  ]);
  return [JSON.stringify(document), ...decoded].join('\n');
}

function expectNoIdentifier(text: string): void {
  for (const identifier of IDENTIFIERS)
    expect([identifier, text.includes(identifier)]).toEqual([identifier, false]);
}

/**
 * Payloads outside the codec by design: search attribute values (stage, status, codes), indexed in clear,
 * and what the SDK's core writes below the data converter: its patch markers (`{"id":"patches-through-local-tools"}`)
 * and the bookkeeping of its local-activity markers (sequence, attempt, activity id and type, times; the
 * activity's result beside it goes through the codec).
 */
const localActivityData = (at: string) => /markerRecordedEventAttributes\.details\.data\./.test(at);
const outsideCodec = (at: string) =>
  /searchAttributes/i.test(at) || /patch-data/.test(at) || localActivityData(at);

/** All a local-activity marker's bookkeeping may hold: nothing an intake could put there. */
const LOCAL_ACTIVITY_KEYS = [
  'activity_id',
  'activity_type',
  'attempt',
  'backoff',
  'complete_time',
  'original_schedule_time',
  'seq',
];

describe('a finished run, read from Temporal without the codec', () => {
  let stack: TestStack;
  let cli: string;

  beforeAll(async () => {
    const found = ensureTemporalCli();
    if (!found) throw new Error('the Temporal CLI is needed for this test (set TEMPORAL_CLI or install Go)');
    cli = found;
    stack = await startTestStack();
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function historyAsStored(workflowId: string): Promise<unknown> {
    const { address, namespace } = temporalTestAddress();
    const { stdout } = await run(
      cli,
      [
        'workflow',
        'show',
        '--workflow-id',
        workflowId,
        '-o',
        'json',
        '--address',
        address,
        '--namespace',
        namespace,
      ],
      { timeout: 30_000, maxBuffer: 64 * 1024 * 1024 },
    );
    return JSON.parse(stdout);
  }

  it('holds no identifier of the intake, and every payload is ciphertext', async () => {
    const intake = exampleIntake('clear-personal-injury');
    // The example as sent: the identifiers the test looks for are really in what was submitted.
    expect(`${intake.from}\n${intake.body}`).toContain('jordan.reyes@example.com');
    const { workflowId } = await startLegalIntake(stack, intake);
    const result = await stack.client.workflow.getHandle(workflowId).result();
    expect(result.status).toBe('completed');

    const history = await historyAsStored(workflowId);
    const payloads = payloadsIn(history).filter(({ at }) => !outsideCodec(at));
    // The input, every activity's input and result, the memo and the final status: dozens of payloads.
    expect(payloads.length).toBeGreaterThan(10);
    for (const { at, metadata } of payloads) {
      expect([at, base64Text(metadata.encoding)]).toEqual([at, ENCRYPTED_ENCODING]);
    }
    const bookkeeping = payloadsIn(history).filter(({ at }) => localActivityData(at));
    // The run's own short steps are local activities (pseudonymizeIntake first): their markers are there.
    expect(bookkeeping.length).toBeGreaterThan(0);
    for (const { at, data } of bookkeeping) {
      const keys = Object.keys(JSON.parse(base64Text(data)) as object);
      expect([at, keys.filter((key) => !LOCAL_ACTIVITY_KEYS.includes(key))]).toEqual([at, []]);
    }
    expectNoIdentifier(everythingReadable(history));
  });

  it('keeps failure messages and stack traces out of history too', async () => {
    stack.simulator.queueFaults('400');
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    const failed = await stack.client.workflow
      .getHandle(workflowId)
      .result()
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(failed).toBeInstanceOf(WorkflowFailedError);
    // Through the codec, the client still reads the real reason.
    const causes: string[] = [];
    for (let err = (failed as Error).cause; err instanceof Error; err = err.cause) causes.push(err.message);
    expect(causes.join(' / ')).toMatch(/answered 400 \(simulated_fault\)/);

    const history = await historyAsStored(workflowId);
    const failures: Array<{ message?: string; stackTrace?: string; encodedAttributes?: unknown }> = [];
    const collect = (node: unknown): void => {
      if (Array.isArray(node)) return node.forEach(collect);
      if (typeof node !== 'object' || node === null) return;
      for (const [key, value] of Object.entries(node)) {
        if (key === 'failure' || key === 'cause') failures.push(value as (typeof failures)[number]);
        collect(value);
      }
    };
    collect(history);
    expect(failures.length).toBeGreaterThan(0);
    for (const failure of failures) {
      expect(failure).toEqual(expect.objectContaining({ message: 'Encoded failure' }));
      expect(failure.stackTrace ?? '').toBe('');
    }
    const readable = everythingReadable(history);
    expect(readable).not.toMatch(/answered 400 \(simulated_fault\)/);
    expectNoIdentifier(readable);
  });

  it('lists search attributes and a memo that carry no intake text', async () => {
    // Every classification goes to a reviewer, so the run stops with its review memo set.
    const config = {
      ...stack.config,
      agents: {
        ...stack.config.agents,
        classifier: { ...stack.config.agents.classifier, confidenceThreshold: 1 },
      },
    };
    const { workflowId } = await startLegalIntake(
      { ...stack, config },
      exampleIntake('clear-personal-injury'),
    );
    await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'classify-1');

    // Decoded, through the codec: what a queue listing shows.
    const described = await stack.client.workflow.getHandle(workflowId).describe();
    expect(described.memo).toEqual({ docketReview: { reviewId: 'classify-1', reasons: expect.any(Array) } });
    expect(described.searchAttributes).toEqual(
      expect.objectContaining({ DocketStage: ['classify'], DocketReviewStatus: ['pending'] }),
    );
    expectNoIdentifier(JSON.stringify([described.memo, described.searchAttributes]));

    // As stored: the memo is ciphertext, the search attributes plain values without intake text.
    const raw = await stack.client.workflowService.describeWorkflowExecution({
      namespace: stack.config.temporal.namespace,
      execution: { workflowId },
    });
    const memo = raw.workflowExecutionInfo?.memo?.fields ?? {};
    expect(Object.keys(memo)).toEqual(['docketReview']);
    for (const payload of Object.values(memo)) {
      expect(Buffer.from(payload.metadata!.encoding!).toString()).toBe(ENCRYPTED_ENCODING);
    }
    const indexed = raw.workflowExecutionInfo?.searchAttributes?.indexedFields ?? {};
    const values = Object.entries(indexed).map(
      ([key, payload]) => `${key}=${Buffer.from(payload.data!).toString()}`,
    );
    expect(values.length).toBeGreaterThan(0);
    expectNoIdentifier(values.join('\n'));
  });
});
