/**
 * Temporal's remote codec protocol, for the Temporal UI and CLI (`--codec-endpoint <api>/codec`):
 * `POST /codec/decode` and `POST /codec/encode` take `{ payloads: [...] }` (Payload protobufs as proto JSON:
 * base64 `data`, base64 metadata values) and answer the same shape. Engineers only: a Bearer key with the
 * `engineer` role, or the browser session from `GET /codec` for the UI. CORS answers the UI's origins only.
 */
import type { Payload } from '@temporalio/common';
import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AesGcmPayloadCodec, PayloadDecryptionError } from '../../codec';
import type { DocketConfig } from '../../config';
import { requireRole } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import { codecSessions } from './codec-session';

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** One Payload as proto JSON. Fields other than metadata and data are not Docket's and are ignored. */
export const CodecPayload = z.object({
  metadata: z.record(z.string(), Base64).nullish(),
  data: Base64.nullish(),
});

/** The body of both codec requests and of their answers. */
export const CodecPayloads = z.object({ payloads: z.array(CodecPayload) });
type CodecPayloads = z.infer<typeof CodecPayloads>;

/**
 * The sign-in form of `POST /codec/session`: an engineer's key and nothing else. Its size keeps any form it
 * allows, however it is percent-encoded, under the route's body limit.
 */
export const CodecSignIn = z.object({ key: z.string().min(1).max(200).regex(/^\S+$/, 'no spaces') }).strict();

/** Form bodies of at most this size are read: CodecSignIn at its longest (200 × 9 bytes) fits. */
const SIGN_IN_LIMIT = '2kb';

const CODEC_PATHS = ['/codec/encode', '/codec/decode'];
const PAGE_CSP = "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/** The dev server's UI, under both names a browser may use for it. */
export function defaultCodecOrigins(uiPort: number): string[] {
  return [`http://localhost:${uiPort}`, `http://127.0.0.1:${uiPort}`];
}

export function codecRoutes({ config }: { config: DocketConfig }): Router {
  const router = Router();
  const origins = new Set(config.api.codecCorsOrigins ?? defaultCodecOrigins(config.temporal.uiPort));
  const keys = config.api.keys;
  const codec = config.encryption.keys.length > 0 ? new AesGcmPayloadCodec(config.encryption.keys) : null;
  const sessions = codecSessions(keys, config.encryption.keys);
  const bearer = requireRole(keys, 'engineer');

  /** Decoded payloads are client data: never cached, and readable only from an allowed origin. */
  const cors: RequestHandler = (req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    res.append('Vary', 'Origin');
    const origin = req.get('origin');
    if (origin === undefined) return next();
    if (!origins.has(origin)) {
      throw new ApiError(403, 'forbidden', `origin ${origin} is not allowed to call the codec endpoint`);
    }
    res.setHeader('Access-Control-Allow-Origin', origin);
    res.setHeader('Access-Control-Allow-Credentials', 'true');
    next();
  };

  /** A Bearer key always wins; without one, the browser session cookie. */
  const engineer: RequestHandler = (req, res, next) => {
    const caller = req.get('authorization') === undefined ? sessions?.verify(req.get('cookie')) : null;
    if (!caller) return bearer(req, res, next);
    res.locals.caller = caller;
    next();
  };

  const sameNamespace: RequestHandler = (req, _res, next) => {
    const namespace = req.get('x-namespace');
    if (namespace !== undefined && namespace !== config.temporal.namespace) {
      throw new ApiError(
        400,
        'invalid_request',
        `X-Namespace is ${namespace}; this codec serves namespace ${config.temporal.namespace}`,
      );
    }
    next();
  };

  router.options(CODEC_PATHS, cors, (_req, res) => {
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  });

  for (const operation of ['encode', 'decode'] as const) {
    router.post(
      `/codec/${operation}`,
      cors,
      engineer,
      sameNamespace,
      ...jsonBody(config.api.codecBodyLimit),
      async (req, res) => {
        if (!codec) throw new ApiError(503, 'unavailable', 'no encryption keys are configured');
        const body = parseOr400(CodecPayloads, req.body, 'the body must be { payloads: [...] }');
        const payloads = body.payloads.map(fromJson);
        const answer =
          operation === 'encode' ? await codec.encode(payloads) : await decodeEach(codec, payloads);
        res.json({ payloads: answer.map(toJson) } satisfies CodecPayloads);
      },
    );
  }

  router.get('/codec', (_req, res) => {
    page(res, signInPage());
  });

  router.post(
    '/codec/session',
    express.urlencoded({ extended: false, limit: SIGN_IN_LIMIT }),
    (req, _res, next) => {
      // The sign-in form posts the key as a field; checked exactly as a Bearer key would be.
      const { key } = parseOr400(CodecSignIn, req.body ?? {}, 'the sign-in form is invalid');
      req.headers.authorization = `Bearer ${key}`;
      next();
    },
    bearer,
    (req, res) => {
      if (!sessions) throw new ApiError(503, 'unavailable', 'no encryption keys are configured');
      const caller = res.locals.caller!;
      const { setCookie, expiresAt } = sessions.issue(caller, req.secure);
      res.setHeader('Set-Cookie', setCookie);
      page(res, signedInPage(caller.name, expiresAt, `${req.protocol}://${req.get('host')}/codec`));
    },
  );

  return router;
}

/** Decodes one payload at a time, so a failure names the payload it is about. */
async function decodeEach(codec: AesGcmPayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  const decoded: Payload[] = [];
  for (const [i, payload] of payloads.entries()) {
    try {
      decoded.push(...(await codec.decode([payload])));
    } catch (err) {
      if (!(err instanceof PayloadDecryptionError)) throw err;
      throw new ApiError(400, 'invalid_request', err.message, [
        { path: ['payloads', i], message: err.message, code: err.reason },
      ]);
    }
  }
  return decoded;
}

function fromJson({ metadata, data }: z.infer<typeof CodecPayload>): Payload {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')]),
    ),
    data: Buffer.from(data ?? '', 'base64'),
  };
}

function toJson({ metadata, data }: Payload): z.infer<typeof CodecPayload> {
  return {
    metadata: Object.fromEntries(
      Object.entries(metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')]),
    ),
    data: Buffer.from(data ?? []).toString('base64'),
  };
}

function page(res: Response, html: string): void {
  res.setHeader('Content-Security-Policy', PAGE_CSP);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Cache-Control', 'no-store');
  res.type('html').send(html);
}

function signInPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docket codec sign-in</title></head>
<body>
<h1>Decode payloads in the Temporal UI</h1>
<p>Sign in with an API key that has the <code>engineer</code> role. The browser then keeps an eight-hour
session cookie for this endpoint; in the Temporal UI's codec server settings, turn on
<em>Include cross-origin credentials</em>.</p>
<form method="post" action="/codec/session">
<label>Engineer key <input name="key" type="password" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
</body></html>
`;
}

function signedInPage(name: string, expiresAt: Date, endpoint: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Docket codec: signed in</title></head>
<body>
<h1>Signed in as ${escapeHtml(name)}</h1>
<p>Until ${expiresAt.toISOString()}. In the Temporal UI, the codec server endpoint is
<code>${escapeHtml(endpoint)}</code>; turn on <em>Include cross-origin credentials</em> and reload.</p>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
