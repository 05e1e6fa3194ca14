/**
 * Calls to the Docket REST API with the reviewer key from sessionStorage as a bearer token. The key is
 * kept for this browser tab only, and never put in a URL or written to the console.
 */

const STORAGE_KEY = 'docket.reviewerKey';

export const session = {
  get key() {
    return sessionStorage.getItem(STORAGE_KEY);
  },
  signIn(key) {
    sessionStorage.setItem(STORAGE_KEY, key);
  },
  signOut() {
    sessionStorage.removeItem(STORAGE_KEY);
  },
};

/** An answer other than 2xx, in the API's error shape `{ error: { code, message, details } }`. */
export class ApiError extends Error {
  constructor(status, body) {
    super(body?.error?.message ?? `the API answered ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.code = body?.error?.code ?? 'unknown';
    this.details = body?.error?.details;
  }
}

/** No answer at all (network down, API stopped). */
export class NoAnswerError extends Error {
  constructor() {
    super('The Docket API did not answer. Check your connection and try again.');
    this.name = 'NoAnswerError';
  }
}

let onUnauthorized = () => {};

/** What to do when a call with the stored key is answered 401 (the key was removed or rotated). */
export function whenUnauthorized(handler) {
  onUnauthorized = handler;
}

/**
 * `call('GET', '/v1/reviews/counts')`. `key` overrides the stored key (sign-in tries a key before
 * storing it); `headers` adds headers such as Idempotency-Key.
 */
export async function call(method, path, { json, headers = {}, key } = {}) {
  const bearer = key ?? session.key;
  const init = {
    method,
    headers: { accept: 'application/json', ...headers },
    credentials: 'omit',
    cache: 'no-store',
    referrerPolicy: 'no-referrer',
  };
  if (bearer) init.headers.authorization = `Bearer ${bearer}`;
  if (json !== undefined) {
    init.headers['content-type'] = 'application/json';
    init.body = JSON.stringify(json);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new NoAnswerError();
  }
  const text = await response.text();
  let body = null;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = null;
    }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, body);
    if (response.status === 401 && key === undefined) onUnauthorized(error);
    throw error;
  }
  return body;
}

/** The query string of a queue listing: only the filters that are set. */
export function queueQuery(filters, extra = {}) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries({ ...filters, ...extra })) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  return params.toString();
}

/** The OpenAPI document, read once: the queue's filter choices come from it, not from a copy here. */
let openapi;
export function openApi() {
  openapi ??= fetch('/openapi.json', { credentials: 'omit', cache: 'no-store' })
    .then((r) => {
      if (!r.ok) throw new ApiError(r.status, null);
      return r.json();
    })
    .catch((err) => {
      openapi = undefined;
      throw err instanceof ApiError ? err : new NoAnswerError();
    });
  return openapi;
}

/** A fresh Idempotency-Key; `crypto.randomUUID` exists only in secure contexts (https, localhost). */
export function newIdempotencyKey() {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}
