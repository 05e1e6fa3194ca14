/**
 * End to end through the REST API of the system `npm start` brings up: Temporal dev server, embedded
 * database, simulator, worker and API as real processes on free ports. Submit a vague intake, wait for the
 * escalation, approve it as a reviewer, see the case filed; then Ctrl-C and check nothing is left listening.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { freePort } from '../../scripts/free-port';

const root = path.join(__dirname, '..', '..');
const operatorKey = 'e2e-operator-key-0123456789';
const reviewerKey = 'e2e-reviewer-key-0123456789';
const engineerKey = 'e2e-engineer-key-0123456789';
const adminKey = 'e2e-admin-key-0123456789';
/** A reviewer limited to the clinical summary, as `npm start`'s dev `clinician` key is. */
const clinicianKey = 'e2e-clinician-key-0123456789';

let start: ChildProcess;
let output = '';
let ports: Record<'temporal' | 'ui' | 'api' | 'simulator' | 'db', number>;
let api: string;
let dataDir: string;
/** A workflow the codec test leaves waiting for a review. */
let waitingWorkflowId: string;

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`timed out waiting for ${what}; npm start printed:\n${output.slice(-4000)}`);
}

/** Runs one of Docket's command-line scripts against this system's config, as an operator would. */
function script(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      cwd: root,
      env: {
        ...process.env,
        DOCKET_CONFIG: path.join(dataDir, 'config.json'),
        DOCKET_ENCRYPTION_KEYS: devKeys(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (chunk) => (stdout += chunk));
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The development key `npm start` created for this system. */
function devKeys(): string {
  return readFileSync(path.join(dataDir, 'dev-encryption-key'), 'utf8').trim();
}

async function call(method: string, url: string, key: string, body?: unknown) {
  const response = await fetch(`${api}${url}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON answers, asserted field by field below
  return { status: response.status, body: (await response.json()) as Record<string, any> };
}

beforeAll(async () => {
  ports = {
    temporal: await freePort(),
    ui: await freePort(),
    api: await freePort(),
    simulator: await freePort(),
    db: await freePort(),
  };
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-e2e-'));
  dataDir = dir;
  const config = JSON.parse(readFileSync(path.join(root, 'temporal.config.json'), 'utf8'));
  config.temporal = {
    ...config.temporal,
    address: `127.0.0.1:${ports.temporal}`,
    uiPort: ports.ui,
    devServerDbFile: path.join(dir, 'temporal.sqlite'),
  };
  config.database = { ...config.database, embeddedDataDir: path.join(dir, 'pglite'), embeddedPort: ports.db };
  config.simulator = { ...config.simulator, port: ports.simulator };
  config.api = { ...config.api, port: ports.api };
  // Every line the processes log at info and above is checked for the client's identifiers below.
  config.logging = { level: 'info' };
  writeFileSync(path.join(dir, 'config.json'), JSON.stringify(config));
  api = `http://127.0.0.1:${ports.api}`;

  // The system must come up on its own defaults: no model key, provider URL or database from the caller.
  const env = { ...process.env };
  for (const name of [
    'OPENAI_API_KEY',
    'OPENAI_BASE_URL',
    'DATABASE_URL',
    'DOCKET_ENCRYPTION_KEYS',
    'DOCKET_CODEC_TRUSTS_LOCAL_UI',
  ])
    delete env[name];
  start = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    cwd: root,
    env: {
      ...env,
      DOCKET_CONFIG: path.join(dir, 'config.json'),
      DOCKET_API_KEYS: [
        `e2e-operator:operator:${operatorKey}`,
        `e2e-reviewer:reviewer:${reviewerKey}`,
        `e2e-engineer:engineer:${engineerKey}`,
        `e2e-admin:admin:${adminKey}`,
        `e2e-clinician:reviewer:${clinicianKey}:clinical-summary`,
      ].join(','),
    },
    detached: true, // its own process group, so the test can press Ctrl-C on the whole of it
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  start.stdout?.on('data', (chunk) => (output += chunk));
  start.stderr?.on('data', (chunk) => (output += chunk));
  await until(
    'the API to be ready',
    async () => ((await fetch(`${api}/readyz`)).ok ? true : undefined),
    90_000,
  );
}, 120_000);

afterAll(() => {
  if (start && start.exitCode === null) process.kill(-start.pid!, 'SIGKILL');
});

it('takes an intake from submission through review to a filed case', async () => {
  const intake = {
    externalId: `e2e-${Date.now()}`,
    channel: 'web',
    body: 'I have a problem with someone and I need advice. Can you help me?',
  };
  const started = await call('POST', '/v1/workflows/legal-intake', operatorKey, intake);
  expect(started.status).toBe(202);
  const { workflowId } = started.body;

  const pending = await until('the escalation to show in the review queue', async () => {
    const list = await call('GET', '/v1/reviews?status=pending', reviewerKey);
    return list.body.items.find((item: { workflowId: string }) => item.workflowId === workflowId);
  });
  expect(pending).toEqual(expect.objectContaining({ reviewId: 'classify-1', stage: 'classify' }));
  expect(pending.reasons).toContain('low_confidence');

  const detail = await call('GET', `/v1/reviews/${workflowId}`, reviewerKey);
  expect(detail.status).toBe(200);
  expect(detail.body.results.classification.confidence).toBeLessThan(0.75);
  expect(detail.body.review).toEqual(expect.objectContaining({ id: 'classify-1', stage: 'classify' }));

  // Approve each review the workflow asks for (the vague intake also escalates at later stages), naming it.
  const decided: string[] = [];
  let review: { id: string; allowed: string[] } | undefined = detail.body.review;
  while (review) {
    expect(review.allowed).toContain('approve');
    const answer = await call('POST', `/v1/reviews/${workflowId}/decision`, reviewerKey, {
      reviewId: review.id,
      decision: 'approve',
      comment: 'Prospective client confirmed by phone.',
    });
    expect(answer.status).toBe(200);
    expect(answer.body.recorded).toEqual(
      expect.objectContaining({ id: review.id, decision: 'approve', reviewer: 'e2e-reviewer' }),
    );
    decided.push(review.id);
    const current = review.id;
    review = await until(`the workflow to move past ${current}`, async () => {
      const status = await call('GET', `/v1/workflows/${workflowId}`, operatorKey);
      if (status.body.status === 'running' || status.body.review?.id === current) return undefined;
      return { next: status.body.status === 'awaiting_review' ? status.body.review : undefined };
    }).then((moved) => moved.next);
  }

  const done = await until('the workflow to complete', async () => {
    const status = await call('GET', `/v1/workflows/${workflowId}`, operatorKey);
    return status.body.status === 'completed' ? status.body : undefined;
  });
  expect(done.result.caseId).toMatch(/^CASE-/);
  expect(done.reviewHistory.map((r: { id: string }) => r.id)).toEqual(decided);
  expect(done.reviewHistory[0]).toEqual(
    expect.objectContaining({ stage: 'classify', decision: 'approve', reviewer: 'e2e-reviewer' }),
  );
  expect(done.usage.total.calls).toBeGreaterThanOrEqual(4);

  // the Temporal UI is up for engineers to inspect the run
  expect((await fetch(`http://127.0.0.1:${ports.ui}/`)).status).toBe(200);
}, 120_000);

it('runs a clinical summary beside legal intake: filed as FHIR, and waiting for a clinician its key may see', async () => {
  const example = (name: string) => ({
    ...JSON.parse(readFileSync(path.join(root, 'examples', name), 'utf8')),
    externalId: `e2e-clin-${name.slice(9, 14)}-${Date.now()}`,
  });
  const clean = await call(
    'POST',
    '/v1/workflows/clinical-summary',
    operatorKey,
    example('clinical-clean-discharge.json'),
  );
  const conflict = await call(
    'POST',
    '/v1/workflows/clinical-summary',
    operatorKey,
    example('clinical-allergy-conflict.json'),
  );
  expect([clean.status, conflict.status]).toEqual([202, 202]);
  const filed = await until('the clean discharge to be filed', async () => {
    const status = await call('GET', `/v1/workflows/${clean.body.workflowId}`, operatorKey);
    return status.body.status === 'completed' ? status.body : undefined;
  });
  expect(filed.result.documentReferenceId).toMatch(/^docref-/);

  const waiting = await until('the allergy conflict in the clinician’s queue', async () => {
    const list = await call('GET', '/v1/reviews?status=pending', clinicianKey);
    return list.body.items.find(
      (item: { workflowId: string }) => item.workflowId === conflict.body.workflowId,
    );
  });
  expect(waiting).toEqual(expect.objectContaining({ type: 'clinical-summary', stage: 'extractor' }));
  expect(waiting.reasons).toContain('allergy_conflict');
  // The clinician's key sees clinical items only: legal intakes are not in its queue.
  const queue = await call('GET', '/v1/reviews?limit=100', clinicianKey);
  expect(new Set(queue.body.items.map((item: { type: string }) => item.type))).toEqual(
    new Set(['clinical-summary']),
  );
});

it('encrypts with a development key it creates, and its Temporal UI shows runs decoded at either host name', async () => {
  const keyFile = path.join(dataDir, 'dev-encryption-key');
  expect(output).toContain(`development key dev-1, created in ${keyFile}`);
  expect(statSync(keyFile).mode & 0o777).toBe(0o600);
  const [keyId, key] = readFileSync(keyFile, 'utf8').trim().split(':');
  expect([keyId, Buffer.from(key, 'base64').length]).toEqual(['dev-1', 32]);
  expect(output).not.toContain(key);

  const ui = `http://127.0.0.1:${ports.ui}`;
  // One host for the UI, the one README names; both host names work (below).
  expect(output).toContain(
    `Temporal UI  ${ui}  (decodes payloads through ${api}/codec, no sign-in on this machine)`,
  );
  const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { Codec: { Endpoint: string } };
  expect(settings.Codec.Endpoint).toBe(`${api}/codec`);

  // What the UI shows of a run: its history from the UI server, payloads encrypted, decoded by the endpoint.
  const started = await call('POST', '/v1/workflows/legal-intake', operatorKey, {
    externalId: `e2e-codec-${Date.now()}`,
    channel: 'web',
    body: 'I have a problem with someone and I need advice. Can you help me?',
  });
  waitingWorkflowId = started.body.workflowId;
  const history = (await (
    await fetch(`${ui}/api/v1/namespaces/default/workflows/${started.body.workflowId}/history`)
  ).json()) as { history: { events: Array<Record<string, any>> } }; // eslint-disable-line @typescript-eslint/no-explicit-any
  const input = history.history.events[0].workflowExecutionStartedEventAttributes.input.payloads[0];
  expect(Buffer.from(input.metadata.encoding, 'base64').toString()).toBe('binary/encrypted');
  const decoded = await fetch(`${api}/codec/decode`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${engineerKey}`,
      'content-type': 'application/json',
      'x-namespace': 'default',
      origin: ui,
    },
    body: JSON.stringify({ payloads: [input] }),
  });
  expect(decoded.status).toBe(200);
  expect(decoded.headers.get('access-control-allow-origin')).toBe(ui);
  const [plain] = (
    (await decoded.json()) as { payloads: Array<{ metadata: { encoding: string }; data: string }> }
  ).payloads;
  expect(Buffer.from(plain.metadata.encoding, 'base64').toString()).toBe('json/plain');
  expect(typeof JSON.parse(Buffer.from(plain.data, 'base64').toString())).toBe('object');

  // In the Temporal UI itself, as npm start opened it and with no setting changed: at either host name a
  // completed run's Input and Result are shown decoded (the result names people by token only).
  const intake = JSON.parse(readFileSync(path.join(root, 'examples/clear-personal-injury.json'), 'utf8'));
  const done = await call('POST', '/v1/workflows/legal-intake', operatorKey, {
    ...intake,
    externalId: `e2e-ui-${Date.now()}`,
  });
  await until('the run to complete', async () => {
    const status = await call('GET', `/v1/workflows/${done.body.workflowId}`, operatorKey);
    return status.body.status === 'completed' ? true : undefined;
  });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    for (const host of ['localhost', '127.0.0.1']) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const decodes: number[] = [];
      page.on('response', (r) => {
        if (r.url() === `${api}/codec/decode`) decodes.push(r.status());
      });
      await page.goto(
        `http://${host}:${ports.ui}/namespaces/default/workflows/${done.body.workflowId}/${done.body.runId}/history`,
      );
      await page.waitForSelector('text=/maxToolRounds/', { timeout: 20_000 }); // the input
      await page.waitForSelector('text=/CASE-[0-9A-F]{12}/', { timeout: 20_000 }); // the result
      const text = await page.textContent('body');
      expect([host, /\[PERSON_\d+\]/.test(text ?? ''), /Jordan Reyes/.test(text ?? '')]).toEqual([
        host,
        true,
        false,
      ]);
      expect([host, decodes.length > 0 && decodes.every((status) => status === 200)]).toEqual([host, true]);
      await context.close();
    }
  } finally {
    await browser.close();
  }
}, 90_000);

it("keeps a client's identifiers out of every log line, and erases them on an admin's request", async () => {
  const example = JSON.parse(readFileSync(path.join(root, 'examples/personal-details.json'), 'utf8'));
  const identifiers = [
    'Dana Whitfield',
    'Whitfield',
    'dana.whitfield',
    '555-0173',
    '1427 Alder',
    '04/22/1981',
    '536-22-8841',
    'AB-77420193',
    'Lindqvist',
  ];
  const logged = output.length;
  const started = await call('POST', '/v1/workflows/legal-intake', operatorKey, {
    ...example,
    externalId: `e2e-personal-${Date.now()}`,
  });
  expect(started.status).toBe(202);
  const { workflowId } = started.body;
  const done = await until('the intake to finish', async () => {
    const status = await call('GET', `/v1/workflows/${workflowId}`, operatorKey);
    if (status.body.status === 'awaiting_review') {
      await call('POST', `/v1/reviews/${workflowId}/decision`, reviewerKey, {
        reviewId: status.body.review.id,
        decision: 'approve',
      });
      return undefined;
    }
    return ['completed', 'rejected', 'failed'].includes(status.body.status) ? status.body : undefined;
  });
  expect(done.status).toBe('completed');
  // What a reviewer sees has the names; what the processes logged (worker, API, simulator, servers) has none.
  const asReviewer = await call('GET', `/v1/workflows/${workflowId}`, reviewerKey);
  expect(asReviewer.body.results.classification.client.name).toBe('Dana Whitfield');
  const lines = output.slice(logged);
  expect(lines).toContain(workflowId);
  expect(identifiers.filter((identifier) => lines.includes(identifier))).toEqual([]);

  // Erasure from the command line, as an administrator runs it beside the system: refused while a
  // workflow runs (the one the codec test left waiting for a review), done once it has ended.
  const refused = await script('scripts/data.ts', 'erase', waitingWorkflowId);
  expect(refused).toEqual({ code: 1, stdout: '', stderr: expect.stringContaining('still running') });
  const erased = await script('scripts/data.ts', 'erase', workflowId);
  expect(erased.code).toBe(0);
  expect(JSON.parse(erased.stdout)).toEqual(
    expect.objectContaining({ intake: true, mapping: true, caseFields: true }),
  );
  const afterwards = await call('GET', `/v1/workflows/${workflowId}`, reviewerKey);
  expect(afterwards.body.results.classification.client.name).toBe('[PERSON_1]');
  // The API's DELETE finds nothing left to remove.
  const again = await call('DELETE', `/v1/workflows/${workflowId}/personal-data`, adminKey);
  expect(again.body).toEqual(expect.objectContaining({ intake: false, mapping: false, caseFields: false }));

  // The audit chain, read by the command an auditor runs, still verifies with the erasure on it.
  const verify = await script('scripts/audit.ts', 'verify');
  expect(verify).toEqual(
    expect.objectContaining({ code: 0, stdout: expect.stringContaining('audit chain OK') }),
  );
  expect(output.slice(logged)).not.toContain('Whitfield');
}, 120_000);

it('stops every process on Ctrl-C and leaves nothing listening', async () => {
  const exited = new Promise<number | null>((resolve) => start.once('exit', (code) => resolve(code)));
  process.kill(-start.pid!, 'SIGINT');
  expect(await exited).toBe(0);
  for (const [name, port] of Object.entries(ports)) {
    expect([
      name,
      await until(`port ${name} to close`, async () => ((await listening(port)) ? undefined : false), 20_000),
    ]).toEqual([name, false]);
  }
}, 60_000);
