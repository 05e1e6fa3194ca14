import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { hashApiKey, type ApiKeyEntry, type ApiRole } from '../config';
import { ApiError } from './errors';

/** Who is calling: the key's name and role from config. The key itself is never kept. */
export interface Caller {
  name: string;
  role: ApiRole;
}

const BEARER = /^Bearer ([^\s]+)$/i;

/**
 * Checks `Authorization: Bearer <key>` against the hashed keys in config and requires one of `roles`.
 * No or unknown key → 401; a known key without the role → 403.
 */
export function requireRole(keys: readonly ApiKeyEntry[], ...roles: ApiRole[]): RequestHandler {
  const entries = keys.map((k) => ({ name: k.name, role: k.role, digest: Buffer.from(k.sha256, 'hex') }));
  return (req, res, next) => {
    const match = BEARER.exec(req.get('authorization') ?? '');
    if (!match) throw unauthorized(res);
    const digest = Buffer.from(hashApiKey(match[1]), 'hex');
    // Compare against every entry so the time taken does not reveal which entry matched.
    let found: (typeof entries)[number] | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    }
    if (!found) throw unauthorized(res);
    res.locals.caller = { name: found.name, role: found.role };
    if (!roles.includes(found.role)) {
      throw new ApiError(403, 'forbidden', `this endpoint needs the ${roles.join(' or ')} role`);
    }
    next();
  };
}

function unauthorized(res: Response): ApiError {
  res.setHeader('WWW-Authenticate', 'Bearer');
  return new ApiError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)');
}
