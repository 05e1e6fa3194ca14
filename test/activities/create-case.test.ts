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

  /** What the workflow passes: tokens where the client's identity is. */
  function caseInput(workflowId: string): CreateCaseInput {
    return {
      workflowId,
      externalId: workflowId.replace(/^legal-intake-/, ''),
      matterType: 'personal_injury',
      jurisdiction: 'US-CA',
      clientName: '[PERSON_1]',
      queue: 'personal-injury',
      priority: 'p2',
      summary: '[PERSON_1]: car accident in Los Angeles; broken wrist.',
      payload: { assessment: { conflictStatus: 'clear' }, contact: '[EMAIL_1]', nested: [1, 2, 3] },
    };
  }

  /** The mapping the workflow's pseudonymizeIntake would have stored. */
  async function storeMapping(workflowId: string): Promise<void> {
    await t.personal.updateMapping(workflowId, () => ({
      mapping: {
        tokens: { '[PERSON_1]': 'Jordan Reyes', '[EMAIL_1]': 'jordan.reyes@example.org' },
        keys: { 'PERSON:jordan reyes': '[PERSON_1]', 'EMAIL:jordan.reyes@example.org': '[EMAIL_1]' },
        forms: {},
      },
      result: null,
    }));
  }

  async function rowsFor(workflowId: string) {
    const { rows } = await t.db.query('SELECT * FROM cases WHERE workflow_id = $1', [workflowId]);
    return rows;
  }

  it('files one case, with the identities put back and sealed', async () => {
    await storeMapping('legal-intake-ext-1');
    const result = await t.tools.createCase(caseInput('legal-intake-ext-1'));
    expect(result).toEqual({ caseId: caseIdFor('legal-intake-ext-1'), created: true });
    expect(result.caseId).toMatch(/^CASE-[0-9A-F]{12}$/);
    const rows = await rowsFor('legal-intake-ext-1');
    expect(rows).toEqual([
      expect.objectContaining({
        case_id: result.caseId,
        external_id: 'ext-1',
        matter_type: 'personal_injury',
        jurisdiction: 'US-CA',
        queue: 'personal-injury',
        priority: 'p2',
        // Nothing personal in clear: it is all in the sealed column.
        client_name: null,
        summary: null,
        payload: {},
      }),
    ]);
    expect(rows[0].personal).toMatch(/^sealed\.v1\.test-1\./);
    expect(JSON.stringify(rows[0])).not.toMatch(/Jordan|Reyes|jordan\.reyes|PERSON_1/);
    expect(await t.personal.loadCaseFields('legal-intake-ext-1')).toEqual({
      clientName: 'Jordan Reyes',
      summary: 'Jordan Reyes: car accident in Los Angeles; broken wrist.',
      payload: {
        assessment: { conflictStatus: 'clear' },
        contact: 'jordan.reyes@example.org',
        nested: [1, 2, 3],
      },
    });
  });

  it('files nothing new when retried, and answers with the same case', async () => {
    await storeMapping('legal-intake-ext-2');
    const first = await t.tools.createCase(caseInput('legal-intake-ext-2'));
    const retry = await t.tools.createCase({
      ...caseInput('legal-intake-ext-2'),
      summary: 'changed on retry',
    });
    expect(retry).toEqual({ caseId: first.caseId, created: false });
    expect(await rowsFor('legal-intake-ext-2')).toHaveLength(1);
    expect((await t.personal.loadCaseFields('legal-intake-ext-2'))?.summary).toBe(
      'Jordan Reyes: car accident in Los Angeles; broken wrist.',
    );
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
