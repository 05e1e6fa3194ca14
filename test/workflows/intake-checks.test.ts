import type { Classification, LimitationPeriodArgs } from '../../agents';
import { senderAddress, senderName } from '../../domain';
import { conflictCheckArgs, limitationCheckArgs, limitationGaps } from '../../workflows/legal-intake/checks';
import { classificationWith } from '../support/outputs';

const classification: Classification = classificationWith({
  matterType: 'employment',
  jurisdiction: 'US-NY',
  client: { name: 'Maria Lopez', email: 'maria@example.com', phone: null, organization: null },
  opposingParties: ['Northwind Logistics Inc.'],
  keyDates: [],
  rationale: 'wrongful termination',
});

const noClient = { name: null, email: null, phone: null, organization: null };

describe('senderName', () => {
  it.each([
    ['Maria Lopez <maria@example.com>', 'Maria Lopez'],
    ['"Lopez, Maria" <maria@example.com>', 'Lopez, Maria'],
    ['  Maria Lopez  ', 'Maria Lopez'],
  ])('reads the name in %j', (from, name) => {
    expect(senderName(from)).toBe(name);
  });

  it.each([['maria@example.com'], ['<maria@example.com>'], [''], [undefined]])(
    'finds no name in %j',
    (from) => {
      expect(senderName(from)).toBeNull();
    },
  );
});

describe('senderAddress', () => {
  it.each([
    ['Maria Lopez <maria@example.com>', 'maria@example.com'],
    ['dwhitaker@acme-freight.example', 'dwhitaker@acme-freight.example'],
    ['"Lopez, Maria" <maria.lopez@firm.co.uk>', 'maria.lopez@firm.co.uk'],
  ])('reads the address in %j', (from, address) => {
    expect(senderAddress(from)).toBe(address);
  });

  it.each([['Maria Lopez'], ['<maria@localhost>'], [''], [undefined]])('finds no address in %j', (from) => {
    expect(senderAddress(from)).toBeNull();
  });
});

describe('conflictCheckArgs', () => {
  it("checks the classifier's client against every opposing party", () => {
    expect(conflictCheckArgs(classification, { from: 'Maria Lopez <maria@example.com>' })).toEqual([
      {
        args: { prospectiveClient: 'Maria Lopez', opposingParties: ['Northwind Logistics Inc.'] },
        missing: [],
      },
    ]);
  });

  it('checks the organisation as the client when there is one', () => {
    const forCompany = {
      ...classification,
      client: { ...classification.client, organization: 'Lopez Catering LLC' },
    };
    const [main] = conflictCheckArgs(forCompany, { from: 'Maria Lopez <maria@example.com>' });
    expect(main.args.prospectiveClient).toBe('Lopez Catering LLC');
  });

  it('also checks the person behind the organisation, once', () => {
    const forCompany = {
      ...classification,
      client: { ...classification.client, organization: 'Lopez Catering LLC' },
    };
    expect(
      conflictCheckArgs(forCompany, { from: 'Maria Lopez <maria@example.com>' }).map((c) => c.args),
    ).toEqual([
      { prospectiveClient: 'Lopez Catering LLC', opposingParties: ['Northwind Logistics Inc.'] },
      { prospectiveClient: 'Maria Lopez', opposingParties: [] },
    ]);
  });

  it('also checks the sender named in From: when the classifier named someone else', () => {
    const namedOther = { ...classification, client: { ...classification.client, name: 'Carlos Lopez' } };
    expect(conflictCheckArgs(namedOther, { from: 'Maria Lopez <maria@example.com>' })).toEqual([
      {
        args: { prospectiveClient: 'Carlos Lopez', opposingParties: ['Northwind Logistics Inc.'] },
        missing: [],
      },
      { args: { prospectiveClient: 'Maria Lopez', opposingParties: [] }, missing: [] },
    ]);
  });

  it('does not check the sender twice when only the case of the name differs', () => {
    expect(conflictCheckArgs(classification, { from: 'MARIA LOPEZ <maria@example.com>' })).toHaveLength(1);
  });

  it('checks the sender as the client when the classifier named no one', () => {
    expect(
      conflictCheckArgs({ ...classification, client: noClient }, { from: 'Maria Lopez <maria@example.com>' }),
    ).toEqual([
      {
        args: { prospectiveClient: 'Maria Lopez', opposingParties: ['Northwind Logistics Inc.'] },
        missing: [],
      },
    ]);
  });

  it('says the client identity is missing when neither the classifier nor From: names anyone', () => {
    expect(conflictCheckArgs({ ...classification, client: noClient }, { from: 'maria@example.com' })).toEqual(
      [
        {
          args: { prospectiveClient: null, opposingParties: ['Northwind Logistics Inc.'] },
          missing: ['client identity'],
        },
      ],
    );
    expect(conflictCheckArgs({ ...classification, client: noClient }, {})[0].missing).toEqual([
      'client identity',
    ]);
  });
});

describe('limitationCheckArgs', () => {
  const dated = (...kinds: Array<Classification['keyDates'][number]['kind']>) => ({
    ...classification,
    keyDates: kinds.map((kind, i) => ({ kind, date: `2026-0${i + 1}-15`, description: kind })),
  });

  it('takes the jurisdiction and matter type from the classification', () => {
    expect(limitationCheckArgs(classification)).toEqual({
      jurisdiction: 'US-NY',
      matterType: 'employment',
      incidentDate: null,
    });
  });

  it('counts from the incident before a termination or a contract, wherever it is listed', () => {
    expect(limitationCheckArgs(dated('contract', 'termination', 'incident')).incidentDate).toBe('2026-03-15');
  });

  it('counts from the termination when there is no incident', () => {
    expect(limitationCheckArgs(dated('contract', 'hearing', 'termination')).incidentDate).toBe('2026-03-15');
  });

  it('counts from the contract when there is neither incident nor termination', () => {
    expect(limitationCheckArgs(dated('hearing', 'contract')).incidentDate).toBe('2026-02-15');
  });

  it('has no date to count from when only hearings and deadlines are known', () => {
    expect(limitationCheckArgs(dated('hearing', 'deadline', 'other')).incidentDate).toBeNull();
  });
});

describe('limitationGaps', () => {
  const args: LimitationPeriodArgs = { jurisdiction: 'US-NY', matterType: 'employment', incidentDate: null };

  it('has no gap when the check found a deadline', () => {
    expect(
      limitationGaps({ ...args, incidentDate: '2026-03-15' }, { known: true, periodMonths: 36 }),
    ).toEqual([]);
  });

  it('names the jurisdiction when there is none', () => {
    expect(limitationGaps({ ...args, jurisdiction: null }, { known: false, periodMonths: null })).toEqual([
      'jurisdiction',
    ]);
  });

  it('names the incident date when there is a rule but no date to count from', () => {
    expect(limitationGaps(args, { known: false, periodMonths: 36 })).toEqual(['incident date']);
  });

  it('has no gap when the firm has no rule for the matter: the input was complete', () => {
    expect(limitationGaps(args, { known: false, periodMonths: null })).toEqual([]);
  });
});
