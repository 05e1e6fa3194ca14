/**
 * Decisions from the Temporal CLI (DESIGN.md, Temporal contract): the real `temporal` binary sends the
 * `reviewDecision` signal and the `decideReview` update, and the workflow holds them to the same rules
 * as the REST API. Plain `--input` reaches the workflow (the codec lets unencrypted payloads through); what
 * comes back is encrypted, so the CLI reads answers and refusals through the API's codec endpoint
 * (`--codec-endpoint <api>/codec --codec-auth 'Bearer <engineer key>'`), as docs/data-handling.md tells CLI users to.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { ensureTemporalCli } from '../../scripts/temporal-cli';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, temporalTestAddress, type TestStack } from '../support/stack';
import { serveApi, type RunningApi } from './http';

const run = promisify(execFile);

/** A payload as `temporal workflow show --output json` prints it: proto JSON, base64 fields. */
interface CliPayload {
  metadata: Record<string, string>;
  data: string;
}

interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

describe('review decisions from the Temporal CLI', () => {
  let stack: TestStack;
  let api: RunningApi;
  let cli: string;

  beforeAll(async () => {
    const found = ensureTemporalCli();
    if (!found)
      throw new Error('the Temporal CLI is needed for these tests (set TEMPORAL_CLI or install Go)');
    cli = found;
    stack = await startTestStack();
    api = await serveApi(stack.config, stack.client, stack.db);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  /** The CLI flags that decode answers through the API's codec endpoint, as an engineer. */
  function codecFlags(): string[] {
    return ['--codec-endpoint', `${api.url}/codec`, '--codec-auth', `Bearer ${stack.keys.engineer}`];
  }

  /** Runs `temporal workflow <args>` through the codec endpoint; a non-zero exit is returned, not thrown. */
  async function temporal(...args: string[]): Promise<CliResult> {
    return temporalCli(args, codecFlags());
  }

  /**
   * Runs `temporal workflow <args> <extra>` against the test server, with no codec unless `extra` names one;
   * `--namespace` is given unless `namespace` is false (the CLI then sends an empty X-Namespace).
   */
  async function temporalCli(args: string[], extra: string[], namespace = true): Promise<CliResult> {
    const server = temporalTestAddress();
    const where = ['--address', server.address, ...(namespace ? ['--namespace', server.namespace] : [])];
    try {
      const { stdout, stderr } = await run(cli, ['workflow', ...args, ...where, ...extra], {
        timeout: 30_000,
      });
      return { code: 0, stdout, stderr };
    } catch (err) {
      const failed = err as { code?: unknown; stdout?: string; stderr?: string };
      if (typeof failed.code !== 'number') throw err;
      return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
    }
  }

  /** `update execute` of `decideReview` with `decision` as its input. */
  function updateArgs(workflowId: string, decision: object): string[] {
    return [
      'update',
      'execute',
      '--workflow-id',
      workflowId,
      '--name',
      'decideReview',
      '--input',
      JSON.stringify(decision),
    ];
  }

  /** Starts the vague example and waits for its classify review. */
  /**
   * `temporal workflow signal --name reviewDecision --input <json>`, as a CLI user sends it: in clear
   * (the workflow's codec lets unencrypted payloads through) or encrypted through the codec endpoint.
   */
  function signalByCli(workflowId: string, input: object, via: 'plain' | 'codec') {
    const args = [
      'signal',
      '--workflow-id',
      workflowId,
      '--name',
      'reviewDecision',
      '--input',
      JSON.stringify(input),
    ];
    return temporalCli(args, via === 'codec' ? codecFlags() : []);
  }

  /**
   * `temporal workflow <args>` as docs/data-handling.md writes it for engineers: the codec flags and no `--namespace` (the
   * CLI then sends an empty X-Namespace); only the address, which the doc leaves at its default, is added.
   */
  async function asReadmeWrites(...args: string[]): Promise<CliResult> {
    return temporalCli(args, codecFlags(), false);
  }

  it('runs the engineer commands as docs/data-handling.md writes them: show, describe, query and update execute, decoded', async () => {
    expect(temporalTestAddress().namespace).toBe('default');
    const { workflowId } = await escalated();

    const shown = await asReadmeWrites('show', '--workflow-id', workflowId, '--output', 'json');
    expect(shown.code).toBe(0);
    // The run's input, decoded: its reference and settings (the intake itself is in Docket's database).
    // Proto JSON prints a payload base64-encoded: the started event's input, decoded by the codec, is plain
    // JSON (the intake's reference and the run's settings; the intake itself is in Docket's database).
    const history = JSON.parse(shown.stdout) as {
      events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: CliPayload[] } } }>;
    };
    const [input] = history.events[0].workflowExecutionStartedEventAttributes!.input.payloads;
    const fromBase64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
    expect(fromBase64(input.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(fromBase64(input.data))).toMatchObject({
      settings: { maxToolRounds: expect.any(Number) },
    });

    const described = await asReadmeWrites('describe', '--workflow-id', workflowId);
    expect(described.code).toBe(0);
    expect(described.stdout).toContain(workflowId);

    const queried = await asReadmeWrites('query', '--workflow-id', workflowId, '--name', 'status');
    expect(queried.code).toBe(0);
    expect(queried.stdout).toMatch(/"awaiting_review"/);
    expect(queried.stdout).toContain('classify-1');

    const decided = await asReadmeWrites(
      ...updateArgs(workflowId, {
        reviewId: 'classify-1',
        decision: 'reject',
        reviewer: 'dana',
        comment: 'not a legal matter',
      }),
    );
    expect(decided.code).toBe(0);
    // The recorded decision comes back decoded (the CLI prints it as a Go map).
    expect(decided.stdout).toMatch(/Result\s+map\[.*decision:reject .*reviewer:dana/s);
    const after = await waitForStatus(stack.client, workflowId, (s) => s.status === 'rejected');
    expect(after.reviewHistory[0]).toMatchObject({ decision: 'reject', reviewer: 'dana', via: 'update' });
  });

  it('shows why a wrong key or a reviewer key may not decode, in place of each payload, and does not hang', async () => {
    const { workflowId } = await escalated();
    for (const [key, code] of [
      [randomBytes(24).toString('hex'), 'unauthorized'],
      [stack.keys.reviewer, 'forbidden'],
    ] as const) {
      const flags = ['--codec-endpoint', `${api.url}/codec`, '--codec-auth', `Bearer ${key}`];
      const shown = await temporalCli(
        ['show', '--workflow-id', workflowId, '--output', 'json'],
        flags,
        false,
      );
      // Before, the codec's 401 made the CLI wait ten seconds and fail with "context deadline exceeded".
      expect([code, shown.code, shown.stderr]).toEqual([code, 0, '']);
      const history = JSON.parse(shown.stdout) as {
        events: Array<{ workflowExecutionStartedEventAttributes?: { input: { payloads: CliPayload[] } } }>;
      };
      const [input] = history.events[0].workflowExecutionStartedEventAttributes!.input.payloads;
      expect(JSON.parse(Buffer.from(input.data, 'base64').toString('utf8'))).toEqual({
        docketCodecError: { code, message: expect.any(String), payload: 0 },
      });
      // The same reason where the CLI prints payloads as text.
      const described = await temporalCli(['describe', '--workflow-id', workflowId], flags, false);
      expect(described.code).toBe(0);
    }
  });

  async function escalated() {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('ambiguous'));
    const status = await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'classify-1');
    return { workflowId, status };
  }

  it('refuses a signal that names no review and an unknown decision: nothing changes, the refusal is listed', async () => {
    const { workflowId, status: before } = await escalated();
    const sent = await signalByCli(workflowId, { decision: 'ok', reviewer: 'anyone' }, 'codec');
    expect(sent).toEqual(expect.objectContaining({ code: 0 }));

    const after = await waitForStatus(stack.client, workflowId, (s) => s.rejectedDecisions.length > 0);
    expect(after.status).toBe('awaiting_review');
    expect(after.review).toEqual(before.review);
    expect(after.reviewHistory).toEqual([]);
    expect(after.rejectedDecisions).toEqual([
      {
        reviewId: null,
        decision: 'ok',
        reviewer: 'anyone',
        reason: expect.stringMatching(/reviewId/),
        receivedAt: expect.any(String),
      },
    ]);
    expect(after.rejectedDecisions[0].reason).toMatch(/decision/);
    // Still waiting for a real decision: the signal did not end the workflow.
    const description = await stack.client.workflow.getHandle(workflowId).describe();
    expect(description.status.name).toBe('RUNNING');
  });

  it('takes a plain signal that names the pending review, recorded as sent by signal', async () => {
    const { workflowId } = await escalated();
    const sent = await signalByCli(
      workflowId,
      { reviewId: 'classify-1', decision: 'approve', reviewer: 'cli-user', comment: 'ok' },
      'plain',
    );
    expect(sent.code).toBe(0);
    const after = await waitForStatus(stack.client, workflowId, (s) => s.reviewHistory.length > 0);
    expect(after.reviewHistory).toEqual([
      expect.objectContaining({ id: 'classify-1', decision: 'approve', reviewer: 'cli-user', via: 'signal' }),
    ]);
    expect(after.rejectedDecisions).toEqual([]);
  });

  it('refuses an update for a review that is not pending, naming the pending one, and takes the right one', async () => {
    const { workflowId } = await escalated();
    const update = (decision: object) => temporal(...updateArgs(workflowId, decision));
    const wrongDecision = { reviewId: 'reason-1', decision: 'reject', reviewer: 'cli-user', comment: 'spam' };

    // Without the codec the refusal's message is ciphertext in history: the CLI can only say it was encoded.
    const undecoded = await temporalCli(updateArgs(workflowId, wrongDecision), []);
    expect(undecoded.code).not.toBe(0);
    expect(undecoded.stdout + undecoded.stderr).toMatch(/Encoded failure/);
    expect(undecoded.stdout + undecoded.stderr).not.toMatch(/is not pending/);

    const wrong = await update(wrongDecision);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toMatch(
      /review reason-1 is not pending; the pending review is classify-1/,
    );
    const untouched = await waitForStatus(stack.client, workflowId, () => true);
    expect(untouched.review?.id).toBe('classify-1');
    expect(untouched.reviewHistory).toEqual([]);

    const right = await update({
      reviewId: 'classify-1',
      decision: 'reject',
      reviewer: 'cli-user',
      comment: 'spam',
    });
    expect(right).toEqual(expect.objectContaining({ code: 0 }));
    // The CLI prints the update's answer: the recorded decision.
    expect(right.stdout).toMatch(/cli-user/);

    const result = await stack.client.workflow.getHandle(workflowId).result();
    expect(result.status).toBe('rejected');
    expect(result.reviewHistory).toEqual([
      expect.objectContaining({
        id: 'classify-1',
        decision: 'reject',
        reviewer: 'cli-user',
        comment: 'spam',
        via: 'update',
      }),
    ]);
  });
});
