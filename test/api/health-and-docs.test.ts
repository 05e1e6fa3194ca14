import { Client, Connection } from '@temporalio/client';
import { loadConfig, type DocketConfig } from '../../config';
import { startTestDatabase, type TestDatabase } from '../db/support';
import { TEST_ENCRYPTION_KEYS, testDataConverter } from '../support/encryption';
import { serveApi, type RunningApi } from './http';

/** These endpoints need no workflows: a Temporal client and config are enough. */
describe('health, readiness and the OpenAPI document', () => {
  let config: DocketConfig;
  let connection: Connection;
  let api: RunningApi;
  let database: TestDatabase;

  beforeAll(async () => {
    const address = process.env.DOCKET_TEST_TEMPORAL_ADDRESS;
    if (!address) throw new Error('DOCKET_TEST_TEMPORAL_ADDRESS is not set: run through jest');
    config = loadConfig({
      env: { DOCKET_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS },
      overrides: { temporal: { address }, logging: { level: 'error' } },
    });
    database = await startTestDatabase();
    connection = await Connection.connect({ address });
    api = await serveApi(
      config,
      new Client({ connection, namespace: config.temporal.namespace, dataConverter: testDataConverter() }),
      database.db,
    );
  });

  afterAll(async () => {
    await api?.close();
    await connection?.close();
    await database?.close();
  });

  it('answers /healthz without a key', async () => {
    const res = await api.call('GET', '/healthz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('is ready when Temporal answers', async () => {
    const res = await api.call('GET', '/readyz');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ok: true });
  });

  it('is not ready, within a few seconds, when Temporal does not answer', async () => {
    const unreachable = Connection.lazy({ address: '127.0.0.1:1' });
    const broken = await serveApi(
      config,
      new Client({ connection: unreachable, dataConverter: testDataConverter() }),
      database.db,
    );
    try {
      const started = Date.now();
      const res = await broken.call('GET', '/readyz');
      expect(res.status).toBe(503);
      expect(res.body.error.code).toBe('unavailable');
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await broken.close();
      // The SDK's retry of the abandoned call must end (its deadline) before the channel closes under it.
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      await unreachable.close();
    }
  });

  it('sets x-request-id, keeps a sane incoming one, and hides x-powered-by', async () => {
    const fresh = await api.call('GET', '/healthz');
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    expect(fresh.headers.get('x-powered-by')).toBeNull();
    const kept = await api.call('GET', '/healthz', { headers: { 'x-request-id': 'trace-123' } });
    expect(kept.headers.get('x-request-id')).toBe('trace-123');
  });

  it('answers an unknown route with 404 not_found in the error shape', async () => {
    const res = await api.call('GET', '/v1/nothing-here');
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ error: { code: 'not_found', message: expect.any(String) } });
  });

  it('serves an OpenAPI 3.1 document generated from the zod schemas', async () => {
    const res = await api.call('GET', '/openapi.json');
    expect(res.status).toBe(200);
    const doc = res.body;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths).sort()).toEqual(
      [
        '/codec',
        '/codec/decode',
        '/codec/encode',
        '/codec/session',
        '/healthz',
        '/metrics',
        '/openapi.json',
        '/readyz',
        '/review',
        '/v1/reviews',
        '/v1/reviews/counts',
        '/v1/reviews/{workflowId}',
        '/v1/reviews/{workflowId}/decision',
        '/v1/workflows/clinical-summary',
        '/v1/workflows/legal-intake',
        '/v1/workflows/{workflowId}',
        '/v1/workflows/{workflowId}/audit',
        '/v1/workflows/{workflowId}/personal-data',
      ].sort(),
    );
    expect(doc.components.securitySchemes.bearerAuth).toEqual(
      expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    );

    const intake = doc.components.schemas.IntakeRequest;
    expect(intake.required).toEqual(expect.arrayContaining(['externalId', 'channel', 'body']));
    expect(intake.properties.channel.enum).toEqual(['email', 'web', 'phone']);
    expect(intake.additionalProperties).toBe(false);
    expect(doc.components.schemas.ReviewDecisionBody.properties.decision.enum).toEqual([
      'approve',
      'reject',
      'revise',
    ]);
    expect(doc.components.schemas.ErrorBody.properties.error.required).toEqual(['code', 'message']);
    // One status shape per registered type, each with the engine's statuses.
    const statusShapes = doc.components.schemas.WorkflowStatusResponse.anyOf as Array<{
      properties: { status: { enum: string[] } };
    }>;
    expect(statusShapes).toHaveLength(2);
    for (const shape of statusShapes) expect(shape.properties.status.enum).toContain('awaiting_review');

    const start = doc.paths['/v1/workflows/legal-intake'].post;
    expect(start.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/IntakeRequest',
    });
    expect(Object.keys(start.responses)).toEqual(
      expect.arrayContaining(['200', '202', '400', '401', '403', '413', '415']),
    );
    expect(doc.paths['/v1/reviews/{workflowId}/decision'].post.responses['409']).toBeDefined();
    // A reused Idempotency-Key is never refused: with another body it is another decision.
    expect(doc.paths['/v1/reviews/{workflowId}/decision'].post.responses['422']).toBeUndefined();
    expect(doc.paths['/healthz'].get.security).toEqual([]);

    // Every $ref points at a component that exists.
    const refs = JSON.stringify(doc).match(/"\$ref":"[^"]+"/g) ?? [];
    for (const ref of refs) {
      const name = ref.replace(/^"\$ref":"#\/components\/schemas\//, '').replace(/"$/, '');
      expect(doc.components.schemas[name]).toBeDefined();
    }
  });

  it("states the review cursor's form, the rule the queue applies to it", async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const cursor = doc.paths['/v1/reviews'].get.parameters.find((p: { name: string }) => p.name === 'cursor');
    expect(cursor.schema).toEqual(
      expect.objectContaining({
        type: 'string',
        pattern: '^[0-9]{1,13}\\.[A-Za-z0-9_-]{2,}$',
        maxLength: 1348,
      }),
    );
    expect(cursor.schema.format).toBeUndefined();
  });

  it('states what corrections each review stage takes: its output fields, and no field they do not name', async () => {
    const doc = (await api.call('GET', '/openapi.json')).body;
    const byStage: Array<{
      if: { properties: { reviewId: { pattern: string } } };
      then: {
        properties?: {
          corrections: { required?: string[]; properties: Record<string, { enum?: string[] }> };
        };
      };
    }> = doc.components.schemas.ReviewDecisionBody.allOf;
    const stages = Object.fromEntries(byStage.map((c) => [c.if.properties.reviewId.pattern, c.then]));
    expect(Object.keys(stages).sort()).toEqual(
      [
        '^classify-[0-9]+$',
        '^draft-[0-9]+$',
        '^file-[0-9]+$',
        '^reason-[0-9]+$',
        // The clinical summary's stages, beside legal intake's.
        '^extractor-[0-9]+$',
        '^reasoner-[0-9]+$',
        '^drafter-[0-9]+$',
      ].sort(),
    );
    // Nothing to revise at filing: approve or reject only.
    expect(stages['^file-[0-9]+$']).toEqual({ not: { required: ['corrections'] } });

    const classify = stages['^classify-[0-9]+$'].properties!.corrections;
    // Any of the fields, each replacing the stage's own: none is required at the top.
    expect(classify.required).toBeUndefined();
    expect(Object.keys(classify.properties)).toEqual(
      expect.arrayContaining(['matterType', 'urgency', 'client']),
    );
    expect(classify.properties.urgency.enum).toEqual(['low', 'normal', 'high', 'critical']);
    // The workflow refuses an unknown field at any depth, and so does the document.
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) return node.forEach((item, i) => walk(item, `${path}[${i}]`));
      if (typeof node !== 'object' || node === null) return;
      const schema = node as Record<string, unknown>;
      if ('properties' in schema && schema.additionalProperties !== false) open.push(path);
      for (const [key, value] of Object.entries(schema)) walk(value, `${path}.${key}`);
    };
    for (const [stage, then] of Object.entries(stages)) walk(then.properties?.corrections, stage);
    expect(open).toEqual([]);
    expect(JSON.stringify(stages)).not.toContain('$schema');
  });
});
