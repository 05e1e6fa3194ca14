import type { RequestHandler } from 'express';
import { ApiError } from './errors';

/**
 * The methods each path of the OpenAPI document allows, answered from the document so the two cannot
 * disagree, before any route runs (express's routes would match `GET /v1/workflows/legal-intake` as the
 * status of a workflow named `legal-intake`, and list that GET in an OPTIONS answer):
 * - a method the path does not list: 405 with `Allow` (RFC 9110), instead of a 404 or a 400;
 * - OPTIONS on a path that declares no OPTIONS operation of its own (the codec's CORS preflight): 204 with
 *   `Allow`.
 * HEAD is allowed where GET is (express answers it from the GET route). Paths outside the document pass.
 */
export function allowedMethods(paths: Record<string, object>): RequestHandler {
  const templates = Object.entries(paths)
    .map(([path, operations]) => {
      const methods = Object.keys(operations).map((m) => m.toUpperCase());
      if (methods.includes('GET')) methods.splice(methods.indexOf('GET') + 1, 0, 'HEAD');
      const pattern = path
        .split(/\{[^}]+\}/)
        .map(escapeRegExp)
        .join('[^/]+');
      return { path, methods, matches: new RegExp(`^${pattern}$`) };
    })
    // A path without parameters wins over a template that also matches it (`legal-intake` over `{workflowId}`).
    .sort((a, b) => Number(a.path.includes('{')) - Number(b.path.includes('{')));

  return (req, res, next) => {
    const template = templates.find((t) => t.matches.test(req.path));
    if (!template || template.methods.includes(req.method)) return next();
    if (req.method === 'OPTIONS') {
      res.setHeader('Allow', [...template.methods, 'OPTIONS'].join(', '));
      res.status(204).end();
      return;
    }
    const allow = template.methods.join(', ');
    res.setHeader('Allow', allow);
    throw new ApiError(405, 'method_not_allowed', `${req.method} is not allowed here; allowed: ${allow}`);
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
