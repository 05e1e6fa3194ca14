/**
 * Browser tabs for the review page's tests, each recording what it did (requests, console lines, page
 * errors), and the checks every test ends with: nothing fetched from anywhere but the API, nothing against
 * the CSP, no script error, no key in a URL or on the console.
 */
import { chromium, type Browser, type Page, type Request } from 'playwright-core';
import { REVIEW_PAGE_CSP } from '../../api/review-page';
import type { WorkflowRegistry } from '../../domain';
import { serveApi, type RunningApi } from '../api/http';
import { startTestStack, type TestStack } from '../support/stack';

/** Debian's Chromium (`apt-get install chromium`), which playwright-core drives. */
const CHROMIUM = '/usr/bin/chromium';

/** What the review page's tests run on: a test stack, the API over it, and Chromium. */
export interface PageStack {
  stack: TestStack;
  api: RunningApi;
  browser: Browser;
  close(): Promise<void>;
}

/** Starts a stack (on `workflows`, Docket's registry by default), serves its API and launches Chromium. */
export async function startPageStack(workflows?: WorkflowRegistry): Promise<PageStack> {
  const stack = await startTestStack({ workflows });
  const api = await serveApi(stack.config, stack.client, stack.db, workflows);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
  return {
    stack,
    api,
    browser,
    async close() {
      await browser.close();
      await api.close();
      await stack.close();
    },
  };
}

export interface Tab {
  page: Page;
  requests: Request[];
  console: string[];
  errors: string[];
}

export interface BrowserTabs {
  open(): Promise<Tab>;
  /** The checks above on every tab opened since the last call (for afterEach), then closes them. */
  checkAndClose(keys: readonly string[]): Promise<void>;
}

export function browserTabs(browser: () => Browser): BrowserTabs {
  const tabs: Tab[] = [];
  return {
    async open() {
      const context = await browser().newContext({ viewport: { width: 1366, height: 768 } });
      const page = await context.newPage();
      const tab: Tab = { page, requests: [], console: [], errors: [] };
      page.on('request', (request) => tab.requests.push(request));
      page.on('console', (message) => tab.console.push(message.text()));
      page.on('pageerror', (error) => tab.errors.push(error.message));
      tabs.push(tab);
      return tab;
    },
    async checkAndClose(keys) {
      for (const tab of tabs.splice(0)) {
        const hosts = [...new Set(tab.requests.map((r) => new URL(r.url()).hostname))];
        expect(hosts).toEqual(['127.0.0.1']);
        expect(tab.console.filter((line) => /Content Security Policy/i.test(line))).toEqual([]);
        expect(tab.errors).toEqual([]);
        for (const key of keys) {
          expect(tab.requests.filter((r) => r.url().includes(key))).toEqual([]);
          expect(tab.console.filter((line) => line.includes(key))).toEqual([]);
        }
        await tab.page.context().close();
      }
    },
  };
}

/** Opens the review page at `apiUrl` in `tab` (checking its policy headers) and signs in with `key`. */
export async function signIn(tab: Tab, apiUrl: string, key: string): Promise<void> {
  const response = await tab.page.goto(`${apiUrl}/review`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()['content-security-policy']).toBe(REVIEW_PAGE_CSP);
  expect(response?.headers()['cache-control']).toBe('no-store');
  await tab.page.getByLabel('Reviewer key').fill(key);
  await tab.page.getByRole('button', { name: 'Sign in' }).click();
}
