import { startTools, failureOf, type ToolsUnderTest } from './support';

describe('limitationPeriod', () => {
  let t: ToolsUnderTest;
  const asOf = '2026-11-25';

  beforeAll(async () => {
    t = await startTools();
  });
  afterAll(async () => {
    await t.close();
  });

  it('gives the deadline and the days left from the incident date', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: 'US-CA',
      matterType: 'personal_injury',
      incidentDate: '2024-12-10',
      asOf,
    });
    expect(result).toEqual({
      known: true,
      periodMonths: 24,
      deadline: '2026-12-10',
      daysRemaining: 15,
      basis: expect.stringMatching(/^Illustrative \(demo data, not legal advice\): US-CA personal injury/),
      asOf,
    });
  });

  it('counts a deadline that has passed as negative days', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: 'US-CA',
      matterType: 'personal_injury',
      incidentDate: '2023-01-15',
      asOf,
    });
    expect(result).toMatchObject({ known: true, deadline: '2025-01-15', daysRemaining: -679 });
  });

  it('clamps a deadline to the end of a shorter month', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: 'US-NY',
      matterType: 'personal_injury',
      incidentDate: '2024-02-29',
      asOf,
    });
    expect(result).toMatchObject({ known: true, periodMonths: 36, deadline: '2027-02-28' });
  });

  it('is unknown without a jurisdiction', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: null,
      matterType: 'personal_injury',
      incidentDate: '2026-01-01',
      asOf,
    });
    expect(result).toEqual({
      known: false,
      periodMonths: null,
      deadline: null,
      daysRemaining: null,
      basis: expect.stringContaining('No jurisdiction'),
      asOf,
    });
  });

  it('is unknown when there is no rule for the matter type', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: 'US-CA',
      matterType: 'family',
      incidentDate: '2026-01-01',
      asOf,
    });
    expect(result).toMatchObject({ known: false, periodMonths: null, deadline: null, daysRemaining: null });
    expect(result.basis).toContain('No limitation rule on file for family in US-CA');
  });

  it('gives the period but no deadline without an incident date', async () => {
    const result = await t.tools.limitationPeriod({
      jurisdiction: 'US-TX',
      matterType: 'employment',
      incidentDate: null,
      asOf,
    });
    expect(result).toMatchObject({ known: false, periodMonths: 6, deadline: null, daysRemaining: null });
    expect(result.basis).toContain('No incident date');
  });

  it('rejects junk arguments, and dates that do not exist, as InvalidToolArguments', async () => {
    const valid = { jurisdiction: 'US-CA', matterType: 'personal_injury', incidentDate: '2024-12-10', asOf };
    for (const junk of [
      { ...valid, matterType: 'divorce' },
      { ...valid, jurisdiction: 'California' },
      { ...valid, incidentDate: '10/12/2024' },
      { ...valid, incidentDate: '2023-02-30' },
      { ...valid, asOf: undefined },
    ]) {
      const failure = await failureOf(t.tools.limitationPeriod(junk as never));
      expect(failure).toMatchObject({ type: 'InvalidToolArguments', nonRetryable: true });
    }
  });

  it('logs the outcome in one line', async () => {
    await t.tools.limitationPeriod({
      jurisdiction: 'US-WA',
      matterType: 'employment',
      incidentDate: '2026-01-05',
      asOf,
    });
    expect(t.logLines().at(-1)).toMatchObject({
      activity: 'limitationPeriod',
      jurisdiction: 'US-WA',
      matterType: 'employment',
      known: true,
      msg: 'limitation period',
    });
  });
});
