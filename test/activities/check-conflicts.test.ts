import { startTools, failureOf, type ToolsUnderTest } from './support';

describe('checkConflicts', () => {
  let t: ToolsUnderTest;

  beforeAll(async () => {
    t = await startTools();
  });
  afterAll(async () => {
    await t.close();
  });

  it('is clear for a new client against a party the firm has never met', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Jordan Reyes',
      opposingParties: ['Bayview Movers LLC'],
    });
    expect(result).toEqual({
      status: 'clear',
      hits: [],
      checkedParties: ['Jordan Reyes', 'Bayview Movers LLC'],
    });
  });

  it('flags a prospective client who is on the other side of an open matter', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Acme Freight',
      opposingParties: ['Keystone Pallets LLC'],
    });
    expect(result.status).toBe('potential_conflict');
    expect(result.hits).toEqual([
      {
        party: 'Acme Freight',
        matchedName: 'Acme Freight Inc.',
        relation: 'client_is_adverse_party',
        matterId: 'M-2001',
        score: 1,
        source: 'model:client',
        match: 'exact',
        row: { table: 'adverse_parties', id: 'AP-3001' },
        ground: 'adverse_in_open_matter',
      },
    ]);
  });

  it("flags an opposing party who is the firm's client, naming the client's open matter", async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Seaview Orthodontics',
      opposingParties: ['Harbor Dental Group'],
    });
    expect(result.status).toBe('potential_conflict');
    expect(result.hits).toEqual([
      {
        party: 'Harbor Dental Group',
        matchedName: 'Harbor Dental Group Inc.',
        relation: 'adverse_party_is_client',
        matterId: 'M-2003',
        score: 1,
        source: 'model:opposing',
        match: 'exact',
        row: { table: 'clients', id: 'CL-1003' },
        ground: 'current_client',
      },
    ]);
  });

  it('flags a former client on the other side, with no open matter to name', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: null,
      opposingParties: ["James O'Connor"],
    });
    expect(result.hits).toEqual([
      expect.objectContaining({
        relation: 'adverse_party_is_client',
        matterId: null,
        ground: 'former_client',
      }),
    ]);
    expect(result.checkedParties).toEqual(["James O'Connor"]);
  });

  it('reports both relations together, best score first', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Pacific Crest Insurance',
      opposingParties: ['Whitaker, Sara', 'Dr. Bob Klein'],
    });
    expect(result.hits.map((h) => [h.relation, h.matterId, h.matchedName, h.match])).toEqual([
      ['client_is_adverse_party', 'M-2002', 'Pacific Crest Insurance Co.', 'exact'],
      ['adverse_party_is_client', 'M-2009', 'Robert Klein', 'nickname'],
      ['adverse_party_is_client', 'M-2004', 'Sarah Whitaker', 'fuzzy'],
    ]);
    expect(result.hits[2].score).toBeLessThan(result.hits[1].score);
  });

  it('does not confuse Acme Bakery with Acme Freight Inc.', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Acme Bakery',
      opposingParties: ['Acme Bakery'],
    });
    expect(result.status).toBe('clear');
  });

  it('ignores parties adverse only in closed matters, and opposing parties already adverse elsewhere', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: 'Metro Grocers Inc.',
      opposingParties: ['Acme Freight Inc.', 'Lone Star Title Co.'],
    });
    expect(result.status).toBe('clear');
  });

  it('checks each name once and skips blanks', async () => {
    const result = await t.tools.checkConflicts({
      prospectiveClient: '  ',
      opposingParties: ['Acme Bakery', ' Acme Bakery ', ''],
    });
    expect(result.checkedParties).toEqual(['Acme Bakery']);
  });

  it('caps the hits it returns at ten', async () => {
    await t.db.query(
      `INSERT INTO clients (client_id, name, name_normalized, kind)
       SELECT 'CL-80' || n, 'Zenith Partners ' || n, 'zenith partners ' || n, 'organization'
         FROM generate_series(1, 12) AS n`,
    );
    const result = await t.tools.checkConflicts({
      prospectiveClient: null,
      opposingParties: ['Zenith Partners'],
    });
    expect(result.status).toBe('potential_conflict');
    expect(result.hits).toHaveLength(10);
  });

  it('rejects junk and oversized arguments as InvalidToolArguments, never retried', async () => {
    const tooMany = Array.from({ length: 26 }, (_, i) => `Party ${i}`);
    for (const junk of [
      { prospectiveClient: 'Acme', opposingParties: 'Harbor Dental' },
      { prospectiveClient: 'Acme' },
      { prospectiveClient: 'Acme', opposingParties: tooMany },
      { prospectiveClient: 'x'.repeat(301), opposingParties: [] },
    ]) {
      const failure = await failureOf(t.tools.checkConflicts(junk as never));
      expect(failure).toMatchObject({ type: 'InvalidToolArguments', nonRetryable: true });
      expect(failure.message).not.toContain('Harbor');
    }
  });

  it('logs counts and the status, never the names', async () => {
    await t.tools.checkConflicts({
      prospectiveClient: 'Acme Freight',
      opposingParties: ['Keystone Pallets LLC'],
    });
    expect(t.logLines().at(-1)).toMatchObject({
      activity: 'checkConflicts',
      parties: 2,
      hits: 1,
      status: 'potential_conflict',
    });
    expect(JSON.stringify(t.logLines())).not.toMatch(/acme|keystone|harbor|zenith/i);
  });
});
