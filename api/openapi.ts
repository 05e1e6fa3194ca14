import { z } from 'zod';
import { REASON_CODE_DESCRIPTION, ReviewDecisionBody, type WorkflowRegistry } from '../domain';
import {
  DecisionRecorded,
  ErrorBody,
  Health,
  IdempotencyKey,
  ReviewCounts,
  reviewDetail,
  ReviewDetailQuery,
  StartQuery,
  ReviewList,
  reviewListQuery,
  StartResponse,
  ErasureResponse,
  workflowIdParams,
  workflowStatusResponse,
} from './schemas';
import { documentCorrections } from './openapi-corrections';
import { documentRefinements } from './openapi-refinements';
import { AuditParams, AuditTrailResponse } from './routes/audit';
import { CodecPayloads, CodecSignIn } from './routes/codec';

type JsonObject = Record<string, unknown>;

const ERROR_DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: `details` names each offending field',
  401: 'Missing or unknown API key',
  403: 'The API key lacks the role this endpoint needs',
  404: 'No such workflow (or route)',
  409: 'The review named is not pending (review_not_pending, with details.pendingReviewId), or nothing is',
  413: 'Body larger than the configured limit',
  415: 'Body is not application/json',
  500: 'Internal error; `details.requestId` identifies it in the logs',
  503: 'Temporal (or a worker answering status queries) is unavailable',
};

/** The OpenAPI 3.1 document of the REST API, generated from the same zod schemas the handlers use. */
export function buildOpenApi(workflows: WorkflowRegistry): JsonObject {
  const requests = z.registry<{ id: string }>();
  for (const definition of workflows.definitions) requests.add(definition.body, { id: definition.bodyName });
  requests.add(ReviewDecisionBody, { id: 'ReviewDecisionBody' });
  requests.add(CodecPayloads, { id: 'CodecPayloads' });
  requests.add(CodecSignIn, { id: 'CodecSignIn' });
  const responses = z.registry<{ id: string }>();
  const responseSchemas = {
    ErrorBody,
    StartResponse,
    ErasureResponse,
    // Each registered type's status and review detail (one branch per type).
    WorkflowStatusResponse: workflowStatusResponse(workflows),
    ReviewList,
    ReviewCounts,
    ReviewDetail: reviewDetail(workflows),
    DecisionRecorded,
    AuditTrailResponse,
    Health,
  };
  for (const [id, schema] of Object.entries(responseSchemas)) responses.add(schema, { id });

  const uri = (id: string) => `#/components/schemas/${id}`;
  const schemas = {
    ...componentSchemas(z.toJSONSchema(requests, { target: 'draft-2020-12', io: 'input', uri })),
    ...componentSchemas(z.toJSONSchema(responses, { target: 'draft-2020-12', io: 'output', uri })),
  };

  documentRefinements(schemas);
  documentCorrections(schemas, workflows.definitions);
  documentReasonCodes(schemas, workflows.reasonCodes);

  const workflowIdParam = {
    name: 'workflowId',
    in: 'path',
    required: true,
    description: `<type>-<externalId>, for a registered type: ${workflows.restNames.join(', ')}`,
    schema: plain(z.toJSONSchema(workflowIdParams(workflows).shape.workflowId)),
  };
  // Every workflow type writes the same audit trail, so its route takes any workflow id.
  const auditWorkflowIdParam = {
    ...workflowIdParam,
    description: "Any workflow's id",
    schema: plain(z.toJSONSchema(AuditParams.shape.workflowId)),
  };
  const authed = { security: [{ bearerAuth: [] }] };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Docket API',
      version: '1.0.0',
      description: `Start workflows (${workflows.restNames.join(', ')}), read their status, and decide escalated reviews.`,
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    components: {
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'An API key from config. A key limited to some workflow types gets, for a run of any other type, ' +
            'the answer a run that does not exist gets (404), and never sees one in the review queue',
        },
        codecSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'docket_codec_session',
          description: 'Set by POST /codec/session; accepted by the codec endpoint only',
        },
      },
      schemas,
    },
    paths: {
      // One start per registered type, each with its own documented body.
      ...Object.fromEntries(
        workflows.definitions.map((definition) => [
          `/v1/workflows/${definition.restName}`,
          {
            post: {
              ...authed,
              operationId: `start${definition.workflowType[0].toUpperCase()}${definition.workflowType.slice(1)}`,
              summary: `Start a run (operator): ${definition.title}. The same externalId again answers 200 with the same run.`,
              parameters: queryParameters(StartQuery),
              requestBody: jsonBody(definition.bodyName),
              responses: {
                202: jsonAnswer('Started', 'StartResponse', { Location: locationHeader }),
                200: jsonAnswer('Already started: the existing run', 'StartResponse', {
                  Location: locationHeader,
                }),
                ...errors(400, 401, 403),
                404: jsonAnswer(
                  'unknown_workflow_type: the API key is limited to other workflow types',
                  'ErrorBody',
                ),
                ...errors(413, 415, 500, 503),
              },
            },
          },
        ]),
      ),
      '/v1/workflows/{workflowId}': {
        get: {
          ...authed,
          operationId: 'getWorkflowStatus',
          summary: 'Status, stage, results, review history, usage and cost (operator, reviewer)',
          parameters: [workflowIdParam],
          responses: {
            200: jsonAnswer('Status', 'WorkflowStatusResponse'),
            ...errors(400, 401, 403, 404, 500, 503),
          },
        },
      },
      '/v1/workflows/{workflowId}/personal-data': {
        delete: {
          ...authed,
          operationId: 'erasePersonalData',
          summary:
            "Erase the client's personal data: the raw intake, the pseudonym mapping and the case's personal fields (admin)",
          parameters: [workflowIdParam],
          responses: {
            200: jsonAnswer('What was erased; the erasure is on the audit chain', 'ErasureResponse'),
            ...errors(400, 401, 403, 404, 409, 500, 503),
          },
        },
      },
      '/v1/workflows/{workflowId}/audit': {
        get: {
          ...authed,
          operationId: 'getAuditTrail',
          summary: "The workflow's audit trail, in chain order, and whether its rows verify (auditor)",
          parameters: [auditWorkflowIdParam],
          responses: {
            200: jsonAnswer('Audit rows', 'AuditTrailResponse'),
            ...errors(400, 401, 403, 404, 500, 503),
          },
        },
      },
      '/v1/reviews': {
        get: {
          ...authed,
          operationId: 'listReviews',
          summary: 'Open reviews, oldest due first, read from Temporal visibility (reviewer)',
          parameters: queryParameters(reviewListQuery(workflows)),
          responses: {
            200: jsonAnswer('A page of the queue', 'ReviewList'),
            ...errors(400, 401, 403, 500, 503),
          },
        },
      },
      '/v1/reviews/counts': {
        get: {
          ...authed,
          operationId: 'countReviews',
          summary: 'Open and overdue reviews, overall, per stage and per urgency (reviewer)',
          responses: { 200: jsonAnswer('Counts', 'ReviewCounts'), ...errors(401, 403, 500, 503) },
        },
      },
      '/v1/reviews/{workflowId}': {
        get: {
          ...authed,
          operationId: 'getReview',
          summary:
            "What the reviewer must decide, with the agents' outputs, confidence and rationale (reviewer)",
          parameters: [workflowIdParam, ...queryParameters(ReviewDetailQuery)],
          responses: {
            200: jsonAnswer('Pending review', 'ReviewDetail'),
            ...errors(400, 401, 403, 404, 409, 500, 503),
          },
        },
      },
      '/v1/reviews/{workflowId}/decision': {
        post: {
          ...authed,
          operationId: 'decideReview',
          summary:
            "Approve, reject (with a reason) or revise the review named by reviewId (reviewer); corrections must fit the stage's schema",
          parameters: [
            workflowIdParam,
            {
              name: 'Idempotency-Key',
              in: 'header',
              required: false,
              description:
                'Makes the POST safe to retry: the same key with the same body (and the same API key) is the same ' +
                'decision, answered with the same 200 even after the workflow moved on, where a new POST would get ' +
                '409. The same key with another body is another decision, answered on its own. With the ' +
                'decision, it makes the Temporal update id.',
              schema: plain(z.toJSONSchema(IdempotencyKey)),
            },
          ],
          requestBody: jsonBody('ReviewDecisionBody'),
          responses: {
            200: jsonAnswer('The decision as the workflow recorded it', 'DecisionRecorded'),
            ...errors(400, 401, 403, 404, 409, 413, 415, 500, 503),
          },
        },
      },
      ...codecPaths(),
      '/healthz': {
        get: {
          security: [],
          operationId: 'healthz',
          summary: 'Liveness',
          responses: { 200: jsonAnswer('Alive', 'Health') },
        },
      },
      '/readyz': {
        get: {
          security: [],
          operationId: 'readyz',
          summary: 'Readiness: Temporal answers within 2 s',
          responses: { 200: jsonAnswer('Ready', 'Health'), ...errors(503) },
        },
      },
      '/review': {
        get: {
          security: [],
          operationId: 'reviewPage',
          summary:
            'The review page (HTML): a reviewer signs in with a reviewer key, which the page sends as a bearer token to /v1/reviews',
          responses: {
            200: {
              description:
                'The page; its scripts and styles are under /review/assets/, nothing is loaded from elsewhere',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
          },
        },
      },
      '/openapi.json': {
        get: {
          security: [],
          operationId: 'openapi',
          summary: 'This document',
          responses: { 200: { description: 'OpenAPI 3.1 document', content: { 'application/json': {} } } },
        },
      },
      '/metrics': {
        get: {
          security: [],
          operationId: 'metrics',
          summary:
            'Prometheus metrics of this API process: docket_http_request_duration_seconds, docket_reviews_pending, ' +
            'docket_review_decision_seconds and Node process metrics. No key (scrapers carry none); off with ' +
            'metrics.api.enabled = false. Worker metrics are served by each worker (metrics.worker in config).',
          responses: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}

/** Temporal's remote codec protocol (UI and CLI), for engineers. */
function codecPaths(): Record<string, JsonObject> {
  const namespaceHeader = {
    name: 'X-Namespace',
    in: 'header',
    required: false,
    description: 'Sent by the Temporal UI and CLI; must be the namespace Docket runs in',
    schema: { type: 'string' },
  };
  // Optional: no body is no payloads, as `{}` is (proto JSON leaves an empty list out).
  const payloadsBody = { ...jsonBody('CodecPayloads'), required: false };
  const preflight = (verb: 'encode' | 'decode', summary: string, refusals: readonly number[]) => ({
    security: [],
    operationId: `codec${verb[0].toUpperCase()}${verb.slice(1)}Preflight`,
    summary,
    responses: { 204: { description: 'Allowed' }, ...errors(...refusals) },
  });
  const decode = {
    post: {
      // Anyone may ask; only an engineer gets payloads decoded (see the 200 answer).
      security: [{ bearerAuth: [] }, { codecSession: [] }, {}],
      operationId: 'codecDecode',
      summary:
        'Decrypt payloads for the Temporal UI and CLI (engineer); payloads that are not encrypted come back as they are',
      parameters: [namespaceHeader],
      requestBody: payloadsBody,
      responses: {
        200: jsonAnswer(
          'The payloads, in the same order. One that cannot be decrypted, and every one of a request that may not ' +
            'decode (no engineer key or session, a key without the engineer role, an origin not in ' +
            'api.codecCorsOrigins, another namespace), comes back as a JSON payload `{ docketCodecError: { code, ' +
            'message, payload } }`: the Temporal UI and CLI show payloads, not error bodies',
          'CodecPayloads',
        ),
        ...errors(400, 413, 415, 500, 503),
      },
    },
    options: preflight('decode', 'CORS preflight: answered for any origin (a refused one reads why)', []),
  };
  const encode = {
    post: {
      security: [{ bearerAuth: [] }, { codecSession: [] }],
      operationId: 'codecEncode',
      summary: 'Encrypt payloads with the current key (engineer)',
      parameters: [namespaceHeader],
      requestBody: payloadsBody,
      responses: {
        200: jsonAnswer('The payloads, in the same order', 'CodecPayloads'),
        ...errors(400, 401, 403, 413, 415, 500, 503),
      },
    },
    options: preflight(
      'encode',
      'CORS preflight: answered for the origins in api.codecCorsOrigins, 403 for any other',
      [403],
    ),
  };
  const html = (description: string) => ({
    description,
    content: { 'text/html': { schema: { type: 'string' } } },
  });
  return {
    '/codec/decode': decode,
    '/codec/encode': encode,
    '/codec': {
      get: {
        security: [],
        operationId: 'codecSignInPage',
        summary: 'Sign-in page (HTML) for using the codec endpoint from the Temporal UI',
        responses: { 200: html('The page') },
      },
    },
    '/codec/session': {
      post: {
        security: [],
        operationId: 'codecSignIn',
        summary:
          'Signs a browser in with an engineer key (form field `key`): sets an HttpOnly session cookie for /codec',
        requestBody: {
          required: true,
          content: {
            'application/x-www-form-urlencoded': { schema: ref('CodecSignIn') },
          },
        },
        responses: { 200: html('Signed in; the cookie is set'), ...errors(400, 401, 403, 413, 503) },
      },
    },
  };
}

const locationHeader = { description: 'Path of the workflow status', schema: { type: 'string' } };

/** A strict zod object of query fields, as OpenAPI query parameters. */
function queryParameters(schema: z.ZodObject): JsonObject[] {
  const json = z.toJSONSchema(schema, { io: 'input' }) as { properties?: Record<string, JsonObject> };
  return Object.entries(json.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: plain(property),
  }));
}

function ref(id: string): JsonObject {
  return { $ref: `#/components/schemas/${id}` };
}

function jsonBody(id: string): JsonObject {
  return { required: true, content: { 'application/json': { schema: ref(id) } } };
}

function jsonAnswer(description: string, id: string, headers?: JsonObject): JsonObject {
  return {
    description,
    ...(headers ? { headers } : {}),
    content: { 'application/json': { schema: ref(id) } },
  };
}

function errors(...statuses: number[]): Record<number, JsonObject> {
  return Object.fromEntries(statuses.map((s) => [s, jsonAnswer(ERROR_DESCRIPTIONS[s], 'ErrorBody')]));
}

/** Registry output → component schemas, without the per-schema `$schema` / `$id` the document does not need. */
function componentSchemas(out: { schemas: Record<string, JsonObject> }): Record<string, JsonObject> {
  return Object.fromEntries(Object.entries(out.schemas).map(([id, schema]) => [id, plain(schema)]));
}

function plain(schema: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(schema).filter(([key]) => key !== '$schema' && key !== '$id'));
}

/**
 * The status schemas accept any well-formed reason code (a type brings its own); the document lists the
 * registered ones wherever a reason code is (marked by its description).
 */
function documentReasonCodes(node: unknown, codes: readonly string[]): void {
  if (Array.isArray(node)) {
    for (const item of node) documentReasonCodes(item, codes);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Record<string, unknown>;
  if (schema.description === REASON_CODE_DESCRIPTION) {
    delete schema.pattern;
    schema.enum = [...codes];
  }
  for (const value of Object.values(schema)) documentReasonCodes(value, codes);
}
