import type { Database, Queryable } from './database';
import { normalizeName } from './names';
import { SEED_ADVERSE_PARTIES, SEED_CLIENTS, SEED_MATTERS } from './seed-data';
import { SEED_PATIENTS } from './seed-ehr';
import { SEED_LIMITATION_RULES } from './seed-limitation-rules';

/** Rows inserted by one seed() call, per table: all zero when the directory was already there. */
export interface SeedCounts {
  clients: number;
  matters: number;
  adverseParties: number;
  limitationRules: number;
  patients: number;
}

/**
 * Loads the demo directory (db/seed-data.ts). Idempotent: rows have fixed ids and existing ones are left
 * alone (ON CONFLICT DO NOTHING), so running it twice, or from two processes, inserts each row once.
 * Meant for the embedded database; a real firm's directory comes from its own systems.
 */
export async function seed(db: Database): Promise<SeedCounts> {
  return db.transaction(async (tx) => ({
    clients: await insertRows(
      tx,
      'clients',
      ['client_id', 'name', 'name_normalized', 'email', 'phone', 'kind'],
      SEED_CLIENTS.map((c) => [c.clientId, c.name, normalizeName(c.name), c.email, c.phone, c.kind]),
    ),
    matters: await insertRows(
      tx,
      'matters',
      ['matter_id', 'client_id', 'title', 'matter_type', 'status', 'opened_at'],
      SEED_MATTERS.map((m) => [m.matterId, m.clientId, m.title, m.matterType, m.status, m.openedAt]),
    ),
    adverseParties: await insertRows(
      tx,
      'adverse_parties',
      ['id', 'matter_id', 'name', 'name_normalized'],
      SEED_ADVERSE_PARTIES.map((p) => [p.id, p.matterId, p.name, normalizeName(p.name)]),
    ),
    limitationRules: await insertRows(
      tx,
      'limitation_rules',
      ['jurisdiction', 'matter_type', 'period_months', 'basis'],
      SEED_LIMITATION_RULES.map((r) => [r.jurisdiction, r.matterType, r.periodMonths, r.basis]),
    ),
    patients: await seedEhr(tx),
  }));
}

/** The demo EHR (db/seed-ehr.ts): patients, then their medications and allergies. */
async function seedEhr(tx: Queryable): Promise<number> {
  const patients = await insertRows(
    tx,
    'ehr_patients',
    ['patient_id', 'mrn', 'name', 'name_normalized', 'birth_date'],
    SEED_PATIENTS.map((p) => [p.patientId, p.mrn, p.name, normalizeName(p.name), p.birthDate]),
  );
  const medications = SEED_PATIENTS.flatMap((p) =>
    p.medications.map((m, i) => [`${p.patientId}-med-${i + 1}`, p.patientId, m.name, m.dose, m.unit]),
  );
  const allergies = SEED_PATIENTS.flatMap((p) =>
    p.allergies.map((a, i) => [`${p.patientId}-allergy-${i + 1}`, p.patientId, a.substance, a.reaction]),
  );
  await insertRows(tx, 'ehr_medications', ['id', 'patient_id', 'name', 'dose', 'unit'], medications);
  await insertRows(tx, 'ehr_allergies', ['id', 'patient_id', 'substance', 'reaction'], allergies);
  return patients;
}

/** One multi-row INSERT; table and column names are the constants above, never input. */
async function insertRows(
  tx: Queryable,
  table: string,
  columns: string[],
  rows: unknown[][],
): Promise<number> {
  const placeholders = rows
    .map((row, r) => `(${row.map((_, c) => `$${r * columns.length + c + 1}`).join(', ')})`)
    .join(', ');
  const result = await tx.query(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${placeholders} ON CONFLICT DO NOTHING`,
    rows.flat(),
  );
  return result.rowCount ?? 0;
}
