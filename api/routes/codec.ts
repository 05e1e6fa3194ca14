/**
 * Temporal's remote codec protocol, for the Temporal UI and CLI (`--codec-endpoint <api>/codec`):
 * `POST /codec/decode` and `POST /codec/encode` take `{ payloads: [...] }` (Payload protobufs as proto JSON:
 * base64 `data`, base64 metadata values; an empty list may be left out, as proto JSON does) and answer the
 * same shape. Engineers only: a Bearer key with the `engineer` role, the browser session from `GET /codec`
 * for a UI, or (`api.codecTrustsLocalUi`, development) the dev server's own UI on this machine.
 *
 * Neither the UI nor the CLI shows an error body: a 401 reads "Codec Server could not connect" in the UI and a
 * ten-second "context deadline exceeded" in the CLI. So a decode that may not happen is refused where they do
 * show something, in place of each payload (`docketCodecError`: a code and the reason), with nothing decrypted;
 * the answer holds nothing the caller did not send. That includes a browser page of an origin that is not
 * allowed: it gets CORS headers so that it can read the refusal, and its cookie is never looked at. Encoding
 * refuses with a status as before (the CLI encodes only query and update arguments).
 */
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { AesGcmPayloadCodec, PayloadDecryptionError, type Payload } from '../../codec';
import { devServerUiUrl, type DocketConfig } from '../../config';
import { keyLookup, requireRole, type Caller } from '../auth';
import { ApiError, parseOr400 } from '../errors';
import { jsonBody } from '../json-body';
import { codecSessions } from './codec-session';

const Base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'must be base64');

/** One Payload as proto JSON. Fields other than metadata and data are not Docket's and are ignored. */
export const CodecPayload = z.object({
  metadata: z.record(z.string(), Base64).nullish(),
  data: Base64.nullish(),
});

/**
 * The body of both codec requests and of their answers. Proto JSON leaves an empty list out, so the
 * Temporal CLI sends `{}` for no payloads: that is an empty list, not a bad body.
 */
export const CodecPayloads = z.object({ payloads: z.array(CodecPayload).default([]) }).strict();
type CodecPayloads = z.infer<typeof CodecPayloads>;

/** What stands in a decoded batch for a payload that could not or may not be decrypted: the UI and CLI show it. */
export const CODEC_ERROR_FIELD = 'docketCodecError';

/** Why a decode is refused: said in place of each payload. */
interface Refusal {
  code: 'sign_in_required' | 'unauthorized' | 'forbidden' | 'origin_not_allowed' | 'other_namespace';
  message: string;
}

/** Who the dev server's own UI is, when `api.codecTrustsLocalUi` lets it decode without a sign-in. */
const LOCAL_UI_CALLER = { name: 'local-temporal-ui', role: 'engineer' } as const;

/**
 * The sign-in form of `POST /codec/session`: an engineer's key and nothing else. Its size keeps any form it
 * allows, however it is percent-encoded, under the route's body limit.
 */
export const CodecSignIn = z.object({ key: z.string().min(1).max(200).regex(/^\S+$/, 'no spaces') }).strict();

/** Form bodies of at most this size are read: CodecSignIn at its longest (200 × 9 bytes) fits. */
const SIGN_IN_LIMIT = '2kb';

const PAGE_CSP =
  "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

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
  const lookup = keyLookup(keys);
  const localUi = config.api.codecTrustsLocalUi
    ? new Set(defaultCodecOrigins(config.temporal.uiPort))
    : new Set<string>();

  /**
   * Decoded payloads are client data: never cached, and readable only from an allowed origin. Decode answers
   * any origin (`anyOrigin`), so that a page it refuses can read why; it decodes for allowed ones only.
   */
  const corsFor =
    (anyOrigin: boolean): RequestHandler =>
    (req, res, next) => {
      res.setHeader('Cache-Control', 'no-store');
      res.append('Vary', 'Origin');
      const origin = req.get('origin');
      if (origin === undefined) return next();
      if (!anyOrigin && !origins.has(origin)) {
        throw new ApiError(403, 'forbidden', `origin ${origin} is not allowed to call the codec endpoint`);
      }
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      next();
    };
  const cors = corsFor(false);
  const decodeCors = corsFor(true);

  /**
   * A Bearer key always wins; without one, the browser session cookie; without that, in development, the
   * dev server's own UI: a browser page of that origin, calling from this machine (a page elsewhere cannot
   * set another Origin, and a process here that could fake one can read the development key on disk too).
   */
  const engineerOrRefusal = (req: Request): Caller | Refusal => {
    const origin = req.get('origin');
    if (origin !== undefined && !origins.has(origin)) {
      return {
        code: 'origin_not_allowed',
        message: `origin ${origin} may not decode here: it is not in api.codecCorsOrigins`,
      };
    }
    const authorization = req.get('authorization');
    const caller =
      authorization === undefined
        ? (sessions?.verify(req.get('cookie')) ??
          (localUi.has(origin ?? '') && isLoopback(req.socket.remoteAddress) ? LOCAL_UI_CALLER : 'missing'))
        : lookup(authorization);
    if (caller === 'missing') {
      return {
        code: 'sign_in_required',
        message: `no engineer key or codec session: sign in at ${req.protocol}://${req.get('host')}/codec (UI), or pass --codec-auth 'Bearer <engineer key>' (CLI)`,
      };
    }
    if (caller === 'unknown') {
      return { code: 'unauthorized', message: "the Bearer key is not one of this API's keys" };
    }
    if (caller.role !== 'engineer') {
      return {
        code: 'forbidden',
        message: `key ${caller.name} has the ${caller.role} role; decoding needs the engineer role`,
      };
    }
    return caller;
  };

  /** Encoding: the same callers, refused with the status each refusal stands for. */
  const requireEngineer: RequestHandler = (req, res, next) => {
    const found = engineerOrRefusal(req);
    if ('code' in found) {
      if (found.code === 'sign_in_required' || found.code === 'unauthorized') {
        res.setHeader('WWW-Authenticate', 'Bearer');
        throw new ApiError(401, 'unauthorized', found.message);
      }
      throw new ApiError(403, 'forbidden', found.message);
    }
    res.locals.caller = found;
    next();
  };

  /**
   * Why a call names another namespace than this codec serves, or null. The CLI sends `X-Namespace` empty
   * unless given `-n`: empty means the namespace this codec serves.
   */
  const otherNamespace = (req: Request): Refusal | null => {
    const namespace = req.get('x-namespace')?.trim();
    if (!namespace || namespace === config.temporal.namespace) return null;
    return {
      code: 'other_namespace',
      message: `X-Namespace is ${namespace}; this codec serves namespace ${config.temporal.namespace}`,
    };
  };

  const preflight: RequestHandler = (_req, res) => {
    res.setHeader('Access-Control-Allow-Methods', 'POST');
    res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type, X-Namespace');
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
  router.options('/codec/decode', decodeCors, preflight);
  router.options('/codec/encode', cors, preflight);

  /** The payloads of a codec request; 503 when there is nothing to encrypt or decrypt with. */
  const payloadsOf = (req: Request) => {
    if (!codec) throw new ApiError(503, 'unavailable', 'no encryption keys are configured');
    const body = parseOr400(CodecPayloads, req.body, 'the body must be { payloads: [...] }');
    return { codec, payloads: body.payloads.map(fromJson) };
  };

  // The one route that reads a body before knowing the caller: a refusal stands in for each payload, so it
  // needs their count. Within api.codecBodyLimit, and nothing in it is decrypted for a refused caller.
  router.post('/codec/decode', decodeCors, ...jsonBody(config.api.codecBodyLimit), async (req, res) => {
    const { codec, payloads } = payloadsOf(req);
    const found = engineerOrRefusal(req);
    const refusal = 'code' in found ? found : otherNamespace(req);
    const answer = refusal
      ? payloads.map((_, index) => codecError({ ...refusal, payload: index }))
      : await decodeEach(codec, payloads);
    res.json({ payloads: answer.map(toJson) } satisfies CodecPayloads);
  });

  router.post(
    '/codec/encode',
    cors,
    requireEngineer,
    ...jsonBody(config.api.codecBodyLimit),
    async (req, res) => {
      const { codec, payloads } = payloadsOf(req);
      // Encoding for another namespace would hand it input it cannot read.
      const elsewhere = otherNamespace(req);
      if (elsewhere) throw new ApiError(400, 'invalid_request', elsewhere.message);
      res.json({ payloads: (await codec.encode(payloads)).map(toJson) } satisfies CodecPayloads);
    },
  );

  const uiUrl = devServerUiUrl(config.temporal);
  router.get('/codec', (_req, res) => {
    page(res, signInPage(uiUrl, config.api.codecTrustsLocalUi));
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
      page(res, signedInPage(caller.name, expiresAt, `${req.protocol}://${req.get('host')}/codec`, uiUrl));
    },
  );

  return router;
}

/**
 * Decodes one payload at a time: one that cannot be decrypted (an unknown key id, tampered ciphertext)
 * comes back as a JSON payload naming why, in its place, and the rest of the batch decodes as usual.
 */
async function decodeEach(codec: AesGcmPayloadCodec, payloads: Payload[]): Promise<Payload[]> {
  const decoded: Payload[] = [];
  for (const [index, payload] of payloads.entries()) {
    try {
      decoded.push(...(await codec.decode([payload])));
    } catch (err) {
      if (!(err instanceof PayloadDecryptionError)) throw err;
      decoded.push(codecError({ code: err.reason, message: err.message, payload: index }));
    }
  }
  return decoded;
}

/** A JSON payload that stands for one the codec would not or could not decode, saying why. */
function codecError(error: { code: string; message: string; payload: number }): Payload {
  return {
    metadata: { encoding: Buffer.from('json/plain') },
    data: Buffer.from(JSON.stringify({ [CODEC_ERROR_FIELD]: error })),
  };
}

function isLoopback(address: string | undefined): boolean {
  return !!address && (address === '::1' || /^(::ffff:)?127\./.test(address));
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

function signInPage(uiUrl: string, localUiTrusted: boolean): string {
  const local = localUiTrusted
    ? `<p class="notice">On this machine the development UI at <a href="${escapeHtml(uiUrl)}">${escapeHtml(uiUrl)}</a>
decodes without signing in. Sign in here for any other Temporal UI.</p>`
    : '';
  return pageHtml(
    'Docket codec sign-in',
    `<h1>Decode payloads in the Temporal UI</h1>
${local}
<p>Sign in with an API key that has the <code>engineer</code> role. The browser keeps an eight-hour session
cookie for this endpoint, which a Temporal UI served on the same site sends when its codec setting
<em>includeCredentials</em> is on.</p>
<form method="post" action="/codec/session">
<label>Engineer key <input name="key" type="password" autocomplete="off" required></label>
<button type="submit">Sign in</button>
</form>
<p><a href="${escapeHtml(uiUrl)}">Open the Temporal UI</a></p>`,
  );
}

function signedInPage(name: string, expiresAt: Date, endpoint: string, uiUrl: string): string {
  return pageHtml(
    'Docket codec: signed in',
    `<h1>Signed in as ${escapeHtml(name)}</h1>
<p>Until ${expiresAt.toISOString()}. The Temporal UI's codec endpoint is <code>${escapeHtml(endpoint)}</code>,
with <em>includeCredentials</em> on.</p>
<p><a href="${escapeHtml(uiUrl)}">Open the Temporal UI</a></p>`,
  );
}

/** A page in the review page's style sheet (same origin, so the CSP allows it). */
function pageHtml(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="/review/assets/review.css"></head>
<body>
<header class="top-bar"><p class="brand">Docket <span class="brand-sub">codec</span></p></header>
<main class="panel codec-page">
${body}
</main>
</body></html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
