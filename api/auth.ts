import { timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import { RunNotFoundError } from '../client';
import { ConfigError, hashApiKey, type ApiKeyEntry, type ApiRole } from '../config';
import type { AnyWorkflowDefinition, WorkflowRegistry } from '../domain';
import { ApiError } from './errors';

/** Who is calling: the key's name, role and scope from config. The key itself is never kept. */
export interface Caller {
  name: string;
  role: ApiRole;
  /** The workflow types (REST names) the key is limited to; absent, every type. */
  types?: readonly string[];
}

const BEARER = /^Bearer ([^\s]+)$/i;

/**
 * Finds the caller an `Authorization` header names among the hashed keys in config: `missing` when it names no
 * Bearer key, `unknown` when the key is none of them.
 */
export function keyLookup(
  keys: readonly ApiKeyEntry[],
): (authorization: string | undefined) => Caller | 'missing' | 'unknown' {
  const entries = keys.map((k) => {
    const caller: Caller = k.types
      ? { name: k.name, role: k.role, types: k.types }
      : { name: k.name, role: k.role };
    return { caller, digest: Buffer.from(k.sha256, 'hex') };
  });
  return (authorization) => {
    const match = BEARER.exec(authorization ?? '');
    if (!match) return 'missing';
    const digest = Buffer.from(hashApiKey(match[1]), 'hex');
    // Compare against every entry so the time taken does not reveal which entry matched.
    let found: (typeof entries)[number] | undefined;
    for (const entry of entries) {
      if (timingSafeEqual(entry.digest, digest) && !found) found = entry;
    }
    return found ? found.caller : 'unknown';
  };
}

/**
 * Checks `Authorization: Bearer <key>` against the hashed keys in config and requires one of `roles`.
 * No or unknown key → 401; a known key without the role → 403.
 */
export function requireRole(keys: readonly ApiKeyEntry[], ...roles: ApiRole[]): RequestHandler {
  const lookup = keyLookup(keys);
  return (req, res, next) => {
    const caller = lookup(req.get('authorization'));
    if (typeof caller === 'string') throw unauthorized(res);
    res.locals.caller = caller;
    if (!roles.includes(caller.role)) {
      throw new ApiError(403, 'forbidden', `this endpoint needs the ${roles.join(' or ')} role`);
    }
    next();
  };
}

/**
 * The one scoping rule: whether `caller` may see runs of the workflow type `restName` (undefined: an id of
 * no registered type, which only an unscoped key may ask about). What a key may not see, it is never told
 * exists.
 */
export function mayAccess(caller: Caller, restName: string | undefined): boolean {
  return caller.types === undefined || (restName !== undefined && caller.types.includes(restName));
}

/** The registered types `caller` may see, in registration order. */
export function accessibleTypes(caller: Caller, workflows: WorkflowRegistry): AnyWorkflowDefinition[] {
  return workflows.definitions.filter((definition) => mayAccess(caller, definition.restName));
}

/**
 * Answers a run of a type the caller may not see as a run that does not exist: `notFound` is the route's own
 * answer for a missing run (by default 404 `not_found`, `no workflow <id>`), so the two cannot be told apart.
 */
export function requireRunAccess(
  caller: Caller,
  workflows: WorkflowRegistry,
  workflowId: string,
  notFound: () => Error = () => new RunNotFoundError(workflowId),
): void {
  if (!mayAccess(caller, workflows.resolve(workflowId)?.definition.restName)) throw notFound();
}

/**
 * Stops the API at start when a key is limited to a type nobody registered, naming the key by its name and
 * the position in its `types` (never the value: in `DOCKET_API_KEYS` a mistyped entry's fourth field could be
 * part of a key).
 */
export function checkKeyScopes(keys: readonly ApiKeyEntry[], workflows: WorkflowRegistry): void {
  for (const key of keys) {
    const unknown = (key.types ?? []).findIndex((type) => !workflows.byRestName(type));
    if (unknown !== -1) {
      throw new ConfigError(
        `API key ${key.name} (api.keys or DOCKET_API_KEYS): types[${unknown}] names no registered workflow ` +
          `type (registered: ${workflows.restNames.join(', ')})`,
      );
    }
  }
}

function unauthorized(res: Response): ApiError {
  res.setHeader('WWW-Authenticate', 'Bearer');
  return new ApiError(401, 'unauthorized', 'a valid API key is required (Authorization: Bearer <key>)');
}
