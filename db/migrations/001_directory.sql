-- The firm's directory: clients, their matters, the parties on the other side of those matters, and the
-- limitation rules the reasoner's tool reads. `name_normalized` always holds normalizeName(name) from
-- db/names.ts; whoever writes a name writes both.

CREATE TABLE clients (
  client_id       text PRIMARY KEY,
  name            text NOT NULL,
  name_normalized text NOT NULL,
  email           text,
  phone           text,
  kind            text NOT NULL CHECK (kind IN ('person', 'organization')),
  created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX clients_name_normalized_idx ON clients (name_normalized);
CREATE INDEX clients_email_idx ON clients (lower(email));

CREATE TABLE matters (
  matter_id   text PRIMARY KEY,
  client_id   text NOT NULL REFERENCES clients (client_id),
  title       text NOT NULL,
  matter_type text NOT NULL,
  status      text NOT NULL CHECK (status IN ('open', 'closed')),
  opened_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX matters_client_id_idx ON matters (client_id);

CREATE TABLE adverse_parties (
  id              text PRIMARY KEY,
  matter_id       text NOT NULL REFERENCES matters (matter_id),
  name            text NOT NULL,
  name_normalized text NOT NULL
);
CREATE INDEX adverse_parties_matter_id_idx ON adverse_parties (matter_id);
CREATE INDEX adverse_parties_name_normalized_idx ON adverse_parties (name_normalized);

CREATE TABLE limitation_rules (
  jurisdiction  text NOT NULL,
  matter_type   text NOT NULL,
  period_months integer NOT NULL CHECK (period_months > 0),
  basis         text NOT NULL,
  PRIMARY KEY (jurisdiction, matter_type)
);
