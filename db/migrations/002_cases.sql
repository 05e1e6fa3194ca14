-- The built-in case system Docket files matters into. One case per workflow: `workflow_id` is unique so
-- a retried or replayed createCase files nothing new.

CREATE TABLE cases (
  case_id      text PRIMARY KEY,
  workflow_id  text NOT NULL UNIQUE,
  external_id  text NOT NULL,
  matter_type  text NOT NULL,
  jurisdiction text,
  client_name  text,
  queue        text NOT NULL,
  priority     text NOT NULL,
  summary      text NOT NULL,
  payload      jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX cases_created_at_idx ON cases (created_at);
