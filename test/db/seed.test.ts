import { SEED_PATIENTS, normalizeName, seed } from '../../db';
import { startTestDatabase, type TestDatabase } from './support';

describe('seed', () => {
  let t: TestDatabase;

  beforeAll(async () => {
    t = await startTestDatabase({ seeded: false });
  });
  afterAll(async () => {
    await t.close();
  });

  async function count(table: string): Promise<number> {
    const { rows } = await t.db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`);
    return Number(rows[0].n);
  }

  it('loads the demo directory once, however often it runs', async () => {
    const first = await seed(t.db);
    expect(first.clients).toBeGreaterThanOrEqual(12);
    expect(first.matters).toBeGreaterThanOrEqual(10);
    expect(first.adverseParties).toBeGreaterThanOrEqual(10);
    expect(first.limitationRules).toBe(36);
    expect(first.patients).toBe(SEED_PATIENTS.length);

    const again = await Promise.all([seed(t.db), seed(t.db)]);
    expect(again).toEqual([
      { clients: 0, matters: 0, adverseParties: 0, limitationRules: 0, patients: 0 },
      { clients: 0, matters: 0, adverseParties: 0, limitationRules: 0, patients: 0 },
    ]);
    expect(await count('clients')).toBe(first.clients);
    expect(await count('matters')).toBe(first.matters);
    expect(await count('adverse_parties')).toBe(first.adverseParties);
    expect(await count('limitation_rules')).toBe(first.limitationRules);
    expect(await count('ehr_patients')).toBe(SEED_PATIENTS.length);
    expect(await count('ehr_medications')).toBe(SEED_PATIENTS.reduce((n, p) => n + p.medications.length, 0));
  });

  it('stores every name beside its normalised form', async () => {
    const { rows } = await t.db.query<{ name: string; name_normalized: string }>(
      'SELECT name, name_normalized FROM clients UNION ALL SELECT name, name_normalized FROM adverse_parties',
    );
    for (const row of rows) expect(row.name_normalized).toBe(normalizeName(row.name));
  });

  it('puts an organisation on the other side of an open matter, and a client the other side may name', async () => {
    const adverse = await t.db.query(
      `SELECT 1 FROM adverse_parties a JOIN matters m USING (matter_id)
        WHERE a.name = 'Acme Freight Inc.' AND m.status = 'open'`,
    );
    expect(adverse.rowCount).toBe(1);
    const client = await t.db.query(
      `SELECT 1 FROM clients c JOIN matters m USING (client_id)
        WHERE c.name = 'Harbor Dental Group Inc.' AND m.status = 'open'`,
    );
    expect(client.rowCount).toBeGreaterThan(0);
  });

  it('marks every limitation rule as illustrative demo data, with no rule for family matters', async () => {
    const { rows } = await t.db.query<{ jurisdiction: string; matter_type: string; basis: string }>(
      'SELECT jurisdiction, matter_type, basis FROM limitation_rules',
    );
    expect(new Set(rows.map((r) => r.jurisdiction))).toEqual(
      new Set(['US-CA', 'US-NY', 'US-TX', 'US-FL', 'US-IL', 'US-WA']),
    );
    expect(rows.some((r) => r.matter_type === 'family')).toBe(false);
    for (const row of rows) expect(row.basis).toMatch(/^Illustrative \(demo data, not legal advice\)/);
  });
});
