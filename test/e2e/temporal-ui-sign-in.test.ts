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

/**
 * Opens the completed run in the UI, its codec set to `target`'s with credentials: what decode answered, whether
 * the run's input shows decoded, and whether the page shows `refusal` (a `docketCodecError` code).
 */
async function openRun(
  signIn: boolean,
  target: RunningApi = api,
  refusal = 'sign_in_required',
): Promise<{ status: number; shown: boolean; refusalShown: boolean }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    if (signIn) {
      await page.goto(`${target.url}/codec`);
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
    }, `${target.url}/codec`);
    const decoded = page.waitForResponse((r) => r.url() === `${target.url}/codec/decode`);
    await page.goto(`${ui}/namespaces/default/workflows/${run.workflowId}/${run.runId}/history`);
    const status = (await decoded).status();
    // Whichever the page comes to show first: the run's decoded settings, or the codec's refusal.
    const first = await Promise.race([
      page.waitForSelector('text=/maxToolRounds/', { timeout: 15_000 }).then(() => 'decoded'),
      page.waitForSelector(`text=/${refusal}/`, { timeout: 15_000 }).then(() => 'refused'),
    ]).catch(() => 'neither');
    const content = await page.content();
    return {
      status,
      shown: first === 'decoded' && content.includes('maxToolRounds'),
      refusalShown: content.includes(refusal),
    };
  } finally {
    await context.close();
  }
}

it('decodes in a Temporal UI for an engineer signed in at /codec, with includeCredentials on', async () => {
  expect(stack.config.api.codecTrustsLocalUi).toBe(false);
  expect(await openRun(true)).toEqual({ status: 200, shown: true, refusalShown: false });
});

it('shows a browser that did not sign in why, in place of each payload, and nothing decoded', async () => {
  expect(await openRun(false)).toEqual({ status: 200, shown: false, refusalShown: true });
});

it('shows a UI whose origin the codec does not allow why, even signed in, and nothing decoded', async () => {
  const elsewhere = await serveApi(
    { ...stack.config, api: { ...stack.config.api, codecCorsOrigins: ['https://temporal.example'] } },
    stack.client,
    stack.db,
  );
  try {
    expect(await openRun(true, elsewhere, 'origin_not_allowed')).toEqual({
      status: 200,
      shown: false,
      refusalShown: true,
    });
  } finally {
    await elsewhere.close();
  }
});
