/**
 * The reviewer's page for the clinical summary, a pipeline type it names nowhere, in Debian's Chromium
 * driven by playwright-core against the real API, worker and Temporal dev server. A discharge summary whose
 * new antibiotic meets the patient's penicillin allergy waits at its first stop: the page shows the checks'
 * results as tables built from their rows, the reconciliation row flagged. With more medications than the
 * simulated drafter writes plainly, its letter reads above grade 8 and waits at the drafter: the page shows
 * the grade measured on it beside the letter.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Locator } from 'playwright-core';
import { browserTabs, signIn, startPageStack, type PageStack } from './browser-tabs';
import { statusWhen, uniqueExternalId, type RunningApi } from '../api/http';
import type { TestStack } from '../support/stack';

jest.setTimeout(120_000);

const SCREENSHOT = '/tmp/review-item-clinical.png';

let stack: TestStack;
let api: RunningApi;
let browser: Browser;

const tabs = browserTabs(() => browser);

let session: PageStack | undefined;
beforeAll(async () => {
  session = await startPageStack();
  ({ stack, api, browser } = session);
});
afterAll(() => session?.close());

afterEach(() => tabs.checkAndClose(Object.values(stack.keys)));

const ALLERGY_CONFLICT = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clinical-allergy-conflict.json'), 'utf8'),
);

/** Starts a clinical summary of `body` and waits until it stops running. */
async function runUntilItWaits(body: object) {
  const started = await api.call('POST', '/v1/workflows/clinical-summary', {
    key: stack.keys.operator,
    json: { ...body, externalId: uniqueExternalId('clin-page') },
  });
  expect(started.status).toBe(202);
  return statusWhen(api, stack.keys.operator, started.body.workflowId, (s) => s.status !== 'running');
}

/** Signs a reviewer in and opens the item of `workflowId` until its review's heading shows. */
async function openItem(workflowId: string, reviewId: string) {
  const tab = await tabs.open();
  await signIn(tab, api.url, stack.keys.reviewer);
  await tab.page.getByRole('heading', { name: 'Review queue' }).waitFor();
  await tab.page.goto(`${api.url}/review#/item/${workflowId}`);
  await tab.page.getByRole('heading', { name: new RegExp(`Review ${reviewId}`) }).waitFor();
  return tab.page;
}

/** The texts of a table's header cells and of each body row's cells. */
const tableText = (table: Locator) =>
  table.evaluate((el) => ({
    head: [...el.querySelectorAll('thead th')].map((th) => th.textContent),
    rows: [...el.querySelectorAll('tbody tr')].map((tr) => ({
      marked: tr.classList.contains('marked'),
      cells: [...tr.querySelectorAll('td')].map((td) => td.textContent),
      badges: [...tr.querySelectorAll('.badge')].map((b) => ({ text: b.textContent, title: b.title })),
    })),
  }));

it('shows the medication reconciliation as a table, the allergy conflict flagged', async () => {
  const waiting = await runUntilItWaits(ALLERGY_CONFLICT);
  // The checks on the text and the record run first: the conflict stops the run before the extractor's output is trusted.
  expect(waiting).toMatchObject({ status: 'awaiting_review', stage: 'extractor' });
  const page = await openItem(waiting.workflowId, waiting.review.id);
  const reasons = await page.getByRole('region', { name: 'Why it needs a person' }).textContent();
  expect(reasons).toContain('allergy conflict');

  // The checks, from the status's shape: each result headed by its name, its rows as a table.
  const checks = page.getByRole('region', { name: 'Checks' });
  await expect(checks.locator('h4').allTextContents()).resolves.toEqual([
    'Labs',
    'Patient',
    'Document medications',
    'Document follow ups',
  ]);
  const result = (name: string) =>
    checks.locator('.check-result', { has: page.getByRole('heading', { name, exact: true }) });
  const medications = result('Document medications');
  await expect(medications.locator('.check-facts').textContent()).resolves.toBe('Patient found: yes');
  await expect(medications.locator('.check-list').textContent()).resolves.toBe('Unverified: none');
  const reconciliation = await tableText(medications.getByRole('table'));
  expect(reconciliation.head).toEqual(['name', 'known', 'drug class', 'document', 'record', 'flags']);
  const amoxicillin = reconciliation.rows.find((row) => row.cells[0] === 'amoxicillin')!;
  expect(amoxicillin.marked).toBe(true);
  expect(amoxicillin.cells[1]).toBe('yes');
  // The document's dose, unit and status in one cell; the record has none.
  expect(amoxicillin.cells[3]).toMatch(/^500 mg · \w+$/);
  expect(amoxicillin.cells[4]).toBe('—');
  expect(amoxicillin.badges).toEqual([
    { text: 'allergy conflict', title: expect.stringContaining('penicillin') },
  ]);
  expect(amoxicillin.cells[5]).toContain(amoxicillin.badges[0].title);
  const warfarin = reconciliation.rows.find((row) => row.cells[0] === 'warfarin')!;
  expect(warfarin).toMatchObject({ marked: false, badges: [] });
  expect(warfarin.cells[4]).toBe('5 mg');
  // A result of another shape: a line of its scalars above the table of its items.
  const followUps = result('Document follow ups');
  await expect(followUps.locator('.check-facts').textContent()).resolves.toMatch(/^As of: \d{4}-\d\d-\d\d$/);
  await expect(tableText(followUps.getByRole('table'))).resolves.toMatchObject({
    head: ['what', 'due date', 'overdue'],
  });
  // Nothing measured on a text yet: no grade anywhere.
  await expect(page.locator('.measured').count()).resolves.toBe(0);
  await page.screenshot({ path: SCREENSHOT, fullPage: true });
});

it('shows the reading grade measured on the letter beside it when the letter waits at the drafter', async () => {
  // Six medications: more than the simulated drafter writes plainly, so its letter reads above grade 8.
  const text = ALLERGY_CONFLICT.document.text.replace(
    '(continued)\nLabs:',
    '(continued)\n- Amlodipine 5 mg PO daily (new)\n- Omeprazole 20 mg PO daily (new)\n' +
      '- Atorvastatin 40 mg PO nightly (new)\nLabs:',
  );
  expect(text).toContain('Atorvastatin');
  let drafted = await runUntilItWaits({
    ...ALLERGY_CONFLICT,
    document: { ...ALLERGY_CONFLICT.document, text },
  });
  // A person approves each earlier stop (the allergy conflict first) until the letter waits at the drafter.
  while (drafted.stage !== 'drafter') {
    expect(drafted.status).toBe('awaiting_review');
    const previous = drafted.review.id;
    const approved = await api.call('POST', `/v1/reviews/${drafted.workflowId}/decision`, {
      key: stack.keys.reviewer,
      json: { reviewId: previous, decision: 'approve' },
    });
    expect(approved.status).toBe(200);
    drafted = await statusWhen(
      api,
      stack.keys.operator,
      drafted.workflowId,
      (s) => s.status !== 'running' && s.review?.id !== previous,
    );
  }
  expect(drafted).toMatchObject({ status: 'awaiting_review', stage: 'drafter' });
  const { grade } = drafted.results.checks.letter;
  expect(grade).toBeGreaterThan(8);

  const page = await openItem(drafted.workflowId, drafted.review.id);
  const letter = page.locator('section.under-review .field-row', { hasText: 'Patient letter' });
  await expect(letter.locator('.measured').textContent()).resolves.toBe(`Reading grade ${grade}`);
  await expect(page.locator('.measured').count()).resolves.toBe(1);
  const facts = page
    .getByRole('region', { name: 'Checks' })
    .locator('.check-result', { has: page.getByRole('heading', { name: 'Letter', exact: true }) });
  await expect(facts.locator('.check-facts').textContent()).resolves.toBe(`Grade: ${grade}`);
});
