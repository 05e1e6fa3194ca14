/**
 * The remote codec endpoint the Temporal UI and CLI call: an engineer decodes what the worker wrote,
 * nobody else does, and browsers may decode only from the Temporal UI's origin. A decode that may not happen is
 * refused in place of each payload, where the UI and the CLI show it (they show no error body).
 */
import { randomBytes } from 'node:crypto';
import { generateEncryptionKeyEntry } from '../../codec';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { serveApi, type RunningApi } from './http';

const UI_ORIGIN = 'http://localhost:8233';
const OTHER_ORIGIN = 'http://evil.example';

interface JsonPayload {
  metadata: Record<string, string>;
  data: string;
}

const fromBase64 = (text: string) => Buffer.from(text, 'base64').toString('utf8');
const jsonPayload = (value: unknown): JsonPayload => ({
  metadata: { encoding: Buffer.from('json/plain').toString('base64') },
  data: Buffer.from(JSON.stringify(value)).toString('base64'),
});

describe('the codec endpoint', () => {
  let stack: TestStack;
  let api: RunningApi;
  let stored: JsonPayload;

  beforeAll(async () => {
    stack = await startTestStack({ configOverrides: { api: { codecBodyLimit: '64kb' } } });
    api = await serveApi(stack.config, stack.client, stack.db);
    const { workflowId } = await startLegalIntake(stack, exampleIntake('clear-personal-injury'));
    await stack.client.workflow.getHandle(workflowId).result();
    // The run's final status, as Temporal stores it.
    const history = await stack.client.workflow.getHandle(workflowId).fetchHistory();
    const completed = history.events!.find((e) => e.workflowExecutionCompletedEventAttributes);
    const payload = completed!.workflowExecutionCompletedEventAttributes!.result!.payloads![0];
    stored = {
      metadata: Object.fromEntries(
        Object.entries(payload.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(payload.data!).toString('base64'),
    };
  });

  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  const decode = (
    payloads: JsonPayload[],
    options: { key?: string; headers?: Record<string, string> } = {},
  ) => api.call('POST', '/codec/decode', { key: stack.keys.engineer, json: { payloads }, ...options });

  it('lets an engineer decode what the worker wrote', async () => {
    expect(fromBase64(stored.metadata.encoding)).toBe('binary/encrypted');
    const res = await decode([stored], { headers: { 'x-namespace': stack.config.temporal.namespace } });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const [decoded] = res.body.payloads;
    expect(fromBase64(decoded.metadata.encoding)).toBe('json/plain');
    expect(JSON.parse(fromBase64(decoded.data))).toEqual(
      expect.objectContaining({ status: 'completed', result: { caseId: expect.stringMatching(/^CASE-/) } }),
    );
  });

  it('encodes payloads that it and the worker can decode, and passes plain ones through', async () => {
    const plain = jsonPayload({ reviewId: 'classify-1', decision: 'approve' });
    const encoded = await api.call('POST', '/codec/encode', {
      key: stack.keys.engineer,
      json: { payloads: [plain] },
    });
    expect(encoded.status).toBe(200);
    const [sealed] = encoded.body.payloads;
    expect(fromBase64(sealed.metadata.encoding)).toBe('binary/encrypted');
    expect(fromBase64(sealed.metadata['encryption-key-id'])).toBe('test-1');

    const res = await decode([sealed, plain]);
    expect(res.body.payloads).toEqual([plain, plain]);
  });

  /** The `docketCodecError` standing in for each payload of a decode answer; a decoded payload fails it. */
  const refusals = (body: { payloads: JsonPayload[] }) =>
    body.payloads.map((p) => {
      const value = JSON.parse(fromBase64(p.data)) as {
        docketCodecError?: { code: string; message: string };
      };
      if (!value.docketCodecError) throw new Error(`payload decoded: ${fromBase64(p.data).slice(0, 80)}`);
      return value.docketCodecError;
    });

  it('refuses, in place of each payload, a reviewer or operator key and a missing or unknown key, decrypting nothing', async () => {
    for (const key of [stack.keys.reviewer, stack.keys.operator]) {
      const res = await decode([stored, stored], { key });
      expect(res.status).toBe(200);
      const [first, second] = refusals(res.body);
      expect(first).toMatchObject({ code: 'forbidden', payload: 0 });
      expect(first.message).toMatch(/has the (reviewer|operator) role; decoding needs the engineer role/);
      expect(second).toMatchObject({ code: 'forbidden', payload: 1 });
    }
    const none = await api.call('POST', '/codec/decode', { json: { payloads: [stored] } });
    expect(none.status).toBe(200);
    const [missing] = refusals(none.body);
    expect(missing.code).toBe('sign_in_required');
    expect(missing.message).toContain(`${api.url}/codec`);
    expect(missing.message).toContain("--codec-auth 'Bearer <engineer key>'");
    const unknown = await decode([stored], { key: randomBytes(24).toString('hex') });
    expect(refusals(unknown.body)).toEqual([expect.objectContaining({ code: 'unauthorized' })]);
    // Nothing of the stored payload comes back, not even its ciphertext.
    for (const res of [none, unknown]) expect(JSON.stringify(res.body)).not.toContain(stored.data);
  });

  it('still refuses to encode for those callers with a status (401, 403)', async () => {
    const encode = (key?: string) =>
      api.call('POST', '/codec/encode', { key, json: { payloads: [jsonPayload({ a: 1 })] } });
    const reviewer = await encode(stack.keys.reviewer);
    expect([reviewer.status, reviewer.body.error.code]).toEqual([403, 'forbidden']);
    const none = await encode(undefined);
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    expect((await encode(randomBytes(24).toString('hex'))).status).toBe(401);
  });

  it("answers the CORS preflight from the Temporal UI's origin", async () => {
    const res = await api.call('OPTIONS', '/codec/decode', {
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(res.headers.get('access-control-allow-methods')).toBe('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toEqual(
      expect.stringContaining('x-namespace'),
    );

    const call = await decode([stored], { headers: { origin: UI_ORIGIN } });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  });

  it('lets any other origin read why it may not decode, even with an engineer key, and refuses it encoding', async () => {
    const preflight = await api.call('OPTIONS', '/codec/decode', {
      headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
    const call = await decode([stored], { headers: { origin: OTHER_ORIGIN } });
    expect(call.status).toBe(200);
    expect(call.headers.get('access-control-allow-origin')).toBe(OTHER_ORIGIN);
    const [refused] = refusals(call.body);
    expect(refused.code).toBe('origin_not_allowed');
    expect(refused.message).toContain(OTHER_ORIGIN);

    const encodePreflight = await api.call('OPTIONS', '/codec/encode', {
      headers: { origin: OTHER_ORIGIN, 'access-control-request-method': 'POST' },
    });
    expect(encodePreflight.status).toBe(403);
    expect(encodePreflight.headers.get('access-control-allow-origin')).toBeNull();
    const encode = await api.call('POST', '/codec/encode', {
      key: stack.keys.engineer,
      json: { payloads: [jsonPayload({ a: 1 })] },
      headers: { origin: OTHER_ORIGIN },
    });
    expect(encode.status).toBe(403);
    expect(encode.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('names a payload it cannot decrypt, and the key id, never a key', async () => {
    const foreign = generateEncryptionKeyEntry('retired-7');
    const other = await startTestStack({ encryptionKeys: foreign, withoutWorker: true });
    try {
      const otherApi = await serveApi(other.config, other.client, other.db);
      try {
        const encoded = await otherApi.call('POST', '/codec/encode', {
          key: other.keys.engineer,
          json: { payloads: [jsonPayload('sealed elsewhere')] },
        });
        const tampered = { ...stored, data: Buffer.from(stored.data, 'base64').reverse().toString('base64') };
        const res = await decode([stored, encoded.body.payloads[0], tampered]);
        // The batch decodes; each payload it cannot decrypt stands in its place as a JSON error the UI shows.
        expect(res.status).toBe(200);
        const [first, unknownKey, broken] = res.body.payloads as JsonPayload[];
        expect(JSON.parse(fromBase64(first.data))).toMatchObject({ status: 'completed' });
        expect(fromBase64(unknownKey.metadata.encoding)).toBe('json/plain');
        expect(JSON.parse(fromBase64(unknownKey.data))).toEqual({
          docketCodecError: {
            code: 'unknown_key',
            message: expect.stringMatching(/key id 'retired-7'/),
            payload: 1,
          },
        });
        expect(JSON.parse(fromBase64(broken.data))).toEqual({
          docketCodecError: expect.objectContaining({ payload: 2, message: expect.any(String) }),
        });
        expect(JSON.stringify(res.body)).not.toContain(foreign.split(':')[1]);
      } finally {
        await otherApi.close();
      }
    } finally {
      await other.close();
    }
  });

  it('refuses a body that is not { payloads } and a body over the limit, and decodes nothing for another namespace', async () => {
    const bad = await api.call('POST', '/codec/decode', { key: stack.keys.engineer, json: { payload: [] } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error.details)).toContain('payload');
    const notAList = await api.call('POST', '/codec/decode', {
      key: stack.keys.engineer,
      json: { payloads: 3 },
    });
    expect(notAList.status).toBe(400);
    expect(notAList.body.error.details[0].path).toEqual(['payloads']);

    // Another namespace: a decode says why in place of each payload (the UI and CLI show that, not an error
    // body), and decodes nothing; an encode is refused.
    const elsewhere = await decode([stored], { headers: { 'x-namespace': 'someone-else' } });
    expect(elsewhere.status).toBe(200);
    expect(JSON.parse(fromBase64(elsewhere.body.payloads[0].data))).toEqual({
      docketCodecError: {
        code: 'other_namespace',
        message: 'X-Namespace is someone-else; this codec serves namespace default',
        payload: 0,
      },
    });
    const encodeElsewhere = await api.call('POST', '/codec/encode', {
      key: stack.keys.engineer,
      json: { payloads: [jsonPayload('x')] },
      headers: { 'x-namespace': 'someone-else' },
    });
    expect(encodeElsewhere.status).toBe(400);
    expect(encodeElsewhere.body.error.message).toMatch(/this codec serves namespace default/);
  });

  it('takes what the Temporal CLI sends: {} for no payloads, and an empty X-Namespace', async () => {
    for (const operation of ['encode', 'decode']) {
      const res = await api.call('POST', `/codec/${operation}`, {
        key: stack.keys.engineer,
        json: {},
        headers: { 'x-namespace': '' },
      });
      expect([operation, res.status, res.body]).toEqual([operation, 200, { payloads: [] }]);
    }
    const res = await decode([stored], { headers: { 'x-namespace': '' } });
    expect(res.status).toBe(200);

    const big = await decode([jsonPayload('x'.repeat(70_000))]);
    expect(big.status).toBe(413);
    expect(big.body.error.code).toBe('payload_too_large');
  });

  it('signs a browser in with an engineer key, so the UI can decode with its cookie', async () => {
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    const page = await api.call('GET', '/codec');
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<form method="post" action="\/codec\/session">/);

    const reviewer = await api.call('POST', '/codec/session', {
      raw: `key=${stack.keys.reviewer}`,
      headers: form,
    });
    expect(reviewer.status).toBe(403);
    expect(reviewer.headers.get('set-cookie')).toBeNull();

    const signedIn = await api.call('POST', '/codec/session', {
      raw: `key=${stack.keys.engineer}`,
      headers: form,
    });
    expect(signedIn.status).toBe(200);
    const cookie = signedIn.headers.get('set-cookie')!;
    expect(cookie).toMatch(
      /^docket_codec_session=[^;]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=28800$/,
    );
    expect(cookie).not.toContain(stack.keys.engineer);

    const session = cookie.split(';')[0];
    const res = await api.call('POST', '/codec/decode', {
      json: { payloads: [stored] },
      headers: { cookie: session, origin: UI_ORIGIN },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-credentials')).toBe('true');
    expect(fromBase64(res.body.payloads[0].metadata.encoding)).toBe('json/plain');

    const forged = `${session.slice(0, -4)}AAAA`;
    const refused = await api.call('POST', '/codec/decode', {
      json: { payloads: [stored] },
      headers: { cookie: forged },
    });
    expect(refusals(refused.body)).toEqual([expect.objectContaining({ code: 'sign_in_required' })]);
  });

  it("decodes for the dev server's own UI without a sign-in only where the development setting says so", async () => {
    const asLocalUi = (target: RunningApi, origin: string) =>
      target.call('POST', '/codec/decode', { json: { payloads: [stored] }, headers: { origin } });
    // Off (the default, and whenever keys are configured): the UI needs a session.
    expect(refusals((await asLocalUi(api, UI_ORIGIN)).body)).toEqual([
      expect.objectContaining({ code: 'sign_in_required' }),
    ]);

    const dev = await serveApi(
      { ...stack.config, api: { ...stack.config.api, codecTrustsLocalUi: true } },
      stack.client,
      stack.db,
    );
    try {
      for (const origin of [UI_ORIGIN, 'http://127.0.0.1:8233']) {
        const res = await asLocalUi(dev, origin);
        expect([origin, res.status, res.headers.get('access-control-allow-origin')]).toEqual([
          origin,
          200,
          origin,
        ]);
        expect(JSON.parse(fromBase64(res.body.payloads[0].data))).not.toHaveProperty('docketCodecError');
      }
      // Any other page, or a caller that is no browser page (no Origin), still needs a key.
      expect(refusals((await asLocalUi(dev, OTHER_ORIGIN)).body)).toEqual([
        expect.objectContaining({ code: 'origin_not_allowed' }),
      ]);
      const noOrigin = await dev.call('POST', '/codec/decode', { json: { payloads: [stored] } });
      expect(refusals(noOrigin.body)).toEqual([expect.objectContaining({ code: 'sign_in_required' })]);
      // The sign-in page says so, and links to the UI.
      const page = await dev.call('GET', '/codec');
      expect(page.body).toMatch(/decodes without signing in/);
      expect(page.body).toMatch(/<a href="http:\/\/127\.0\.0\.1:8233">Open the Temporal UI<\/a>/);
    } finally {
      await dev.close();
    }
  });
});
