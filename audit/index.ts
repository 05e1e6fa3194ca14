/**
 * The tamper-evident audit trail: `audit_log`, one row per completed action in one SHA-256 hash chain
 * over canonical JSON. Appended by activities (and by erasure), read by `npm run audit` and the API.
 */
export { ChainHeadMemo, appendAudit, appendAuditBatch, appendAuditWithin } from './append';
export type { AppendResult, AuditEntry } from './append';
export { canonicalJson, toAuditJson } from './canonical-json';
export type { JsonObject, JsonValue } from './canonical-json';
export { AuditKind, GENESIS_HASH, auditHash } from './chain';
export type { AuditRow } from './chain';
export { readWorkflowAudit, verifyAuditChain } from './verify';
export type { BadAuditRow, ChainVerification, WorkflowAudit } from './verify';
