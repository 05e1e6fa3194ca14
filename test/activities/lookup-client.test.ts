import { startTools, failureOf, type ToolsUnderTest } from './support';

describe('lookupClient', () => {
  let t: ToolsUnderTest;

  beforeAll(async () => {
    t = await startTools();
  });
  afterAll(async () => {
    await t.close();
  });

  it('finds a client by the exact name, legal form or not', async () => {
    for (const name of ['Harbor Dental Group Inc.', 'harbor dental group']) {
      const { matches } = await t.tools.lookupClient({ name, email: null });
      expect(matches[0]).toEqual({
        clientId: 'CL-1003',
        name: 'Harbor Dental Group Inc.',
        email: 'office@harbordental.example',
        kind: 'organization',
        score: 1,
      });
    }
  });

  it('finds a client by e-mail, whatever the name and the case', async () => {
    const { matches } = await t.tools.lookupClient({ name: 'M. G.', email: ' Maria.Gonzalez@EXAMPLE.com ' });
    expect(matches[0]).toMatchObject({
      clientId: 'CL-1002',
      name: 'Maria Gonzalez',
      kind: 'person',
      score: 1,
    });
  });

  it('offers a similar name with a score below 1', async () => {
    const { matches } = await t.tools.lookupClient({ name: 'Northwind Logistic', email: null });
    expect(matches[0].clientId).toBe('CL-1001');
    expect(matches[0].score).toBeGreaterThanOrEqual(0.8);
    expect(matches[0].score).toBeLessThan(1);
  });

  it('finds nobody for a new client, or when given nothing to look for', async () => {
    expect(await t.tools.lookupClient({ name: 'Jordan Reyes', email: 'jordan.reyes@example.com' })).toEqual({
      matches: [],
    });
    expect(await t.tools.lookupClient({ name: null, email: null })).toEqual({ matches: [] });
    expect(await t.tools.lookupClient({ name: '  ', email: '' })).toEqual({ matches: [] });
  });

  it('answers with at most five matches, best first', async () => {
    await t.db.query(
      `INSERT INTO clients (client_id, name, name_normalized, kind)
       SELECT 'CL-90' || n, 'Quillon Partners ' || n, 'quillon partners ' || n, 'organization'
         FROM generate_series(1, 7) AS n`,
    );
    const { matches } = await t.tools.lookupClient({ name: 'Quillon Partners 3', email: null });
    expect(matches).toHaveLength(5);
    expect(matches[0]).toMatchObject({ clientId: 'CL-903', score: 1 });
    const scores = matches.map((m) => m.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('rejects arguments that do not fit the schema as InvalidToolArguments, never retried', async () => {
    for (const junk of [{ name: 42, email: null }, { name: 'Acme' }, null, 'Acme Freight']) {
      const failure = await failureOf(t.tools.lookupClient(junk as never));
      expect(failure.type).toBe('InvalidToolArguments');
      expect(failure.nonRetryable).toBe(true);
      expect(failure.message).toMatch(/^lookupClient: invalid arguments: /);
    }
  });

  it('logs counts and scores, never the names or e-mails it was given', async () => {
    await t.tools.lookupClient({ name: 'Maria Gonzalez', email: 'maria.gonzalez@example.com' });
    const line = t.logLines().at(-1);
    expect(line).toMatchObject({ activity: 'lookupClient', matches: 1, topScore: 1, msg: 'client lookup' });
    expect(JSON.stringify(t.logLines())).not.toMatch(/gonzalez|harbor|northwind|reyes/i);
  });
});
