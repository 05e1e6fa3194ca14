/**
 * The production recipe for a Temporal UI that is not the development one: the codec endpoint trusts no
 * origin by itself (`api.codecTrustsLocalUi` off, as with configured keys), an engineer signs in at
 * `/codec`, and the UI sends the session cookie because its codec setting `includeCredentials` is on. The UI
 * is served on the same site as the API (a cookie is sent cross-origin only within its site), as a cluster's
 * UI and Docket behind one domain would be. The real Temporal UI, in Chromium; its browser-level codec
 * settings make the same request the cluster-level `codec.includeCredentials` does.
 */
import { chromium, type Browser } from 'playwright-core';
import { freePort } from '../../scripts/free-port';
import { startTemporalDevServer, type RunningDevServer } from '../../scripts/temporal-dev-server';
import { serveApi, type RunningApi } from '../api/http';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let server: RunningDevServer;
let stack: TestStack;
let api: RunningApi;
let browser: Browser;
let uiPort: number;
let run: { workflowId: string; runId: string };
const previousAddress = process.env.DOCKET_TEST_TEMPORAL_ADDRESS;

beforeAll(async () => {
  uiPort = await freePort();
  server = await startTemporalDevServer({ uiPort });
  process.env.DOCKET_TEST_TEMPORAL_ADDRESS = server.address;
  stack = await startTestStack({ configOverrides: { temporal: { uiPort } } });
  api = await serveApi(stack.config, stack.client, stack.db);
  const started = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
  await stack.client.workflow.getHandle(started.workflowId).result();
  run = started;
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await stack?.close();
  await server?.close();
  process.env.DOCKET_TEST_TEMPORAL_ADDRESS = previousAddress;
});

/** Opens the completed run in the UI, its codec set to the API with credentials; what decode answered. */
async function openRun(signIn: boolean): Promise<{ status: number; shown: boolean }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (signIn) {
      await page.goto(`${api.url}/codec`);
      await page.fill('input[name=key]', stack.keys.engineer);
      await page.click('button[type=submit]');
      await page.waitForSelector('text=Signed in as');
    }
    const ui = `http://127.0.0.1:${uiPort}`;
    await page.goto(`${ui}/namespaces/default/workflows`);
    await page.evaluate((endpoint) => {
      localStorage.setItem('overrideRemoteCodecConfiguration', 'true');
      localStorage.setItem('endpoint', JSON.stringify(endpoint));
      localStorage.setItem('includeCredentials', 'true');
    }, `${api.url}/codec`);
    const decoded = page.waitForResponse((r) => r.url() === `${api.url}/codec/decode`);
    await page.goto(`${ui}/namespaces/default/workflows/${run.workflowId}/${run.runId}/history`);
    const status = (await decoded).status();
    const shown =
      status === 200
        ? await page.waitForSelector('text=/maxToolRounds/', { timeout: 15_000 }).then(() => true)
        : (await page.waitForTimeout(1_000), (await page.content()).includes('maxToolRounds'));
    return { status, shown };
  } finally {
    await context.close();
  }
}

it('decodes in a Temporal UI for an engineer signed in at /codec, with includeCredentials on', async () => {
  expect(stack.config.api.codecTrustsLocalUi).toBe(false);
  expect(await openRun(true)).toEqual({ status: 200, shown: true });
});

it('shows nothing decoded to a browser that did not sign in', async () => {
  expect(await openRun(false)).toEqual({ status: 401, shown: false });
});
