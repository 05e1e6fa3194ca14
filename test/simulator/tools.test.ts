import { Assessment, Classification, Draft, LEGAL_TOOLS } from '../../agents';
import {
  CLEAR_INTAKE,
  COMMERCIAL_INTAKE,
  REASONER_TOOLS,
  assess,
  classify,
  draft,
  simulatorForThisFile,
  reasonerMessage,
  toolRound,
  type Intake,
} from './agent-requests';

const sim = simulatorForThisFile();

const CLEAR_CONFLICTS = {
  status: 'clear',
  hits: [],
  checkedParties: ['Maria Lopez', 'Harbor Freightways Inc'],
};
const KNOWN_LIMITATION = {
  known: true,
  periodMonths: 24,
  deadline: '2028-03-14',
  daysRemaining: 475,
  basis: 'Cal. Civ. Proc. Code § 335.1',
  asOf: '2026-11-25',
};

/** Classifies the intake and runs the reasoner's first turn. */
async function firstReasonerTurn(intake: Intake) {
  const classification = Classification.parse((await classify(sim.client, intake)).choices[0].message.parsed);
  const userMessage = reasonerMessage(classification, intake);
  const turn = await assess(sim.client, userMessage);
  return { classification, userMessage, turn, calls: turn.choices[0].message.tool_calls ?? [] };
}

describe('the reasoner with tools', () => {
  it('calls every offered tool first, with arguments that fit the tool schemas', async () => {
    const { turn, calls } = await firstReasonerTurn(COMMERCIAL_INTAKE);

    expect(turn.choices[0].finish_reason).toBe('tool_calls');
    expect(turn.choices[0].message.content).toBeNull();
    const args = Object.fromEntries(
      calls.map((call) => {
        const tool =
          call.type === 'function' ? LEGAL_TOOLS.find((spec) => spec.name === call.function.name) : undefined;
        if (!tool || call.type !== 'function') throw new Error(`unexpected call ${call.id}`);
        expect(call.id).toMatch(/^call_[0-9a-f]+$/);
        return [call.function.name, tool.args.parse(JSON.parse(call.function.arguments))];
      }),
    );
    expect(Object.keys(args).sort()).toEqual(['checkConflicts', 'limitationPeriod', 'lookupClient']);
    expect(args.lookupClient).toEqual({ name: 'Priya Natarajan', email: 'p.natarajan@acmefreight.example' });
    expect(args.checkConflicts).toEqual({
      prospectiveClient: 'Acme Freight Inc',
      opposingParties: ['Keystone Pallets LLC'],
    });
    expect(args.limitationPeriod).toEqual({
      jurisdiction: 'US-IL',
      matterType: 'commercial_contract',
      incidentDate: '2026-08-01',
    });
  });

  it('reports the potential conflict the conflict check found', async () => {
    const { userMessage, calls } = await firstReasonerTurn(COMMERCIAL_INTAKE);
    const results = {
      lookupClient: { matches: [] },
      checkConflicts: {
        status: 'potential_conflict',
        hits: [
          {
            party: 'Keystone Pallets LLC',
            matchedName: 'Keystone Pallets LLC',
            relation: 'adverse_party_is_client',
            matterId: 'M-2024-017',
            score: 1,
          },
        ],
        checkedParties: ['Acme Freight Inc', 'Keystone Pallets LLC'],
      },
      limitationPeriod: { ...KNOWN_LIMITATION, deadline: '2032-08-01', daysRemaining: 2076 },
    };
    const answer = await assess(sim.client, userMessage, toolRound(calls, results));
    const assessment = Assessment.parse(answer.choices[0].message.parsed);

    expect(answer.choices[0].finish_reason).toBe('stop');
    expect(assessment.conflictStatus).toBe('potential_conflict');
    expect(assessment.conflictDetails).toMatch(/Keystone Pallets LLC/);
    expect(assessment.recommendedQueue).toBe('commercial');
    expect(assessment.limitationDeadline).toBe('2032-08-01');
    expect(assessment.risks.join(' ')).toMatch(/conflict/i);
  });

  it('is confident when the tools answered clearly, and names an existing client only on an exact match', async () => {
    const { userMessage, calls } = await firstReasonerTurn(CLEAR_INTAKE);
    const lookup = (score: number) => ({
      matches: [
        { clientId: 'C-1001', name: 'Maria Lopez', email: 'maria.lopez@example.com', kind: 'person', score },
      ],
    });
    const exact = Assessment.parse(
      (
        await assess(
          sim.client,
          userMessage,
          toolRound(calls, {
            lookupClient: lookup(1),
            checkConflicts: CLEAR_CONFLICTS,
            limitationPeriod: KNOWN_LIMITATION,
          }),
        )
      ).choices[0].message.parsed,
    );
    const similar = Assessment.parse(
      (
        await assess(
          sim.client,
          userMessage,
          toolRound(calls, {
            lookupClient: lookup(0.8),
            checkConflicts: CLEAR_CONFLICTS,
            limitationPeriod: KNOWN_LIMITATION,
          }),
        )
      ).choices[0].message.parsed,
    );

    expect(exact.conflictStatus).toBe('clear');
    expect(exact.existingClientId).toBe('C-1001');
    expect(exact.limitationDeadline).toBe('2028-03-14');
    expect(exact.recommendedQueue).toBe('personal-injury');
    expect(exact.confidence).toBeGreaterThanOrEqual(0.85);
    expect(similar.existingClientId).toBeNull();
  });

  it('is less sure when no limitation rule is known, and says why', async () => {
    const { userMessage, calls } = await firstReasonerTurn(CLEAR_INTAKE);
    const unknown = {
      known: false,
      periodMonths: null,
      deadline: null,
      daysRemaining: null,
      basis: 'no rule',
      asOf: '2026-11-25',
    };
    const withLimitation = async (limitationPeriod: unknown) =>
      Assessment.parse(
        (
          await assess(
            sim.client,
            userMessage,
            toolRound(calls, {
              lookupClient: { matches: [] },
              checkConflicts: CLEAR_CONFLICTS,
              limitationPeriod,
            }),
          )
        ).choices[0].message.parsed,
      );
    const known = await withLimitation(KNOWN_LIMITATION);
    const notKnown = await withLimitation(unknown);

    expect(known.confidence).toBeGreaterThanOrEqual(0.85);
    expect(notKnown.confidence).toBeLessThan(0.8);
    expect(notKnown.limitationDeadline).toBeNull();
    expect(notKnown.risks.join(' ')).toMatch(/limitation/i);
    expect(notKnown.rationale).toMatch(/limitation unknown/);
  });

  it('is unsure when a required tool failed or was never run', async () => {
    const { userMessage, calls } = await firstReasonerTurn(CLEAR_INTAKE);
    const answer = await assess(
      sim.client,
      userMessage,
      toolRound(calls, { lookupClient: { matches: [] }, limitationPeriod: KNOWN_LIMITATION }),
    );
    const assessment = Assessment.parse(answer.choices[0].message.parsed);

    expect(assessment.confidence).toBeLessThan(0.6);
  });

  it('calls no tool when tool_choice is none, and only the named one when a function is named', async () => {
    const { userMessage } = await firstReasonerTurn(CLEAR_INTAKE);
    const base = { model: 'o1-2024-12-17', messages: [{ role: 'user' as const, content: userMessage }] };
    const tools = REASONER_TOOLS;

    const none = await sim.client.chat.completions.create({ ...base, tools, tool_choice: 'none' });
    const named = await sim.client.chat.completions.create({
      ...base,
      tools,
      tool_choice: { type: 'function', function: { name: 'checkConflicts' } },
    });

    expect(none.choices[0].message.tool_calls).toBeUndefined();
    expect(
      named.choices[0].message.tool_calls?.map((c) => (c.type === 'function' ? c.function.name : c.type)),
    ).toEqual(['checkConflicts']);
  });
});

describe('the drafter', () => {
  it('drafts a summary and an acknowledgement that confirm receipt and promise nothing', async () => {
    const { userMessage, calls, classification } = await firstReasonerTurn(CLEAR_INTAKE);
    const results = {
      lookupClient: { matches: [] },
      checkConflicts: CLEAR_CONFLICTS,
      limitationPeriod: KNOWN_LIMITATION,
    };
    const assessment = Assessment.parse(
      (await assess(sim.client, userMessage, toolRound(calls, results))).choices[0].message.parsed,
    );
    const drafts = Draft.parse(
      (await draft(sim.client, classification, assessment, CLEAR_INTAKE)).choices[0].message.parsed,
    );

    expect(drafts.matterSummary).toMatch(/personal_injury/);
    expect(drafts.matterSummary).toMatch(/Harbor Freightways Inc/);
    expect(drafts.clientAcknowledgement.body).toMatch(/^Dear Maria Lopez,/);
    expect(drafts.clientAcknowledgement.body).not.toMatch(
      /guarantee|will win|agreed to (represent|act for) you/i,
    );
    expect(drafts.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it('is less sure when it has only the enquiry to go on', async () => {
    const drafts = Draft.parse((await draft(sim.client, null, null, CLEAR_INTAKE)).choices[0].message.parsed);
    expect(drafts.confidence).toBeLessThan(0.85);
  });
});
