import express, { type RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * Body parsing for the POST routes, mounted after authentication so unauthenticated bodies are never read
 * (except by the codec's decode, which answers every caller payload by payload, within its own body limit).
 * A body that is not `application/json` → 415; a missing or empty body is taken as `{}`, so validation
 * names the missing fields.
 */
export function jsonBody(limit: string): RequestHandler[] {
  const requireJson: RequestHandler = (req, _res, next) => {
    const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
    if (!empty && req.is('application/json') === false) {
      throw new ApiError(415, 'unsupported_media_type', 'the request body must be application/json');
    }
    next();
  };
  const parse = express.json({ limit, strict: true });
  const defaultEmpty: RequestHandler = (req, _res, next) => {
    req.body ??= {};
    next();
  };
  return [requireJson, parse, defaultEmpty];
}
