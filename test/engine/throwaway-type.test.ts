/**
 * The proof that Docket is an engine: a workflow type declared in this test's folder (test/engine/memo-check:
 * one agent, one tool, one gate, one review stage), registered beside legal intake, and driven through the
 * REST API from start to erasure. No engine file names it.
 */
import { randomBytes } from 'node:crypto';
import { hashApiKey } from '../../config';
import { pollUntil, serveApi, statusWhen, uniqueExternalId, type RunningApi } from '../api/http';
import { startTestStack, type TestStack } from '../support/stack';
import { withMemoCheck } from './memo-check/registry';
import { REVIEW_MARK, WORD_LIMIT } from './memo-check/pipeline';

const workflows = withMemoCheck;

let stack: TestStack;
let api: RunningApi;
const auditorKey = randomBytes(24).toString('hex');

beforeAll(async () => {
  stack = await startTestStack({ workflows });
  stack.config.api.keys.push({ name: 'test-auditor', role: 'auditor', sha256: hashApiKey(auditorKey) });
  api = await serveApi(stack.config, stack.client, stack.db, workflows);
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

const AUTHOR = 'Margaret Okonkwo';

function memo(externalId: string, text: string) {
  return { externalId, memo: { author: AUTHOR, text } };
}

const statusOf = (workflowId: string, done: (body: { status: string }) => boolean) =>
  statusWhen(api, stack.keys.operator, workflowId, done);

describe('a workflow type registered from a test folder', () => {
  it('runs through REST: start, status, queue, review, decision, completed, audit, erasure', async () => {
    const externalId = uniqueExternalId('memo');
    const started = await api.call('POST', '/v1/workflows/memo-check', {
      key: stack.keys.operator,
      json: memo(externalId, `${REVIEW_MARK} Please approve the new leave policy before Friday.`),
    });
    expect(started.status).toBe(202);
    const { workflowId } = started.body;
    expect(workflowId).toBe(`memo-check-${externalId}`);

    // The check reads the input: the memo waits for a person at its one stage.
    const waiting = await statusOf(workflowId, (s) => s.status === 'awaiting_review');
    expect(waiting.stage).toBe('check');
    expect(waiting.review).toMatchObject({ stage: 'check', reasons: [{ code: 'marked_for_review' }] });
    // The agent called its tool (a model call, the tool, the answer) and its output is in the status.
    expect(waiting.usage.calls.map((c: { agent: string }) => c.agent)).toEqual(['checker', 'checker']);
    expect(waiting.results.outputs.check).toMatchObject({ audience: expect.any(String) });

    const queue = await pollUntil(
      () => api.call('GET', '/v1/reviews?type=memo-check&limit=100', { key: stack.keys.reviewer }),
      (res) =>
        res.status === 200 && res.body.items.some((i: { workflowId: string }) => i.workflowId === workflowId),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    const item = queue.body.items.find((i: { workflowId: string }) => i.workflowId === workflowId);
    expect(item).toMatchObject({ type: 'memo-check', stage: 'check', reasons: ['marked_for_review'] });
    // The type filter keeps legal intakes out, and legal intake's filter keeps the memo out.
    const legal = await api.call('GET', '/v1/reviews?type=legal-intake&limit=100', {
      key: stack.keys.reviewer,
    });
    expect(legal.body.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(workflowId);

    const detail = await api.call('GET', `/v1/reviews/${workflowId}`, { key: stack.keys.reviewer });
    expect(detail.status).toBe(200);
    expect(detail.body.review.id).toBe(waiting.review.id);
    // The reviewer reads the memo as sent: the author's name is back in place of its token.
    expect(detail.body.intake.memo.author).toBe(AUTHOR);
    expect(detail.body.outputSchema.properties.audience.enum).toEqual(['staff', 'clients', 'board']);
    // What the workflow kept is pseudonymized: the name never entered Temporal.
    expect(JSON.stringify(waiting)).not.toContain('Okonkwo');

    const decided = await api.call('POST', `/v1/reviews/${workflowId}/decision`, {
      key: stack.keys.reviewer,
      json: { reviewId: waiting.review.id, decision: 'revise', corrections: { audience: 'board' } },
    });
    expect(decided.status).toBe(200);

    const done = await statusOf(workflowId, (s) => s.status !== 'awaiting_review' && s.status !== 'running');
    expect(done.status).toBe('completed');
    expect(done.stage).toBe('done');
    expect(done.results.outputs.check.audience).toBe('board');
    expect(done.result).toEqual({ memoId: `MEMO-${workflowId}`, summaryLength: expect.any(Number) });

    const audit = await api.call('GET', `/v1/workflows/${workflowId}/audit`, { key: auditorKey });
    expect(audit.status).toBe(200);
    expect(audit.body).toMatchObject({ workflowId, verified: true, problems: [] });
    const kinds = audit.body.rows.map((r: { kind: string }) => r.kind);
    expect(kinds).toEqual(
      expect.arrayContaining(['model_call', 'tool_call', 'gate_result', 'review_decision']),
    );
    const tools = audit.body.rows
      .filter((r: { kind: string }) => r.kind === 'tool_call')
      .map((r: { data: { tool: string } }) => r.data.tool);
    // The workflow's own word count, the checker's call of the same tool, the filing.
    expect(tools).toEqual(['countWords', 'countWords', 'fileMemo']);

    const erased = await api.call('DELETE', `/v1/workflows/${workflowId}/personal-data`, {
      key: stack.keys.admin,
    });
    expect(erased.status).toBe(200);
    const after = await api.call('GET', `/v1/workflows/${workflowId}`, { key: stack.keys.operator });
    expect(after.status).toBe(200);
    expect(JSON.stringify(after.body)).not.toContain('Okonkwo');
    expect(await stack.personal.loadIntake(workflowId)).toBeNull();
  });

  it('completes without a person when its gate passes', async () => {
    const externalId = uniqueExternalId('memo-clear');
    const started = await api.call('POST', '/v1/workflows/memo-check', {
      key: stack.keys.operator,
      json: memo(externalId, 'The office is closed on Monday.'),
    });
    expect(started.status).toBe(202);
    const done = await statusOf(
      started.body.workflowId,
      (s) => !['running', 'awaiting_review'].includes(s.status),
    );
    expect(done).toMatchObject({
      status: 'completed',
      reviewHistory: [],
      results: { gates: { check: { passed: true } } },
    });
  });

  it('runs its mandatory check itself before the agent, and its gate rests on the result', async () => {
    const words = Array.from({ length: WORD_LIMIT + 5 }, (_, i) => `word${i}`).join(' ');
    const started = await api.call('POST', '/v1/workflows/memo-check', {
      key: stack.keys.operator,
      json: memo(uniqueExternalId('memo-long'), words),
    });
    expect(started.status).toBe(202);
    const waiting = await statusOf(started.body.workflowId, (s) => s.status === 'awaiting_review');
    expect(waiting.results.checks.length).toEqual({ words: WORD_LIMIT + 5 });
    expect(waiting.review.reasons).toEqual([
      expect.objectContaining({ code: 'too_long', evidence: { words: WORD_LIMIT + 5 } }),
    ]);
    // The count ran as the workflow's own activity before the model's first call.
    const history = await stack.client.workflow.getHandle(started.body.workflowId).fetchHistory();
    const scheduled = (history.events ?? []).flatMap((e) => {
      const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
      return type ? [type] : [];
    });
    expect(scheduled.slice(0, 2)).toEqual(['countWords', 'callModel']);
  });

  it('answers a body that breaks its schema with a 400 naming the fields', async () => {
    const answer = await api.call('POST', '/v1/workflows/memo-check', {
      key: stack.keys.operator,
      json: { externalId: uniqueExternalId('memo-bad'), memo: { author: '', text: 'x', extra: 1 } },
    });
    expect(answer.status).toBe(400);
    const paths = answer.body.error.details.map((d: { path: string[] }) => d.path.join('.'));
    expect(paths.sort()).toEqual(['memo.author', 'memo.extra']);
  });

  it('is documented in the OpenAPI document: its start path, its body, its stage in the review filter', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const start = doc.paths['/v1/workflows/memo-check'].post;
    expect(start.operationId).toBe('startMemoCheck');
    expect(start.requestBody.content['application/json'].schema.$ref).toBe(
      '#/components/schemas/MemoRequest',
    );
    expect(doc.components.schemas.MemoRequest.properties.memo.required.sort()).toEqual(['author', 'text']);
    const listParams = doc.paths['/v1/reviews'].get.parameters;
    const stage = listParams.find((p: { name: string }) => p.name === 'stage');
    expect(stage.schema.enum).toEqual(expect.arrayContaining(['classify', 'check']));
    const type = listParams.find((p: { name: string }) => p.name === 'type');
    expect(type.schema.enum).toEqual(['legal-intake', 'memo-check']);
    // Its reason code is listed beside the engine's and legal intake's wherever a status carries reasons.
    const status = doc.components.schemas.WorkflowStatusResponse;
    expect(JSON.stringify(status)).toContain('"marked_for_review"');
    // Its status and review detail are documented as its own, beside legal intake's.
    const resultsOf = (schema: { anyOf: Array<{ properties: { results: { properties: object } } }> }) =>
      schema.anyOf.map((branch) => Object.keys(branch.properties.results.properties).sort());
    expect(resultsOf(status)).toContainEqual(['checks', 'gates', 'outputs']);
    expect(resultsOf(doc.components.schemas.ReviewDetail)).toContainEqual(['checks', 'gates', 'outputs']);
    const memoDetail = doc.components.schemas.ReviewDetail.anyOf.find(
      (branch: { properties: { results: { properties: object } } }) =>
        'outputs' in branch.properties.results.properties,
    );
    expect(JSON.stringify(memoDetail.properties.intake)).toContain('"author"');
  });
});
