/**
 * Browser sign-in for the codec endpoint. The Temporal UI cannot send an API key: without OIDC its only
 * credential is a cookie ("Include cross-origin credentials" in its codec settings). An engineer signs in
 * once at `GET /codec` with an engineer key; the answer is an HttpOnly cookie, scoped to `/codec`, holding
 * the key's name and an expiry signed with a secret derived from the encryption keys, never the key itself.
 * Revoking the key (or rotating the encryption key) ends its sessions.
 */
import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { ApiKeyEntry, EncryptionKeyEntry } from '../../config';
import type { Caller } from '../auth';

export const SESSION_COOKIE = 'docket_codec_session';
const SESSION_SECONDS = 8 * 60 * 60;

export interface CodecSessions {
  /** A `Set-Cookie` value for `caller`, valid for eight hours from `now`. */
  issue(caller: Caller, secure: boolean, now?: Date): { setCookie: string; expiresAt: Date };
  /** The engineer a request's cookie names, if it is signed, unexpired and the key still has the role. */
  verify(cookieHeader: string | undefined, now?: Date): Caller | null;
}

/** Sessions signed with a secret derived from the encrypting key; null without encryption keys. */
export function codecSessions(
  apiKeys: readonly ApiKeyEntry[],
  encryptionKeys: readonly EncryptionKeyEntry[],
): CodecSessions | null {
  if (encryptionKeys.length === 0) return null;
  const secret = Buffer.from(
    hkdfSync('sha256', encryptionKeys[0].key, 'docket', 'docket codec session cookie v1', 32),
  );
  const sign = (body: string) => createHmac('sha256', secret).update(body).digest();

  return {
    issue(caller, secure, now = new Date()) {
      const expiresAt = new Date(now.getTime() + SESSION_SECONDS * 1000);
      const body = Buffer.from(
        JSON.stringify({ n: caller.name, e: Math.floor(expiresAt.getTime() / 1000) }),
      ).toString('base64url');
      const token = `${body}.${sign(body).toString('base64url')}`;
      const attributes = ['Path=/codec', 'HttpOnly', 'SameSite=Strict', `Max-Age=${SESSION_SECONDS}`];
      if (secure) attributes.push('Secure');
      return { setCookie: `${SESSION_COOKIE}=${token}; ${attributes.join('; ')}`, expiresAt };
    },
    verify(cookieHeader, now = new Date()) {
      const token = readCookie(cookieHeader, SESSION_COOKIE);
      const [body, mac] = token?.split('.') ?? [];
      if (!body || !mac) return null;
      const expected = sign(body);
      const given = Buffer.from(mac, 'base64url');
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      let claims: { n?: unknown; e?: unknown };
      try {
        claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      } catch {
        return null;
      }
      if (typeof claims.n !== 'string' || typeof claims.e !== 'number') return null;
      if (claims.e * 1000 <= now.getTime()) return null;
      const entry = apiKeys.find((k) => k.name === claims.n && k.role === 'engineer');
      return entry ? { name: entry.name, role: entry.role } : null;
    },
  };
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return part.slice(at + 1).trim();
  }
  return undefined;
}
