/**
 * What the request schemas' refinements check, which zod's JSON Schema output cannot carry (a refine has no
 * JSON form), stated in the OpenAPI document so that it describes what the handlers really accept. Each
 * mirrors a rule written in zod; test/api/bad-requests.test.ts holds the two to agreement.
 */
type JsonObject = Record<string, unknown>;

/**
 * A character that String.prototype.trim keeps (it removes these: ECMAScript WhiteSpace and LineTerminator),
 * spelled out because `\s` means other things to other regex engines, e.g. Python's.
 */
const NOT_ONLY_WHITESPACE =
  '[^\\t\\n\\v\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff]';

/** `decisionRules` (domain/review.ts): corrections with revise only, and a reason to reject. */
const DECISION_KINDS: JsonObject[] = [
  { properties: { decision: { const: 'approve' } }, not: { required: ['corrections'] } },
  {
    properties: { decision: { const: 'reject' }, comment: { pattern: NOT_ONLY_WHITESPACE } },
    required: ['comment'],
    not: { required: ['corrections'] },
  },
  {
    properties: { decision: { const: 'revise' }, corrections: { minProperties: 1 } },
    required: ['corrections'],
  },
];

/** Adds the refinements to the component schemas generated from zod (IntakeRequest, ReviewDecisionBody). */
export function documentRefinements(schemas: Record<string, JsonObject>): void {
  const intake = schemas.IntakeRequest.properties as Record<string, JsonObject>;
  // domain/intake.ts: the body is trimmed before its minimum length; metadata has at most 32 keys.
  intake.body = { ...intake.body, pattern: NOT_ONLY_WHITESPACE };
  intake.metadata = { ...intake.metadata, maxProperties: 32 };
  schemas.ReviewDecisionBody = { ...schemas.ReviewDecisionBody, oneOf: DECISION_KINDS };
}
