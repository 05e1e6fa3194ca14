import { appendAudit, auditHash, type AuditRow } from '../../audit';
import { auditTestDatabases, tamper, type AuditTestDatabase } from './audit-databases';
import { runAuditScript } from './audit-script';

describe.each(auditTestDatabases())('npm run audit on %s', (_name, start) => {
  let database: AuditTestDatabase;
  let rows: AuditRow[];

  beforeEach(async () => {
    database = await start();
    rows = [];
    for (let i = 1; i <= 8; i++) {
      const { row } = await appendAudit(database.db, {
        workflowId: `legal-intake-wf-${i % 2 === 0 ? 'even' : 'odd'}`,
        actionId: `run-1:callModel:${i}`,
        kind: 'model_call',
        data: { agent: 'classifier', i },
      });
      rows.push(row);
    }
  });
  afterEach(async () => {
    await database?.close();
  });

  it('verify: says OK with the row count and the head, exit 0', async () => {
    const run = await runAuditScript(database.url, 'verify');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`audit chain OK: 8 rows; head seq 8, hash ${rows[7].hash}\n`);
  });

  it('verify: names an edited row (its data changed), exit 1', async () => {
    await tamper(
      database.db,
      `UPDATE audit_log SET data = jsonb_set(data, '{agent}', '"drafter"') WHERE seq = 3`,
    );
    const run = await runAuditScript(database.url, 'verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^audit chain BROKEN at seq 3 \(workflow legal-intake-wf-odd, action run-1:callModel:3\): hash mismatch/,
    );
    expect(run.stdout).toContain('The 2 rows before it verify.');
  });

  it('verify: names the row after a deleted one (gap in seq, broken link), exit 1', async () => {
    await tamper(database.db, 'DELETE FROM audit_log WHERE seq = 5');
    const run = await runAuditScript(database.url, 'verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^audit chain BROKEN at seq 6 \(workflow legal-intake-wf-even/);
    expect(run.stdout).toContain('gap in seq: expected 5, found 6');
    expect(run.stdout).toContain('broken link: prev_hash is not the hash of seq 4');
  });

  it('verify: names the first of two rows whose seqs were swapped, exit 1', async () => {
    await tamper(
      database.db,
      'UPDATE audit_log SET seq = 1000 WHERE seq = 4',
      'UPDATE audit_log SET seq = 4 WHERE seq = 6',
      'UPDATE audit_log SET seq = 6 WHERE seq = 1000',
    );
    const run = await runAuditScript(database.url, 'verify');
    expect(run.code).toBe(1);
    // Seq 4 now holds the row written as seq 6 (workflow even, action 6).
    expect(run.stdout).toMatch(
      /^audit chain BROKEN at seq 4 \(workflow legal-intake-wf-even, action run-1:callModel:6\)/,
    );
    expect(run.stdout).toContain('broken link: prev_hash is not the hash of seq 3');
    expect(run.stdout).toContain('hash mismatch');
  });

  it('verify: also catches an edit whose author recomputed that row’s hash (the next row no longer links)', async () => {
    const [third] = rows.slice(2, 3);
    const forged = { ...third, data: { agent: 'drafter', i: 3 } };
    await tamper(
      database.db,
      `UPDATE audit_log SET data = '${JSON.stringify(forged.data)}'::jsonb, hash = '${auditHash(forged)}' WHERE seq = 3`,
    );
    const run = await runAuditScript(database.url, 'verify');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(
      /^audit chain BROKEN at seq 4 .*broken link: prev_hash is not the hash of seq 3/,
    );
  });

  it("export: prints a workflow's rows as JSON, verified", async () => {
    const run = await runAuditScript(database.url, 'export', 'legal-intake-wf-even');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      workflowId: 'legal-intake-wf-even',
      rows: rows.filter((row) => row.workflowId === 'legal-intake-wf-even'),
      verified: true,
      problems: [],
    });
  });

  it('refuses bad usage with exit 2 and the usage text', async () => {
    const run = await runAuditScript(database.url, 'export');
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('npm run audit -- export <workflowId>');
  });
});
