/**
 * The workflow's mandatory checks over the whole intake: each intake below is pseudonymized as the workflow's
 * first activity does it, then checked with what a classifier that missed the name would give.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import {
  MAX_CHECKED_NAMES,
  createIdentityChecks,
  type IntakeConflictsInput,
} from '../../activities/identity-checks';
import { createPersonalDataActivities } from '../../activities/personal-data';
import type { CheckConflictsResult } from '../../agents';
import { IntakeRequest } from '../../domain';
import { reidentifyValue, type PersonalDataStore } from '../../personal-data';
import { startTestDatabase, type TestDatabase } from '../db/support';
import { workflowRegistry } from '../../workflows/registry';
import { testPersonalDataStore } from '../support/encryption';

let database: TestDatabase;
let personal: PersonalDataStore;
let checks: ReturnType<typeof createIdentityChecks>;
let pseudonymizer: ReturnType<typeof createPersonalDataActivities>;
let count = 0;

beforeAll(async () => {
  database = await startTestDatabase();
  personal = testPersonalDataStore(database.db);
  checks = createIdentityChecks({ db: database.db, store: personal });
  pseudonymizer = createPersonalDataActivities({
    workflows: workflowRegistry,
    db: database.db,
    store: personal,
    config: { pseudonymization: { defaultCountry: 'US', workflows: {} } },
  });
});
afterAll(async () => {
  await database?.close();
});

const inWorkflow = <I, R>(workflowId: string, activity: (input: I) => Promise<R>, input: I): Promise<R> =>
  new MockActivityEnvironment(
    { workflowExecution: { workflowId, runId: 'run-1' } },
    { logger: new DefaultLogger('ERROR') },
  ).run(activity, input) as Promise<R>;

/** Stores and pseudonymizes the intake as a run would; returns its workflow id. */
async function received(intake: Partial<IntakeRequest> & { body: string }): Promise<string> {
  const workflowId = `legal-intake-identity-${++count}`;
  await personal.saveIntake(
    workflowId,
    IntakeRequest.parse({ externalId: `identity-${count}`, channel: 'email', ...intake }),
  );
  await inWorkflow(workflowId, pseudonymizer.pseudonymizeIntake, undefined);
  return workflowId;
}

const NOTHING_EXTRACTED: IntakeConflictsInput = {
  client: { name: null, organization: null },
  opposingParties: [],
};

/** The check's result as a reviewer reads it (re-identified), and what it lacked. */
async function conflictsOf(workflowId: string, input: IntakeConflictsInput = NOTHING_EXTRACTED) {
  const { result, missing } = await inWorkflow(workflowId, checks.checkIntakeConflicts, input);
  const clear = reidentifyValue<CheckConflictsResult>(result, await personal.loadMapping(workflowId));
  return { result, clear, missing };
}

describe('the conflict check over every identity in an intake', () => {
  it('catches a sender adverse in an open matter who signs only in the signature', async () => {
    const id = await received({
      from: 'dw1970@example.com',
      body: 'I need a lawyer about a contract my landlord broke last month.\n\nThanks,\nDaniel Whitaker\n(312) 555-0199',
    });
    const { result, clear } = await conflictsOf(id);
    expect(clear.hits).toEqual([
      expect.objectContaining({
        party: 'Daniel Whitaker',
        matchedName: 'Daniel Whitaker',
        relation: 'client_is_adverse_party',
        matterId: 'M-2004',
        source: 'signature',
        match: 'exact',
        row: { table: 'adverse_parties', id: 'AP-3005' },
        ground: 'adverse_in_open_matter',
      }),
    ]);
    // What goes back to the workflow names people by token only.
    expect(JSON.stringify(result)).not.toMatch(/Whitaker/);
  });

  it("catches a sender known only by the e-mail address's local part", async () => {
    const id = await received({
      from: 'daniel.whitaker@example.org',
      body: 'Please call me back about my case. I was hurt at work.',
    });
    const { clear } = await conflictsOf(id);
    expect(clear.hits.map((h) => [h.source, h.matchedName, h.ground])).toEqual([
      ['sender', 'Daniel Whitaker', 'adverse_in_open_matter'],
    ]);
  });

  it('catches an organisation writing from its own domain and signing as its department', async () => {
    const id = await received({
      from: 'claims@pacificcrest.example',
      body: 'We would like to retain your firm for a coverage dispute with a contractor.\n\nRegards,\nClaims Department\nPacific Crest Insurance',
    });
    const { clear } = await conflictsOf(id);
    expect(new Set(clear.hits.map((h) => h.row?.id))).toEqual(new Set(['AP-3002']));
    expect(clear.hits.map((h) => h.source)).toEqual(expect.arrayContaining(['sender', 'signature']));
  });

  it('catches an adverse party writing in under a nickname', async () => {
    const id = await received({
      from: 'Dan Whitaker <dan.w@example.net>',
      body: 'My neighbour cut down my fence. Can you help?',
    });
    const { clear } = await conflictsOf(id);
    expect(clear.hits).toEqual([
      expect.objectContaining({
        party: 'Dan Whitaker',
        matchedName: 'Daniel Whitaker',
        source: 'sender',
        match: 'nickname',
      }),
    ]);
  });

  it('catches a client of the firm named in the narrative only, as a possible conflict', async () => {
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: 'I slipped on a wet floor at the clinic run by Harbor Dental Group in Miami and broke my wrist.',
    });
    const { clear } = await conflictsOf(id, {
      client: { name: '[PERSON_1]', organization: null },
      opposingParties: [],
    });
    expect(clear.hits).toEqual([
      expect.objectContaining({
        matchedName: 'Harbor Dental Group Inc.',
        relation: 'adverse_party_is_client',
        source: 'recognized',
        ground: 'current_client',
        matterId: 'M-2003',
      }),
    ]);
  });

  it('catches a client named in Spanish text', async () => {
    const id = await received({
      from: 'Lucía Fernández <lucia.fernandez@example.com>',
      body: 'Buenos días. Quiero demandar a la clínica Harbor Dental Group por una mala praxis en Miami el mes pasado.\n\nSaludos,\nLucía Fernández',
    });
    const { clear } = await conflictsOf(id);
    expect(clear.hits.map((h) => h.matchedName)).toEqual(['Harbor Dental Group Inc.']);
  });

  it('names a former client on the other side as such', async () => {
    const id = await received({
      from: 'Priya Natarajan <priya.n@example.org>',
      body: "My business partner James O'Connor took money from our shared account. I want to sue him.",
    });
    const { clear } = await conflictsOf(id, {
      client: { name: '[PERSON_1]', organization: null },
      opposingParties: [],
    });
    expect(clear.hits).toEqual([
      expect.objectContaining({ matchedName: "James O'Connor", ground: 'former_client', matterId: null }),
    ]);
  });

  it('says where a hit came from when the model put a client on the other side', async () => {
    const id = await received({
      from: 'Priya Natarajan <priya.n@example.org>',
      body: 'I was rear-ended by a truck. A witness works at Harbor Dental Group.',
    });
    const mapping = await personal.loadMapping(id);
    const harbor = Object.keys(mapping.tokens).find((t) => mapping.tokens[t].startsWith('Harbor'))!;
    const { clear } = await conflictsOf(id, {
      client: { name: '[PERSON_1]', organization: null },
      opposingParties: [harbor],
    });
    expect(clear.hits.map((h) => [h.source, h.ground])).toEqual([['model:opposing', 'current_client']]);
  });

  it('flags nothing for an adverse party of closed matters only', async () => {
    const id = await received({
      from: 'Lone Star Title <title@lonestartitle.example>',
      body: 'We need advice on a title dispute in Austin.\n\nBest,\nLone Star Title Co.',
    });
    expect((await conflictsOf(id)).clear.hits).toEqual([]);
  });

  it('flags nothing for a party already adverse to a client (the interests are aligned)', async () => {
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: 'Acme Freight Inc. fired me after I reported safety violations. I want to sue Acme Freight.',
    });
    const mapping = await personal.loadMapping(id);
    const acme = Object.keys(mapping.tokens).find((t) => mapping.tokens[t].startsWith('Acme'))!;
    const { clear, missing } = await conflictsOf(id, {
      client: { name: '[PERSON_1]', organization: null },
      opposingParties: [acme],
    });
    expect(clear.hits).toEqual([]);
    expect(missing).toEqual([]);
  });

  it('flags nothing for names that match no row', async () => {
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: 'My doctor, Dr. Helen Park of Sunrise Orthopedics, says the injury is permanent.',
    });
    const { clear } = await conflictsOf(id);
    expect(clear.hits).toEqual([]);
    expect(clear.checkedParties).toEqual(
      expect.arrayContaining(['Jordan Reyes', expect.stringContaining('Helen Park')]),
    );
  });

  it("reads a bare address on a client's domain as that client writing", async () => {
    // A client that is also the other side of an open matter (added for this test only).
    await database.db.query(
      `INSERT INTO matters (matter_id, client_id, title, matter_type, status)
       VALUES ('M-9901', 'CL-1001', 'Northwind v. Bluebonnet', 'commercial_contract', 'open')`,
    );
    await database.db.query(
      `INSERT INTO adverse_parties (id, matter_id, name, name_normalized)
       VALUES ('AP-9901', 'M-9901', 'Bluebonnet Properties LLC', 'bluebonnet properties')`,
    );
    try {
      const id = await received({ from: 'ops@bluebonnet.example', body: 'Please call us about a lease.' });
      const { clear } = await conflictsOf(id);
      expect(clear.hits).toEqual([
        expect.objectContaining({
          party: 'Bluebonnet Properties LLC',
          source: 'sender',
          row: { table: 'adverse_parties', id: 'AP-9901' },
        }),
      ]);
    } finally {
      await database.db.query(`DELETE FROM adverse_parties WHERE id = 'AP-9901'`);
      await database.db.query(`DELETE FROM matters WHERE matter_id = 'M-9901'`);
    }
  });

  it('says when the intake names no one who could be the client', async () => {
    const id = await received({ body: 'What are your fees for a will?' });
    expect((await conflictsOf(id)).missing).toEqual(['client identity']);
  });

  it('checks a long list of names up to its cap and says how many it left', async () => {
    const first = [
      'Alice',
      'Bruno',
      'Carla',
      'Diego',
      'Elena',
      'Felix',
      'Grace',
      'Hector',
      'Irene',
      'Jonas',
      'Karen',
      'Lucas',
      'Marta',
      'Nadia',
      'Oscar',
    ];
    const last = [
      'Adams',
      'Baker',
      'Castro',
      'Duarte',
      'Ellis',
      'Foster',
      'Garcia',
      'Hughes',
      'Ibarra',
      'Jensen',
      'Keller',
    ];
    const people = first.flatMap((f) => last.map((l) => `Witness: ${f} ${l}, phone on file.`));
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: `Here is everyone who saw the accident:\n${people.join('\n')}`,
    });
    const { result, missing } = await conflictsOf(id);
    expect(result.checkedParties.length).toBeLessThanOrEqual(MAX_CHECKED_NAMES);
    expect(missing).toEqual([
      expect.stringMatching(/^a check of every name \(\d+ found, the first 120 checked\)$/),
    ]);
  });
});

describe('the limitation check over every date an intake writes', () => {
  it('counts from a date only the narrative gives', async () => {
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: 'A delivery truck hit my car on January 15, 2025 in Los Angeles. My back still hurts.',
    });
    const { candidates, missing } = await inWorkflow(id, checks.limitationCandidates, {
      jurisdiction: 'US-CA',
      matterType: 'personal_injury',
      incidentDate: null,
      asOf: '2026-12-07',
    });
    expect(missing).toEqual([]);
    expect(candidates).toEqual([
      expect.objectContaining({
        candidate: { date: '2025-01-15', source: 'recognized', rule: 'classified' },
        result: expect.objectContaining({ known: true, deadline: '2027-01-15', daysRemaining: 39 }),
      }),
    ]);
  });

  it("skips the classifier's own incident date, dates of birth and dates still to come", async () => {
    const id = await received({
      from: 'Jordan Reyes <jordan.reyes@example.org>',
      body: 'I was born on 04/22/1981. The crash was on 2025-01-15; the hearing is on March 3, 2027. El médico me vio el 2 de febrero de 2025.',
    });
    const { candidates } = await inWorkflow(id, checks.limitationCandidates, {
      jurisdiction: 'US-CA',
      matterType: 'personal_injury',
      incidentDate: '2025-01-15',
      asOf: '2026-12-07',
    });
    expect(candidates.map((c) => c.candidate.date)).toEqual(['2025-02-02']);
  });

  it('uses the shortest period on file for the jurisdiction when the matter type has none', async () => {
    const id = await received({ body: 'Something happened on 2024-06-01 in Texas.' });
    const { rows } = await database.db.query<{ matter_type: string; period_months: number }>(
      "SELECT matter_type, period_months FROM limitation_rules WHERE jurisdiction = 'US-TX' ORDER BY period_months, matter_type",
    );
    const { candidates } = await inWorkflow(id, checks.limitationCandidates, {
      jurisdiction: 'US-TX',
      matterType: 'other',
      incidentDate: null,
      asOf: '2026-12-07',
    });
    expect(candidates).toEqual([
      expect.objectContaining({
        candidate: { date: '2024-06-01', source: 'recognized', rule: 'shortest' },
        result: expect.objectContaining({ periodMonths: rows[0].period_months }),
      }),
    ]);
  });
});
