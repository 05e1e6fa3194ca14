-- Client data lives here, sealed (application-level AES-256-GCM with the payload codec's keys), and
-- nowhere else: Temporal gets references and pseudonymized text. Erasure deletes these rows and the
-- personal fields of the case; what stays elsewhere (history, audit rows) holds tokens only.

-- The raw intake as the operations system sent it, stored before its workflow starts.
CREATE TABLE intakes (
  workflow_id text PRIMARY KEY,
  external_id text NOT NULL,
  sealed      text NOT NULL,
  stored_at   timestamptz NOT NULL DEFAULT now()
);

-- A workflow's pseudonym mapping (token -> value), extended by the activities that hand out tokens.
CREATE TABLE pseudonym_mappings (
  workflow_id text PRIMARY KEY,
  sealed      text NOT NULL,
  updated_at  timestamptz NOT NULL DEFAULT now()
);

-- A case's personal fields (client name, summary, the agents' outputs re-identified) move into one sealed
-- column; the clear columns stay for cases filed before this migration and are NULL from now on.
ALTER TABLE cases ADD COLUMN personal text;
ALTER TABLE cases ALTER COLUMN summary DROP NOT NULL;
ALTER TABLE cases ADD COLUMN erased_at timestamptz;
