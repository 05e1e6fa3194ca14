/**
 * The reviewer's page for a workflow type it was not written for: the memo check (test/engine/memo-check),
 * registered beside legal intake, in Debian's Chromium driven by playwright-core against the real API, worker
 * and Temporal dev server. A memo marked for review waits at its `check` stage; the reviewer finds it in the
 * queue, reads the memo beside the checker's output, revises the audience through the generated form, and
 * the run completes with the revision.
 */
import type { Browser } from 'playwright-core';
import { browserTabs, signIn, startPageStack, type PageStack, type Tab } from './browser-tabs';
import { pollUntil, statusWhen, uniqueExternalId, type RunningApi } from '../api/http';
import type { TestStack } from '../support/stack';
import { withMemoCheck } from '../engine/memo-check/registry';
import { REVIEW_MARK, type MemoCheck } from '../engine/memo-check/pipeline';

jest.setTimeout(180_000);

const SCREENSHOT = '/tmp/review-item-any-type.png';
const AUTHOR = 'Margaret Okonkwo';
const TEXT = `${REVIEW_MARK} Please approve the new leave policy before Friday.`;

const workflows = withMemoCheck;

let stack: TestStack;
let api: RunningApi;
let browser: Browser;

const tabs = browserTabs(() => browser);
const openTab = () => tabs.open();

const reviewerSignIn = (tab: Tab, key = stack.keys.reviewer) => signIn(tab, api.url, key);

const statusOf = (workflowId: string, done: (body: { status: string }) => boolean) =>
  statusWhen(api, stack.keys.operator, workflowId, done);

let session: PageStack | undefined;
beforeAll(async () => {
  session = await startPageStack(workflows);
  ({ stack, api, browser } = session);
});
afterAll(() => session?.close());

afterEach(() => tabs.checkAndClose(Object.values(stack.keys)));

it('shows a memo check waiting at its stage, and revises its audience through the form until it completes', async () => {
  const started = await api.call('POST', '/v1/workflows/memo-check', {
    key: stack.keys.operator,
    json: { externalId: uniqueExternalId('memo-page'), memo: { author: AUTHOR, text: TEXT } },
  });
  expect(started.status).toBe(202);
  const { workflowId } = started.body;
  await statusOf(workflowId, (s) => s.status === 'awaiting_review');
  // What the reviewer reads: the checker's output re-identified (the status keeps the author as a token).
  const detail = await api.call('GET', `/v1/reviews/${workflowId}`, { key: stack.keys.reviewer });
  expect(detail.status).toBe(200);
  const checked = detail.body.results.outputs.check as MemoCheck;
  // The revision below must change something: the simulated checker says who else the memo is for.
  expect(checked.audience).not.toBe('board');
  await pollUntil(
    () => api.call('GET', '/v1/reviews?limit=100', { key: stack.keys.reviewer }),
    (res) =>
      res.status === 200 && res.body.items.some((i: { workflowId: string }) => i.workflowId === workflowId),
    { timeoutMs: 30_000, intervalMs: 250 },
  );

  const tab = await openTab();
  const { page } = tab;
  await reviewerSignIn(tab);
  await page.getByRole('heading', { name: 'Review queue' }).waitFor();
  // Two types are registered: the queue can be narrowed to one, and the memo's row has no legal columns.
  await page.getByLabel('Workflow type').selectOption('memo-check');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await page.waitForURL(/type=memo-check/);
  await page.getByRole('link', { name: workflowId }).waitFor();
  const row = await page.getByRole('row', { name: new RegExp(workflowId) }).textContent();
  expect(row).toMatch(/check.*—not set.*—not set.*marked for review/s);
  expect(row).not.toMatch(/undefined|null/);
  await page.getByRole('link', { name: workflowId }).click();

  // The item: why it waits, the memo as sent (the author's name back in place), the checker's output.
  await page.getByRole('heading', { name: /Review check-1/ }).waitFor();
  const reasons = await page.getByRole('region', { name: 'Why it needs a person' }).textContent();
  expect(reasons).toContain('marked for review');
  expect(reasons).toContain('the memo asks for a person to read it');
  const memo = await page.getByRole('region', { name: 'What came in' }).textContent();
  expect(memo).toContain(TEXT);
  expect(memo).toMatch(new RegExp(`Author\\s*${AUTHOR}`));
  const outputs = page.getByRole('region', { name: "The agents' outputs" });
  const under = outputs.locator('section.under-review');
  await expect(under.locator('h3').textContent()).resolves.toBe('Check outputunder review');
  await expect(under.locator('.field-row', { hasText: 'Summary' }).textContent()).resolves.toBe(
    `Summary${checked.summary}`,
  );
  await expect(under.locator('.field-row', { hasText: 'Audience' }).textContent()).resolves.toBe(
    `Audience${checked.audience}`,
  );
  // One confidence per review, in the summary: the agent's own is not among the fields.
  await expect(under.locator('.field-row', { hasText: 'Confidence' }).count()).resolves.toBe(0);
  await expect(under.textContent()).resolves.toContain(`Rationale${checked.rationale}`);
  await expect(page.locator('.summary > div', { hasText: 'Confidence' }).textContent()).resolves.toMatch(
    /Confidence\d\.\d\d/,
  );
  await page.screenshot({ path: SCREENSHOT, fullPage: true });

  // Revise through the form generated from the output's JSON Schema: only the audience changes.
  await page.getByLabel('Revise').check();
  await expect(page.getByLabel('Audience').inputValue()).resolves.toBe(checked.audience);
  await expect(page.getByLabel('Summary').inputValue()).resolves.toBe(checked.summary);
  await page.getByLabel('Audience').selectOption('board');
  await page.getByRole('button', { name: 'Record decision' }).click();
  await page.getByText('Recorded: revise on review check-1').waitFor();
  const posts = tab.requests.filter((r) => r.method() === 'POST' && /\/decision$/.test(r.url()));
  expect(posts.map((r) => r.postDataJSON())).toEqual([
    { reviewId: 'check-1', decision: 'revise', corrections: { audience: 'board' } },
  ]);

  const done = await statusOf(workflowId, (s) => s.status !== 'awaiting_review' && s.status !== 'running');
  expect(done.status).toBe('completed');
  expect(done.results.outputs.check.audience).toBe('board');
});
