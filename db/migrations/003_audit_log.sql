-- The audit trail: one row per completed action (model call, tool call, gate result, review decision,
-- case filed, notification sent, erasure), in one SHA-256 hash chain. audit/ computes the hashes:
--   hash = sha256_hex(prev_hash || canonical JSON of the row without `hash`)
-- `seq` is gap-free (1, 2, 3…): appenders insert head + 1, and the primary key fails the one that lost a race,
-- which reads the head again (audit/append.ts); the first row's prev_hash is 64 zeros. (workflow_id, action_id) is the action's idempotency key.

CREATE TABLE audit_log (
  seq         bigint PRIMARY KEY CHECK (seq > 0),
  workflow_id text NOT NULL,
  action_id   text NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('model_call', 'tool_call', 'gate_result', 'review_decision',
                                            'case_filed', 'notification_sent', 'erasure')),
  at          timestamptz NOT NULL,
  data        jsonb NOT NULL,
  prev_hash   text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash        text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  UNIQUE (workflow_id, action_id)
);
CREATE INDEX audit_log_workflow_seq_idx ON audit_log (workflow_id, seq);

-- Append-only: UPDATE, DELETE and TRUNCATE are refused. The table's owner can still switch the triggers off
-- (ALTER TABLE … DISABLE TRIGGER); the hash chain is what detects a change then (`npm run audit -- verify`).
CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER audit_log_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change();
