-- The demo EHR the clinical summary reads and files into: patients with their active medications and
-- allergies, and the FHIR resources filed per run. One filing per workflow: `workflow_id` is unique, so a
-- retried or replayed filing writes nothing new. A clinic's own EHR takes its place in production.

CREATE TABLE ehr_patients (
  patient_id      text PRIMARY KEY,
  mrn             text NOT NULL UNIQUE,
  name            text NOT NULL,
  name_normalized text NOT NULL,
  birth_date      date NOT NULL
);
CREATE INDEX ehr_patients_name_idx ON ehr_patients (name_normalized, birth_date);

CREATE TABLE ehr_medications (
  id         text PRIMARY KEY,
  patient_id text NOT NULL REFERENCES ehr_patients (patient_id),
  name       text NOT NULL,
  dose       numeric,
  unit       text,
  active     boolean NOT NULL DEFAULT true
);
CREATE INDEX ehr_medications_patient_idx ON ehr_medications (patient_id);

CREATE TABLE ehr_allergies (
  id         text PRIMARY KEY,
  patient_id text NOT NULL REFERENCES ehr_patients (patient_id),
  substance  text NOT NULL,
  reaction   text
);
CREATE INDEX ehr_allergies_patient_idx ON ehr_allergies (patient_id);

CREATE TABLE ehr_documents (
  document_reference_id text PRIMARY KEY,
  workflow_id           text NOT NULL UNIQUE,
  patient_id            text REFERENCES ehr_patients (patient_id),
  document_reference    jsonb NOT NULL,
  composition           jsonb NOT NULL,
  created_at            timestamptz NOT NULL DEFAULT now()
);
