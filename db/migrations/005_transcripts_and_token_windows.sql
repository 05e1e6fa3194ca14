-- An agent's conversation with its model, one message a row, sealed like the rest of client data (the
-- messages hold pseudonymized intake text). Each model call then carries only its new messages through
-- Temporal history; the activity reads the earlier ones here. Erasure deletes a workflow's rows.
CREATE TABLE transcripts (
  workflow_id   text NOT NULL,
  run_id        text NOT NULL,
  transcript_id text NOT NULL,
  seq           integer NOT NULL,
  sealed        text NOT NULL,
  PRIMARY KEY (workflow_id, run_id, transcript_id, seq)
);

-- Tokens each model tier used per minute, every worker together (config rateLimits.<tier>.tokensPerMinute).
CREATE TABLE model_token_windows (
  tier         text NOT NULL,
  window_start timestamptz NOT NULL,
  tokens       bigint NOT NULL,
  PRIMARY KEY (tier, window_start)
);
