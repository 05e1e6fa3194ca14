/**
 * The reviewer's page in a real browser: Debian's Chromium driven by playwright-core, against the real API,
 * worker and Temporal dev server. A reviewer signs in, filters the queue, opens an escalated intake, revises
 * it and sees it complete; rejects one (not without a reason); a wrong key is refused. Every page load is
 * checked for its Content-Security-Policy, for requests that leave 127.0.0.1 and for CSP violations.
 */
import type { Browser, Request } from 'playwright-core';
import { browserTabs, signIn, startPageStack, type PageStack, type Tab } from './browser-tabs';
import { REVIEW_PAGE_CSP } from '../../api/review-page';
import { legalIntakeWorkflowId, type IntakeRequest } from '../../domain';
import { pollUntil, type RunningApi } from '../api/http';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import type { TestStack } from '../support/stack';

jest.setTimeout(180_000);

const SCREENSHOT = '/tmp/review-item.png';

let stack: TestStack;
let api: RunningApi;
let browser: Browser;

const tabs = browserTabs(() => browser);
const openTab = () => tabs.open();

/** Starts an intake as an operator would, over REST. */
async function submit(intake: IntakeRequest): Promise<string> {
  const res = await api.call('POST', '/v1/workflows/legal-intake', {
    key: stack.keys.operator,
    json: intake,
  });
  expect(res.status).toBe(202);
  return res.body.workflowId;
}

/** Waits until the queue (Temporal visibility) lists every one of `workflowIds`. */
async function listed(...workflowIds: string[]): Promise<void> {
  await pollUntil(
    () => api.call('GET', '/v1/reviews?limit=100', { key: stack.keys.reviewer }),
    (res) =>
      res.status === 200 &&
      workflowIds.every((id) => res.body.items.some((row: { workflowId: string }) => row.workflowId === id)),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

const reviewerSignIn = (tab: Tab, key = stack.keys.reviewer) => signIn(tab, api.url, key);

function decisionPosts(tab: Tab): Request[] {
  return tab.requests.filter((r) => r.method() === 'POST' && /\/v1\/reviews\/.+\/decision$/.test(r.url()));
}

let session: PageStack | undefined;
beforeAll(async () => {
  session = await startPageStack();
  ({ stack, api, browser } = session);
});
afterAll(() => session?.close());

afterEach(() => tabs.checkAndClose(Object.values(stack.keys)));

it('serves the page and its assets with a policy that allows nothing foreign, and lists itself in the OpenAPI document', async () => {
  const page = await api.call('GET', '/review');
  expect(page.status).toBe(200);
  expect(page.headers.get('content-type')).toMatch(/^text\/html/);
  expect(page.headers.get('content-security-policy')).toBe(REVIEW_PAGE_CSP);
  expect(page.headers.get('cache-control')).toBe('no-store');
  // No inline script or style: the policy would refuse it, so the page must not need it.
  expect(page.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle=|\son[a-z]+=/i);
  for (const asset of ['app.js', 'review.css']) {
    const res = await api.call('GET', `/review/assets/${asset}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(REVIEW_PAGE_CSP);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  }
  expect((await api.call('GET', '/review/assets/../index.ts')).status).toBe(404);
  const doc = await api.call('GET', '/openapi.json');
  expect(Object.keys(doc.body.paths['/review'].get.responses['200'].content)).toEqual(['text/html']);
});

it('signs in, filters the queue, and revises an escalated item, which leaves the queue and completes', async () => {
  // A conflict at the reason stage (the only review it will need) and a vague intake at classify.
  const conflict = await submit(exampleIntake('conflict-adverse-client'));
  const vague = await submit(exampleIntake('ambiguous'));
  // And one whose review was due a second after it was asked.
  const oneSecondSla = { ...stack.config, review: { ...stack.config.review, sla: { default: '1s' } } };
  const { workflowId: late } = await startLegalIntake(
    { ...stack, config: oneSecondSla },
    exampleIntake('ambiguous'),
  );
  await listed(conflict, vague);
  await pollUntil(
    () => api.call('GET', '/v1/reviews?status=overdue', { key: stack.keys.reviewer }),
    (res) => res.body.items?.some((row: { workflowId: string }) => row.workflowId === late),
    { timeoutMs: 30_000, intervalMs: 250 },
  );

  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab);
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('docket.reviewerKey'))).toBe(stack.keys.reviewer);
  await page.getByRole('link', { name: vague }).waitFor();
  // Overdue is said in words, not only in colour, in the row and in the counts.
  await expect(page.getByRole('row', { name: new RegExp(late) }).textContent()).resolves.toContain('Overdue');
  await expect(page.getByRole('row', { name: new RegExp(vague) }).textContent()).resolves.not.toContain(
    'Overdue',
  );
  await expect(page.locator('.tile', { hasText: 'Overdue' }).textContent()).resolves.toBe('Overdue1');

  await page.getByLabel('Stage').selectOption('reason');
  await page.getByLabel('Matter type').selectOption('commercial_contract');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.getByRole('link', { name: vague }).waitFor({ state: 'detached' });
  expect(page.url()).toContain('stage=reason');
  await page.getByRole('link', { name: conflict }).click();

  // The item: why it is here (the conflict hit), the message beside the outputs, per-field confidence.
  await page.getByRole('heading', { name: /Review reason-1/ }).waitFor();
  const reasons = page.getByRole('region', { name: 'Why it needs a person' });
  await expect(reasons.textContent()).resolves.toEqual(
    expect.stringMatching(/potential conflict.*Acme Freight Inc.*M-2001/s),
  );
  // Each hit says where the name came from, the directory row it matched, how, and why it conflicts.
  await expect(reasons.textContent()).resolves.toEqual(
    expect.stringMatching(
      /the sender \(From: line or address\).*adverse party AP-3001, matter M-2001.*adverse party in an open matter/s,
    ),
  );
  const message = page.getByRole('region', { name: 'Original message' });
  await expect(message.textContent()).resolves.toContain('I am general counsel at Acme Freight Inc.');
  const outputs = page.getByRole('region', { name: "The agents' outputs" });
  const matterType = outputs.locator('.field-row', { hasText: 'Matter type' }).first();
  await expect(matterType.textContent()).resolves.toMatch(/commercial_contract\s*confidence 0\.\d\d/);
  await expect(outputs.textContent()).resolves.toContain('Rationale');
  await page.screenshot({ path: SCREENSHOT });

  // Revise the priority only; the page sends just that field, with an Idempotency-Key.
  await page.getByLabel('Revise').check();
  await expect(page.getByLabel('Priority').inputValue()).resolves.toBe('p3');
  await page.getByLabel('Priority').selectOption('p1');
  await page.getByLabel('Comment').fill('The client needs this moving this week.');
  await page.getByRole('button', { name: 'Record decision' }).click();

  // Nothing else waits in the filtered queue: the page lands on it, without the item just decided.
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await expect(page.locator('#flash').textContent()).resolves.toContain(
    'Recorded: revise on review reason-1',
  );
  const [post] = decisionPosts(tab);
  expect(post.headers()['idempotency-key']).toMatch(/^[0-9a-f-]{32,36}$/);
  expect(post.postDataJSON()).toEqual({
    reviewId: 'reason-1',
    decision: 'revise',
    comment: 'The client needs this moving this week.',
    corrections: { priority: 'p1' },
  });
  await pollUntil(
    async () => {
      await page.getByRole('button', { name: 'Refresh' }).click();
      await page.getByRole('heading', { name: /Reviews, oldest due first/ }).waitFor();
      return page.getByRole('link', { name: conflict }).count();
    },
    (rows) => rows === 0,
    { timeoutMs: 20_000, intervalMs: 500 },
  );

  const done = await waitForStatus(stack.client, conflict, (s) => s.status === 'completed');
  expect(done.result?.caseId).toEqual(expect.any(String));
  expect(done.results.assessment?.priority).toBe('p1');
  expect(done.reviewHistory).toEqual([
    expect.objectContaining({
      id: 'reason-1',
      decision: 'revise',
      reviewer: 'test-reviewer',
      corrections: { priority: 'p1' },
    }),
  ]);
});

it('will not reject without a reason, rejects with one, and shows hostile intake text as text', async () => {
  const hostile = {
    ...exampleIntake('ambiguous'),
    subject: '<img src=x onerror="window.__pwned=1">Re: <b>help</b>',
    body: 'I have a problem with someone and I need advice.\n<script>window.__pwned=2</script>',
  };
  const workflowId = await submit(hostile);
  expect(workflowId).toBe(legalIntakeWorkflowId(hostile.externalId));
  await listed(workflowId);

  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab);
  await page.getByRole('link', { name: workflowId }).click();
  await page.getByRole('heading', { name: /Review classify-1/ }).waitFor();
  const message = page.getByRole('region', { name: 'Original message' });
  await expect(message.textContent()).resolves.toContain(
    '<img src=x onerror="window.__pwned=1">Re: <b>help</b>',
  );
  await expect(message.textContent()).resolves.toContain('<script>window.__pwned=2</script>');
  await expect(message.locator('img, b, script').count()).resolves.toBe(0);
  await expect(page.evaluate(() => (globalThis as { __pwned?: unknown }).__pwned)).resolves.toBeUndefined();

  // One confidence for the review, the one its gate compared: in the summary, and in the reason's words.
  // How it was computed (the model's own estimate among the parts) waits behind a disclosure.
  const { review } = await waitForStatus(stack.client, workflowId, (s) => s.review !== null);
  const shown = review!.confidence!.toFixed(2);
  const confidence = page.locator('.summary > div', { hasText: 'Confidence' });
  await expect(confidence.locator(':scope > dd').textContent()).resolves.toMatch(
    new RegExp(`^${shown}How it was computed`),
  );
  const disclosure = confidence.locator('details');
  await expect(disclosure.locator('dl').isVisible()).resolves.toBe(false);
  await disclosure.locator('summary').click();
  await expect(disclosure.locator('dl').textContent()).resolves.toMatch(/The model's own estimate\d\.\d\d/);
  const reasons = await page.getByRole('region', { name: 'Why it needs a person' }).textContent();
  expect(reasons).toContain(`confidence ${shown} is below the threshold`);
  expect(reasons).not.toMatch(/\d\.\d{3}/);
  const outputs = await page.getByRole('region', { name: "The agents' outputs" }).textContent();
  expect(outputs).not.toMatch(/overall confidence/i);

  await page.getByLabel('Reject').check();
  await page.getByRole('button', { name: 'Record decision' }).click();
  const summary = page.getByRole('alert').filter({ hasText: 'The decision was not recorded' });
  await expect(summary.textContent()).resolves.toContain('Give the reason for rejecting');
  await expect(page.getByLabel('Comment').getAttribute('aria-invalid')).resolves.toBe('true');
  expect(decisionPosts(tab)).toHaveLength(0);

  await page.getByLabel('Comment').fill('Not a legal enquiry we can act on.');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Recorded: reject on review classify-1').waitFor();
  expect(decisionPosts(tab)).toHaveLength(1);

  const rejected = await waitForStatus(stack.client, workflowId, (s) => s.status === 'rejected');
  expect(rejected.result).toBeNull();
  expect(rejected.reviewHistory).toEqual([
    expect.objectContaining({ decision: 'reject', comment: 'Not a legal enquiry we can act on.' }),
  ]);
});

it('records a decision once when its answer is lost and the reviewer sends it again', async () => {
  // Vague (a review at classify), from someone adverse in an open matter (a conflict at reason, after it).
  const workflowId = await submit({
    ...exampleIntake('ambiguous'),
    channel: 'email',
    from: 'Daniel Whitaker <daniel.whitaker@example.org>',
  });
  const other = await submit(exampleIntake('ambiguous'));
  await listed(workflowId, other);
  const tab = await openTab();
  const { page } = tab;
  // The first answer is lost on the way back (the API did record it); the second goes through.
  let lost = false;
  await page.route(/\/decision$/, async (route) => {
    if (lost) return route.continue();
    lost = true;
    await route.fetch();
    await route.abort('connectionreset');
  });
  await reviewerSignIn(tab);
  await page.getByRole('link', { name: workflowId }).click();
  await page.getByLabel('Approve').check();
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Sending the same decision again is safe').waitFor();
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Recorded: approve on review classify-1').waitFor();

  // Another item waits, so the page moved on to it.
  await expect(page.locator('#flash').textContent()).resolves.toContain('Next item in the queue');
  await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toMatch(/^Review /);
  await expect(page.locator('.heading-sub').textContent()).resolves.not.toBe(workflowId);

  const posts = decisionPosts(tab);
  expect(posts).toHaveLength(2);
  expect(posts[1].headers()['idempotency-key']).toBe(posts[0].headers()['idempotency-key']);
  // The sender's conflict escalates it at the reason stage: a queue row still naming classify-1 is stale.
  const status = await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'reason-1');
  expect(status.reviewHistory.filter((r) => r.id === 'classify-1')).toHaveLength(1);
  await page.goto(`${api.url}/review#/item/${workflowId}?reviewId=classify-1`);
  await page.getByRole('heading', { name: /Review reason-1/ }).waitFor();
  await page.getByText('Stale queue row: the queue listed review classify-1').waitFor();
});

it('shows which model and cascade rung gave the answer under review, and why the call climbed', async () => {
  const cascade = [
    { tier: 'fast' as const },
    { tier: 'reasoning' as const, when: { policy: true as const } },
  ];
  const config = structuredClone(stack.config);
  config.agents.reasoner.cascade = cascade;
  const { workflowId } = await startLegalIntake(
    { ...stack, config },
    exampleIntake('conflict-adverse-client'),
  );
  await waitForStatus(stack.client, workflowId, (s) => s.review?.id === 'reason-1');
  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab);
  await page.goto(`${api.url}/review#/item/${workflowId}?reviewId=reason-1`);
  await page.getByRole('heading', { name: /Review reason-1/ }).waitFor();
  const answered = page.locator('.summary div', { hasText: 'Answered by' });
  await expect(answered.textContent()).resolves.toBe(
    'Answered byo1-2024-12-17 (rung 2 of 2, climbed for policy)',
  );
});

it('pages through the queue with nextCursor, oldest due first', async () => {
  const ids = await Promise.all(Array.from({ length: 11 }, () => submit(exampleIntake('ambiguous'))));
  await listed(...ids);
  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab);
  await page.getByLabel('Rows per page').selectOption('10');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/limit=10/);
  await pollUntil(
    () => page.locator('table.queue tbody tr').count(),
    (n) => n === 10,
    { timeoutMs: 10_000, intervalMs: 100 },
  );
  const rows = () =>
    page.locator('table.queue tbody tr').evaluateAll((trs) =>
      trs.map((tr) => ({
        workflowId: tr.querySelector('a')?.textContent ?? '',
        dueAt: tr.querySelector('time')?.getAttribute('datetime') ?? '',
      })),
    );
  const first = await rows();
  expect(first).toHaveLength(10);

  await page.getByRole('button', { name: 'Next page' }).click();
  await page.getByRole('heading', { name: 'Reviews, oldest due first (page 2)' }).waitFor();
  const second = await rows();
  expect(second.length).toBeGreaterThan(0);
  const all = [...first, ...second];
  expect(new Set(all.map((r) => r.workflowId)).size).toBe(all.length);
  expect(all.map((r) => r.workflowId)).toEqual(expect.arrayContaining(ids));
  const due = all.map((r) => r.dueAt);
  expect([...due].sort()).toEqual(due);

  await page.getByRole('button', { name: 'Previous page' }).click();
  await page.getByRole('heading', { name: 'Reviews, oldest due first (page 1)' }).waitFor();
  expect((await rows()).map((r) => r.workflowId)).toEqual(first.map((r) => r.workflowId));
});

it('refuses a wrong key and a key without the reviewer role, with a clear message, and keeps neither', async () => {
  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab, 'not-a-key-anyone-was-given');
  await page.getByText('That key was refused: it is not a known API key.').waitFor();
  await expect(page.getByLabel('Reviewer key').getAttribute('aria-invalid')).resolves.toBe('true');
  expect(await page.evaluate(() => sessionStorage.getItem('docket.reviewerKey'))).toBeNull();

  await page.getByLabel('Reviewer key').fill(stack.keys.operator);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText('That key is known but has no reviewer role').waitFor();
  expect(await page.evaluate(() => sessionStorage.getItem('docket.reviewerKey'))).toBeNull();
  await expect(page.getByRole('heading', { name: 'Review queue' }).count()).resolves.toBe(0);
});
