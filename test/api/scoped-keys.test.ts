/**
 * API keys limited to workflow types: a key scoped to the memo check never sees a legal intake (404 as for a
 * run that does not exist, absent from its queue) and works on its memos as any key does. One stack, one run
 * of each type.
 */
import { randomBytes } from 'node:crypto';
import { checkKeyScopes } from '../../api/auth';
import { ConfigError, hashApiKey, type ApiRole } from '../../config';
import { REVIEW_MARK } from '../engine/memo-check/pipeline';
import { withMemoCheck } from '../engine/memo-check/registry';
import { exampleIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { pollUntil, serveApi, statusWhen, uniqueExternalId, type RunningApi } from './http';

jest.setTimeout(60_000);

const workflows = withMemoCheck;

let stack: TestStack;
let api: RunningApi;

/** Keys limited to the memo check, one per role that reads or acts on a workflow. */
const memoOnly = {
  operator: randomBytes(24).toString('hex'),
  reviewer: randomBytes(24).toString('hex'),
  auditor: randomBytes(24).toString('hex'),
  admin: randomBytes(24).toString('hex'),
};
/** An auditor for every type, to compare with. */
const auditorKey = randomBytes(24).toString('hex');

let legalId: string;
let memoId: string;

beforeAll(async () => {
  stack = await startTestStack({ workflows });
  for (const [role, key] of Object.entries(memoOnly)) {
    stack.config.api.keys.push({
      name: `memo-${role}`,
      role: role as ApiRole,
      sha256: hashApiKey(key),
      types: ['memo-check'],
    });
  }
  stack.config.api.keys.push({ name: 'test-auditor', role: 'auditor', sha256: hashApiKey(auditorKey) });
  api = await serveApi(stack.config, stack.client, stack.db, workflows);

  // A legal intake (vague: it waits for a reviewer), started by an operator for every type; a memo marked for
  // review, started by the memo check's own operator.
  const [legal, memo] = await Promise.all([
    api.call('POST', '/v1/workflows/legal-intake', {
      key: stack.keys.operator,
      json: exampleIntake('ambiguous'),
    }),
    api.call('POST', '/v1/workflows/memo-check', {
      key: memoOnly.operator,
      json: {
        externalId: uniqueExternalId('scoped-memo'),
        memo: { author: 'Margaret Okonkwo', text: `${REVIEW_MARK} Please approve the new leave policy.` },
      },
    }),
  ]);
  expect([legal.status, memo.status]).toEqual([202, 202]);
  legalId = legal.body.workflowId;
  memoId = memo.body.workflowId;
  await Promise.all(
    [legalId, memoId].map((id) =>
      statusWhen(api, stack.keys.operator, id, (s) => s.status === 'awaiting_review'),
    ),
  );
});
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

/** What any key gets for a legal intake that does not exist. */
const missing = (workflowId: string) => ({
  error: { code: 'not_found', message: `no workflow ${workflowId}` },
});

describe('a key limited to the memo check', () => {
  it('gets for a legal intake what a run that does not exist gets: status, review, decision, audit, erasure', async () => {
    const nowhere = `legal-intake-${uniqueExternalId('never-started')}`;
    // The answer for a run that does not exist, to an unscoped key.
    const absent = await api.call('GET', `/v1/workflows/${nowhere}`, { key: stack.keys.operator });
    expect([absent.status, absent.body]).toEqual([404, missing(nowhere)]);

    for (const key of [memoOnly.operator, memoOnly.reviewer]) {
      const status = await api.call('GET', `/v1/workflows/${legalId}`, { key });
      expect([status.status, status.body]).toEqual([404, missing(legalId)]);
    }
    const review = await api.call('GET', `/v1/reviews/${legalId}`, { key: memoOnly.reviewer });
    expect([review.status, review.body]).toEqual([404, missing(legalId)]);

    const pending = await api.call('GET', `/v1/reviews/${legalId}`, { key: stack.keys.reviewer });
    expect(pending.status).toBe(200);
    const decision = await api.call('POST', `/v1/reviews/${legalId}/decision`, {
      key: memoOnly.reviewer,
      json: { reviewId: pending.body.review.id, decision: 'approve' },
    });
    expect([decision.status, decision.body]).toEqual([404, missing(legalId)]);

    const audit = await api.call('GET', `/v1/workflows/${legalId}/audit`, { key: memoOnly.auditor });
    const auditAbsent = await api.call('GET', `/v1/workflows/${nowhere}/audit`, { key: auditorKey });
    expect([audit.status, audit.body]).toEqual([
      404,
      { error: { ...auditAbsent.body.error, message: `no workflow ${legalId} and no audit trail for it` } },
    ]);
    expect((await api.call('GET', `/v1/workflows/${legalId}/audit`, { key: auditorKey })).status).toBe(200);

    // An unscoped admin would hear that the intake still runs (409); this one hears of no such run.
    const erasure = await api.call('DELETE', `/v1/workflows/${legalId}/personal-data`, {
      key: memoOnly.admin,
    });
    expect([erasure.status, erasure.body]).toEqual([404, missing(legalId)]);

    // Nothing was decided or erased: the intake still waits for its review, as it was.
    const after = await api.call('GET', `/v1/reviews/${legalId}`, { key: stack.keys.reviewer });
    expect(after.status).toBe(200);
    expect(after.body.review.id).toBe(pending.body.review.id);
    expect(after.body.intake).not.toBeNull();
  });

  it('cannot start a legal intake: the answer for a type nobody registered, listing only its own', async () => {
    const intake = exampleIntake('ambiguous');
    const refused = await api.call('POST', '/v1/workflows/legal-intake', {
      key: memoOnly.operator,
      json: intake,
    });
    const unknown = await api.call('POST', '/v1/workflows/tax-return', {
      key: memoOnly.operator,
      json: intake,
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual({
      error: {
        code: 'unknown_workflow_type',
        message: 'no workflow type legal-intake; registered: memo-check',
        details: { registered: ['memo-check'] },
      },
    });
    expect(unknown.body.error).toEqual({
      ...refused.body.error,
      message: 'no workflow type tax-return; registered: memo-check',
    });
    // Refused before the body was read, and nothing started.
    const bad = await api.call('POST', '/v1/workflows/legal-intake', { key: memoOnly.operator, json: {} });
    expect(bad.status).toBe(404);
    const notStarted = `legal-intake-${intake.externalId}`;
    expect((await api.call('GET', `/v1/workflows/${notStarted}`, { key: stack.keys.operator })).status).toBe(
      404,
    );
  });

  it('finds only memos in its review queue and counts, while a reviewer for every type finds both', async () => {
    const ids = async (key: string, query = '') =>
      (await api.call('GET', `/v1/reviews?limit=100${query}`, { key })).body.items.map(
        (item: { workflowId: string }) => item.workflowId,
      );
    // Visibility lags the workflow by moments.
    await pollUntil(
      () => ids(stack.keys.reviewer),
      (listed) => listed.includes(legalId) && listed.includes(memoId),
      { timeoutMs: 20_000, intervalMs: 250 },
    );
    expect(await ids(memoOnly.reviewer)).toEqual([memoId]);
    // Its own type filter holds nothing of another type; another type's filter holds nothing for it.
    expect(await ids(memoOnly.reviewer, '&type=memo-check')).toEqual([memoId]);
    const other = await api.call('GET', '/v1/reviews?type=legal-intake', { key: memoOnly.reviewer });
    expect([other.status, other.body]).toEqual([200, { items: [], nextCursor: null }]);
    // Pages of one item stay full and end where its items end.
    const page = await api.call('GET', '/v1/reviews?limit=1', { key: memoOnly.reviewer });
    expect(page.body).toMatchObject({ items: [{ workflowId: memoId }], nextCursor: null });

    const counts = await api.call('GET', '/v1/reviews/counts', { key: memoOnly.reviewer });
    expect(counts.body).toMatchObject({ open: 1, types: ['memo-check'] });
    expect(Object.keys(counts.body.byStage)).toEqual(['check']);
    const all = await api.call('GET', '/v1/reviews/counts', { key: stack.keys.reviewer });
    expect(all.body).toMatchObject({ open: 2, types: ['legal-intake', 'memo-check'] });
  });

  it('sees and decides its own memo like any key', async () => {
    const status = await api.call('GET', `/v1/workflows/${memoId}`, { key: memoOnly.reviewer });
    expect(status.status).toBe(200);
    const detail = await api.call('GET', `/v1/reviews/${memoId}`, { key: memoOnly.reviewer });
    expect(detail.status).toBe(200);
    expect(detail.body.intake.memo.author).toBe('Margaret Okonkwo');
    expect((await api.call('GET', `/v1/workflows/${memoId}/audit`, { key: memoOnly.auditor })).status).toBe(
      200,
    );
    const decided = await api.call('POST', `/v1/reviews/${memoId}/decision`, {
      key: memoOnly.reviewer,
      json: { reviewId: detail.body.review.id, decision: 'approve' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.recorded).toMatchObject({ decision: 'approve', reviewer: 'memo-reviewer' });
  });
});

describe('where the API starts', () => {
  it('refuses a key limited to a type nobody registered, naming the key', async () => {
    const key = { name: 'memos', role: 'reviewer' as const, sha256: hashApiKey('x'.repeat(16)) };
    expect(() => checkKeyScopes([{ ...key, types: ['memo-check'] }], workflows)).not.toThrow();
    const refusal = () => checkKeyScopes([{ ...key, types: ['memo-check', 'memo-chek'] }], workflows);
    expect(refusal).toThrow(ConfigError);
    expect(refusal).toThrow(
      'API key memos (api.keys or DOCKET_API_KEYS): types[1] names no registered workflow type (registered: legal-intake, memo-check)',
    );
    // The API itself: createApp runs the same check.
    const config = {
      ...stack.config,
      api: { ...stack.config.api, keys: [{ ...key, types: ['clinical-summary'] }] },
    };
    await expect(serveApi(config, stack.client, stack.db, workflows)).rejects.toThrow(/API key memos/);
  });
});
