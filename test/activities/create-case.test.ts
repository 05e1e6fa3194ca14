import { caseIdFor, type CreateCaseInput } from '../../activities/tools';
import { startTools, failureOf, type ToolsUnderTest } from './support';

describe('createCase', () => {
  let t: ToolsUnderTest;

  beforeAll(async () => {
    t = await startTools();
  });
  afterAll(async () => {
    await t.close();
  });

  function caseInput(workflowId: string): CreateCaseInput {
    return {
      workflowId,
      externalId: workflowId.replace(/^legal-intake-/, ''),
      matterType: 'personal_injury',
      jurisdiction: 'US-CA',
      clientName: 'Jordan Reyes',
      queue: 'personal-injury',
      priority: 'p2',
      summary: 'Car accident in Los Angeles; broken wrist.',
      payload: { assessment: { conflictStatus: 'clear' }, nested: [1, 2, 3] },
    };
  }

  async function rowsFor(workflowId: string) {
    const { rows } = await t.db.query('SELECT * FROM cases WHERE workflow_id = $1', [workflowId]);
    return rows;
  }

  it('files one case and says so', async () => {
    const result = await t.tools.createCase(caseInput('legal-intake-ext-1'));
    expect(result).toEqual({ caseId: caseIdFor('legal-intake-ext-1'), created: true });
    expect(result.caseId).toMatch(/^CASE-[0-9A-F]{12}$/);
    expect(await rowsFor('legal-intake-ext-1')).toEqual([
      expect.objectContaining({
        case_id: result.caseId,
        external_id: 'ext-1',
        matter_type: 'personal_injury',
        jurisdiction: 'US-CA',
        client_name: 'Jordan Reyes',
        queue: 'personal-injury',
        priority: 'p2',
        payload: { assessment: { conflictStatus: 'clear' }, nested: [1, 2, 3] },
      }),
    ]);
  });

  it('files nothing new when retried, and answers with the same case', async () => {
    const first = await t.tools.createCase(caseInput('legal-intake-ext-2'));
    const retry = await t.tools.createCase({
      ...caseInput('legal-intake-ext-2'),
      summary: 'changed on retry',
    });
    expect(retry).toEqual({ caseId: first.caseId, created: false });
    const rows = await rowsFor('legal-intake-ext-2');
    expect(rows).toHaveLength(1);
    expect(rows[0].summary).toBe('Car accident in Los Angeles; broken wrist.');
  });

  it('files exactly one case when attempts run at the same time', async () => {
    const results = await Promise.all(
      Array.from({ length: 5 }, () => t.tools.createCase(caseInput('legal-intake-ext-3'))),
    );
    expect(new Set(results.map((r) => r.caseId)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(await rowsFor('legal-intake-ext-3')).toHaveLength(1);
  });

  it('gives different workflows different cases', async () => {
    const a = await t.tools.createCase(caseInput('legal-intake-ext-4'));
    const b = await t.tools.createCase(caseInput('legal-intake-ext-5'));
    expect(a.caseId).not.toBe(b.caseId);
  });

  it('refuses input that does not fit, without retries', async () => {
    const failure = await failureOf(
      t.tools.createCase({ ...caseInput('legal-intake-ext-6'), queue: 'nowhere' } as never),
    );
    expect(failure).toMatchObject({ type: 'InvalidCaseInput', nonRetryable: true });
    expect(failure.message).toContain('queue');
    expect(await rowsFor('legal-intake-ext-6')).toHaveLength(0);
  });

  it('fails without retries when its case id already belongs to another workflow', async () => {
    await t.db.query(
      `INSERT INTO cases (case_id, workflow_id, external_id, matter_type, queue, priority, summary)
       VALUES ($1, 'some-other-workflow', 'x', 'other', 'general-intake', 'p4', 'squatter')`,
      [caseIdFor('legal-intake-ext-7')],
    );
    const failure = await failureOf(t.tools.createCase(caseInput('legal-intake-ext-7')));
    expect(failure).toMatchObject({ type: 'CaseIdCollision', nonRetryable: true });
  });

  it('logs the case id, not the client', async () => {
    await t.tools.createCase(caseInput('legal-intake-ext-8'));
    expect(t.logLines().at(-1)).toMatchObject({
      activity: 'createCase',
      caseId: caseIdFor('legal-intake-ext-8'),
      created: true,
    });
    expect(JSON.stringify(t.logLines())).not.toMatch(/Reyes|Los Angeles/);
  });
});
