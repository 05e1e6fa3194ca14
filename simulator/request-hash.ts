import { createHash } from 'node:crypto';

/**
 * SHA-256 of a request body in canonical form (object keys sorted), so the same request always gets
 * the same ids and the same answer, whatever order a client happened to write its keys in.
 */
export function requestHash(body: unknown): string {
  return createHash('sha256').update(canonicalJson(body)).digest('hex');
}

/** A short id derived from the request hash and a label (a tool call's index and name). */
export function derivedId(hash: string, label: string, length = 24): string {
  return createHash('sha256').update(`${hash}:${label}`).digest('hex').slice(0, length);
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
