import { request } from 'node:http';
import { WorkflowNotFoundError } from '@temporalio/client';
import { legalIntakeWorkflowId } from '../../domain';
import { startTestStack, type TestStack } from '../support/stack';
import { serveApi, uniqueExternalId, type RunningApi } from './http';

const START = '/v1/workflows/legal-intake';

/** Every bad request answers 4xx in the one error shape, names what is wrong, and starts nothing. */
describe('bad requests', () => {
  let stack: TestStack;
  let api: RunningApi;
  /** externalIds sent in bad requests: none may have a workflow afterwards. */
  const attempted: string[] = [];

  beforeAll(async () => {
    stack = await startTestStack({ withoutWorker: true });
    api = await serveApi(stack.config, stack.client, stack.db);
  });

  afterAll(async () => {
    await api?.close();
    await stack?.close();
  });

  function intake(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    const externalId = uniqueExternalId('bad');
    attempted.push(externalId);
    return { externalId, channel: 'email', body: 'I was hurt at work and need advice.', ...overrides };
  }

  async function expectNotStarted(externalId: string): Promise<void> {
    await expect(
      stack.client.workflow.getHandle(legalIntakeWorkflowId(externalId)).describe(),
    ).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }

  function trace(path: string): Promise<{ status: number | undefined; allow: string | undefined }> {
    return new Promise((resolve, reject) => {
      const req = request(`${api.url}${path}`, { method: 'TRACE' }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, allow: res.headers.allow }));
      });
      req.once('error', reject);
      req.end();
    });
  }

  /** Code units on which a documented "not only whitespace" pattern and String.prototype.trim disagree. */
  function untrimmedDisagreements(pattern: string): string[] {
    const kept = new RegExp(pattern, 'u');
    const disagree: string[] = [];
    for (let c = 0; c <= 0xffff; c += 1) {
      const text = String.fromCharCode(c);
      if (kept.test(text) !== (text.trim() !== '')) disagree.push(c.toString(16));
    }
    return disagree;
  }

  function fieldsNamed(body: { error: { details: Array<{ path: unknown[] }> } }): string[] {
    return [...new Set(body.error.details.map((d) => d.path.join('.')))];
  }

  describe('intake validation', () => {
    it('rejects a missing body, naming every required field', async () => {
      const res = await api.call('POST', START, { key: stack.keys.operator });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
      expect(fieldsNamed(res.body)).toEqual(expect.arrayContaining(['externalId', 'channel', 'body']));
    });

    it('rejects an empty JSON object the same way', async () => {
      const res = await api.call('POST', START, { key: stack.keys.operator, json: {} });
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toEqual(expect.arrayContaining(['externalId', 'channel', 'body']));
    });

    it('rejects an empty (whitespace) body text', async () => {
      const bad = intake({ body: '   \n ' });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        expect.objectContaining({ path: ['body'], message: 'must not be empty' }),
      ]);
      await expectNotStarted(bad.externalId as string);
    });

    it('rejects an unknown channel', async () => {
      const bad = intake({ channel: 'fax' });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toEqual(['channel']);
      await expectNotStarted(bad.externalId as string);
    });

    it('rejects an unknown field, naming it', async () => {
      const bad = intake({ priority: 'high' });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(res.status).toBe(400);
      expect(res.body.error.details).toEqual([
        expect.objectContaining({ path: ['priority'], code: 'unrecognized_keys' }),
      ]);
      await expectNotStarted(bad.externalId as string);
    });

    it('rejects an externalId with characters outside letters, digits and . _ : -', async () => {
      for (const externalId of ['has space', 'slash/inside', 'ümlaut', '']) {
        const res = await api.call('POST', START, { key: stack.keys.operator, json: intake({ externalId }) });
        expect(res.status).toBe(400);
        expect(fieldsNamed(res.body)).toEqual(['externalId']);
      }
    });

    it('names several bad fields at once', async () => {
      const bad = intake({ channel: 'pigeon', receivedAt: 'yesterday', metadata: { nested: { no: 1 } } });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toEqual(
        expect.arrayContaining(['channel', 'receivedAt', 'metadata.nested']),
      );
      await expectNotStarted(bad.externalId as string);
    });

    it('rejects a JSON value that is not an object', async () => {
      const res = await api.call('POST', START, { key: stack.keys.operator, json: [intake()] });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('invalid_request');
    });
  });

  describe('body encoding', () => {
    it('answers non-JSON with 400 invalid_json', async () => {
      const res = await api.call('POST', START, {
        key: stack.keys.operator,
        raw: '{"externalId": "x", "channel": ',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: 'invalid_json', message: expect.any(String) } });
    });

    it('answers a body that is not application/json with 415', async () => {
      const bad = intake();
      const res = await api.call('POST', START, {
        key: stack.keys.operator,
        raw: JSON.stringify(bad),
        headers: { 'content-type': 'text/plain' },
      });
      expect(res.status).toBe(415);
      expect(res.body.error.code).toBe('unsupported_media_type');
      await expectNotStarted(bad.externalId as string);
    });

    it('answers a body over the configured limit with 413', async () => {
      const bad = intake({ body: 'x'.repeat(200 * 1024) });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(stack.config.api.bodyLimit).toBe('100kb');
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe('payload_too_large');
      await expectNotStarted(bad.externalId as string);
    });
  });

  describe('authentication and roles', () => {
    it('answers 401 without a key', async () => {
      const bad = intake();
      const res = await api.call('POST', START, { json: bad });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('unauthorized');
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      await expectNotStarted(bad.externalId as string);
    });

    it('answers 401 for an unknown key and for a malformed header', async () => {
      const bad = intake();
      const unknown = await api.call('POST', START, { key: 'not-a-key-of-this-deployment', json: bad });
      expect(unknown.status).toBe(401);
      const malformed = await api.call('GET', '/v1/reviews', {
        headers: { authorization: stack.keys.reviewer },
      });
      expect(malformed.status).toBe(401);
      await expectNotStarted(bad.externalId as string);
    });

    it('answers 401 before reading the body', async () => {
      const res = await api.call('POST', START, {
        raw: 'not json',
        headers: { 'content-type': 'application/json' },
      });
      expect(res.status).toBe(401);
    });

    it('answers 403 when a reviewer starts an intake', async () => {
      const bad = intake();
      const res = await api.call('POST', START, { key: stack.keys.reviewer, json: bad });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      await expectNotStarted(bad.externalId as string);
    });

    it('answers 403 when an operator lists reviews or decides one', async () => {
      const list = await api.call('GET', '/v1/reviews?status=pending', { key: stack.keys.operator });
      expect(list.status).toBe(403);
      const decide = await api.call('POST', `/v1/reviews/${legalIntakeWorkflowId('anything')}/decision`, {
        key: stack.keys.operator,
        json: { reviewId: 'classify-1', decision: 'approve' },
      });
      expect(decide.status).toBe(403);
    });
  });

  describe('workflow types', () => {
    it('answers 404 unknown_workflow_type for a type nobody registered, listing the registered ones', async () => {
      const bad = intake();
      for (const type of ['memo-check', 'legal-intakes', 'LEGAL-INTAKE']) {
        const res = await api.call('POST', `/v1/workflows/${type}`, { key: stack.keys.operator, json: bad });
        expect([type, res.status, res.body.error.code]).toEqual([type, 404, 'unknown_workflow_type']);
        expect(res.body.error.details).toEqual({ registered: ['legal-intake', 'clinical-summary'] });
        expect(res.body.error.message).toContain('legal-intake');
      }
      await expectNotStarted(bad.externalId as string);
    });

    it('asks who is calling before it says which types exist', async () => {
      const anonymous = await api.call('POST', '/v1/workflows/clinical-summary', { json: intake() });
      expect(anonymous.status).toBe(401);
      const reviewer = await api.call('POST', '/v1/workflows/clinical-summary', {
        key: stack.keys.reviewer,
        json: intake(),
      });
      expect([reviewer.status, reviewer.body.error.code]).toEqual([403, 'forbidden']);
      expect(JSON.stringify(reviewer.body)).not.toContain('legal-intake');
    });
  });

  describe('workflow ids and queries', () => {
    it('answers 400 for a workflow id that is not a legal intake id', async () => {
      for (const id of [
        'something-else',
        'legal-intake-',
        `legal-intake-${'a'.repeat(129)}`,
        'legal-intake-a%20b',
      ]) {
        const res = await api.call('GET', `/v1/workflows/${id}`, { key: stack.keys.operator });
        expect(res.status).toBe(400);
        expect(fieldsNamed(res.body)).toEqual(['workflowId']);
      }
    });

    it('answers 400, not 500, for a workflow id that is not valid percent-encoding', async () => {
      const bad = '%E0%A4%A';
      for (const [path, key] of [
        [`/v1/workflows/${bad}`, stack.keys.operator],
        [`/v1/reviews/${bad}`, stack.keys.reviewer],
      ] as const) {
        const res = await api.call('GET', path, { key });
        expect(res.status).toBe(400);
        expect(res.body.error).toEqual({
          code: 'invalid_request',
          message: expect.stringMatching(/percent-encoding/),
        });
      }
      const decision = await api.call('POST', `/v1/reviews/${bad}/decision`, {
        key: stack.keys.reviewer,
        json: { reviewId: 'classify-1', decision: 'approve' },
      });
      expect(decision.status).toBe(400);
      expect(decision.body.error.code).toBe('invalid_request');
    });

    it('answers 404 for an unknown workflow, on every endpoint that takes one', async () => {
      const id = legalIntakeWorkflowId(uniqueExternalId('missing'));
      const status = await api.call('GET', `/v1/workflows/${id}`, { key: stack.keys.operator });
      expect(status.status).toBe(404);
      expect(status.body.error.code).toBe('not_found');
      const review = await api.call('GET', `/v1/reviews/${id}`, { key: stack.keys.reviewer });
      expect(review.status).toBe(404);
      const decision = await api.call('POST', `/v1/reviews/${id}/decision`, {
        key: stack.keys.reviewer,
        json: { reviewId: 'classify-1', decision: 'approve' },
      });
      expect(decision.status).toBe(404);
    });

    it('validates the review list query', async () => {
      for (const query of [
        'status=decided',
        'limit=0',
        'limit=101',
        'limit=ten',
        'status=pending&order=asc',
      ]) {
        const res = await api.call('GET', `/v1/reviews?${query}`, { key: stack.keys.reviewer });
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe('invalid_request');
      }
    });

    it('validates a decision body before anything else', async () => {
      const id = legalIntakeWorkflowId(uniqueExternalId('missing'));
      const res = await api.call('POST', `/v1/reviews/${id}/decision`, {
        key: stack.keys.reviewer,
        json: { decision: 'maybe', reviewer: 'someone else' },
      });
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toEqual(expect.arrayContaining(['reviewId', 'decision', 'reviewer']));
    });
  });

  /** Each of these was found by `npm run fuzz:api` (schemathesis against the OpenAPI document). */
  describe('what fuzzing the API found', () => {
    it('answers 405 with Allow, not 404, for a method a documented path does not take', async () => {
      const bad = intake();
      for (const [method, path, allow] of [
        ['PUT', START, 'POST'],
        ['DELETE', '/v1/reviews', 'GET, HEAD'],
        ['PATCH', `/v1/workflows/${legalIntakeWorkflowId('x')}`, 'GET, HEAD'],
        ['GET', '/codec/decode', 'POST, OPTIONS'],
        // Not the status of a workflow named legal-intake (a 400 for its id).
        ['GET', START, 'POST'],
      ] as const) {
        const res = await api.call(method, path, {
          key: stack.keys.operator,
          ...(method === 'GET' ? {} : { json: bad }),
        });
        expect([method, path, res.status, res.headers.get('allow')]).toEqual([method, path, 405, allow]);
        expect(res.body.error.code).toBe('method_not_allowed');
      }
      await expectNotStarted(bad.externalId as string);
      // fetch refuses to send TRACE, which is what schemathesis tried first.
      expect(await trace('/healthz')).toEqual({ status: 405, allow: 'GET, HEAD' });
      expect(await trace('/v1/nothing-here')).toEqual({ status: 404, allow: undefined });
    });

    it('answers OPTIONS with the methods of the documented path, not of every route the URL matches', async () => {
      for (const [path, allow] of [
        [START, 'POST, OPTIONS'],
        [`/v1/workflows/${legalIntakeWorkflowId('x')}`, 'GET, HEAD, OPTIONS'],
        ['/v1/reviews', 'GET, HEAD, OPTIONS'],
      ]) {
        const res = await api.call('OPTIONS', path);
        expect([path, res.status, res.headers.get('allow')]).toEqual([path, 204, allow]);
      }
    });

    it('documents what each decision needs, as the API checks it', async () => {
      const doc = (await api.call('GET', '/openapi.json')).body;
      const kinds = doc.components.schemas.ReviewDecisionBody.oneOf;
      const kind = (decision: string) =>
        kinds.find(
          (k: { properties: { decision: { const: string } } }) => k.properties.decision.const === decision,
        );
      expect(kind('approve')).toEqual(expect.objectContaining({ not: { required: ['corrections'] } }));
      expect(kind('revise')).toEqual(expect.objectContaining({ required: ['corrections'] }));
      expect(kind('revise').properties.corrections.minProperties).toBe(1);
      expect(kind('reject')).toEqual(
        expect.objectContaining({ required: ['comment'], not: { required: ['corrections'] } }),
      );
      // A reason is a comment that trim() leaves something of, to the character.
      expect(untrimmedDisagreements(kind('reject').properties.comment.pattern)).toEqual([]);

      const id = legalIntakeWorkflowId(uniqueExternalId('missing'));
      for (const body of [
        { reviewId: 'classify-1', decision: 'reject', comment: ' \u3000\ufeff ' },
        { reviewId: 'classify-1', decision: 'approve', corrections: {} },
        { reviewId: 'classify-1', decision: 'revise', corrections: {} },
      ]) {
        const res = await api.call('POST', `/v1/reviews/${id}/decision`, {
          key: stack.keys.reviewer,
          json: body,
        });
        expect([body, res.status]).toEqual([body, 400]);
      }
    });

    it('documents what an intake needs beyond its fields, as the API checks it', async () => {
      const doc = (await api.call('GET', '/openapi.json')).body;
      const fields = doc.components.schemas.IntakeRequest.properties;
      expect(untrimmedDisagreements(fields.body.pattern)).toEqual([]);
      expect(fields.metadata.maxProperties).toBe(32);
      const metadata = Object.fromEntries(Array.from({ length: 33 }, (_, i) => [`k${i}`, i]));
      const bad = intake({ metadata });
      const res = await api.call('POST', START, { key: stack.keys.operator, json: bad });
      expect(res.status).toBe(400);
      expect(fieldsNamed(res.body)).toEqual(['metadata']);
      await expectNotStarted(bad.externalId as string);
    });

    it('takes every workflow id its OpenAPI document allows, and the document allows none it refuses', async () => {
      const doc = (await api.call('GET', '/openapi.json')).body;
      const param = doc.paths['/v1/workflows/{workflowId}'].get.parameters[0].schema;
      const documented = (id: string) =>
        new RegExp(param.pattern, 'u').test(id) &&
        id.length >= (param.minLength ?? 0) &&
        id.length <= (param.maxLength ?? Infinity);
      for (const id of [
        'legal-intake-',
        'legal-intake-a',
        'legal-intake-a.b_c:d-e',
        'legal-intake-a b',
        'legal-intake-ü',
        `legal-intake-${'a'.repeat(128)}`,
        `legal-intake-${'a'.repeat(129)}`,
        'something-else',
      ]) {
        const res = await api.call('GET', `/v1/workflows/${encodeURIComponent(id)}`, {
          key: stack.keys.operator,
        });
        expect([id, documented(id)]).toEqual([id, res.status !== 400]);
      }
    });

    it('takes every review cursor its OpenAPI document allows, and the document allows none it refuses', async () => {
      const doc = (await api.call('GET', '/openapi.json')).body;
      const param = doc.paths['/v1/reviews'].get.parameters.find(
        (p: { name: string }) => p.name === 'cursor',
      );
      const documented = (cursor: string) =>
        new RegExp(param.schema.pattern, 'u').test(cursor) && cursor.length <= param.schema.maxLength;
      const id = (text: string) => Buffer.from(text).toString('base64url');
      for (const cursor of [
        // Places in the queue: before its first due time (2000), inside it, at or past its end (2200).
        `0.${id('legal-intake-x')}`,
        `0000000000001.${id('x')}`,
        `1767225600000.${id('legal-intake-a.b')}`,
        `7258118400000.${id('legal-intake-x')}`,
        `9999999999999.${id('ü')}`,
        `1767225600000.${'A'.repeat(1334)}`,
        // Not cursors: what the fuzzer sent first, an old-style cursor (base64url JSON), each part missing.
        '0',
        'not-a-cursor',
        Buffer.from(JSON.stringify({ d: 1767225600000, w: 'legal-intake-x' })).toString('base64url'),
        '1767225600000.',
        `.${id('legal-intake-x')}`,
        '1767225600000.A',
        `1767225600000.${id('legal-intake-x')}=`,
        `-1.${id('legal-intake-x')}`,
        `10000000000000.${id('legal-intake-x')}`,
        `1767225600000.${'A'.repeat(1335)}`,
      ]) {
        const res = await api.call('GET', `/v1/reviews?cursor=${encodeURIComponent(cursor)}`, {
          key: stack.keys.reviewer,
        });
        expect([cursor.slice(0, 40), res.status]).toEqual([
          cursor.slice(0, 40),
          documented(cursor) ? 200 : 400,
        ]);
        if (res.status === 400) expect(fieldsNamed(res.body)).toEqual(['cursor']);
      }
    });

    it('signs in to the codec endpoint only with the form its document describes', async () => {
      const form = { 'content-type': 'application/x-www-form-urlencoded' };
      const extra = await api.call('POST', '/codec/session', {
        raw: `key=${stack.keys.engineer}&remember=1`,
        headers: form,
      });
      expect(extra.status).toBe(400);
      expect(fieldsNamed(extra.body)).toEqual(['remember']);
      expect(extra.headers.get('set-cookie')).toBeNull();
      const long = await api.call('POST', '/codec/session', { raw: `key=${'k'.repeat(201)}`, headers: form });
      expect(long.status).toBe(400);
      expect(fieldsNamed(long.body)).toEqual(['key']);

      const doc = (await api.call('GET', '/openapi.json')).body;
      const schema =
        doc.paths['/codec/session'].post.requestBody.content['application/x-www-form-urlencoded'].schema;
      const body = doc.components.schemas[schema.$ref.split('/').pop()];
      expect(body).toEqual(expect.objectContaining({ additionalProperties: false, required: ['key'] }));
      expect(body.properties.key.maxLength).toBe(200);
    });
  });

  it('started no workflow for any of the bad requests', async () => {
    for (const externalId of attempted) await expectNotStarted(externalId);
    const count = await stack.client.workflow.count(`TaskQueue = '${stack.config.temporal.taskQueue}'`);
    expect(count.count).toBe(0);
  });
});
