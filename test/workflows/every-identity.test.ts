/**
 * The mandatory checks over the whole intake, through the real workflow and the simulated models: a name or
 * a date the classifier missed is still checked, and the reviewer is asked once for what the checks lack.
 */
import { IntakeRequest, type GateReason } from '../../domain';
import { reidentifyValue } from '../../personal-data';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { decideReviewUpdate } from '../../workflows/messages';
import { exampleIntake, waitForStatus, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.close();
});

const SPANISH_MONTHS = [
  'enero',
  'febrero',
  'marzo',
  'abril',
  'mayo',
  'junio',
  'julio',
  'agosto',
  'septiembre',
  'octubre',
  'noviembre',
  'diciembre',
];

/**
 * Approves every review until one gives `code` or the run ends; returns that review's reasons (re-identified,
 * as a reviewer reads them) and the reviews approved on the way.
 */
async function reviewGiving(workflowId: string, code: GateReason['code']) {
  const handle = stack.client.workflow.getHandle(workflowId);
  const seen: LegalIntakeStatus['reviewHistory'] = [];
  for (;;) {
    const status = await waitForStatus(stack.client, workflowId, (s) => s.status !== 'running');
    if (status.status !== 'awaiting_review') return { reasons: null, status, seen };
    const mapping = await stack.personal.loadMapping(workflowId);
    const reasons = reidentifyValue(status.review!.reasons, mapping);
    if (reasons.some((r) => r.code === code)) return { reasons, status, seen };
    seen.push(status.review as never);
    await handle.executeUpdate(decideReviewUpdate, {
      args: [
        { reviewId: status.review!.id, decision: 'approve', reviewer: 'test-approver', comment: 'go on' },
      ],
    });
  }
}

describe('the mandatory checks over the whole intake', () => {
  it("stops for a conflict named only in the e-mail's signature", async () => {
    const intake = IntakeRequest.parse({
      externalId: 'identity-signature-1',
      channel: 'email',
      from: 'dw1970@example.com',
      subject: 'Landlord kept my deposit',
      body: 'Hello,\n\nMy landlord in Chicago kept my whole deposit when I moved out last month. Can you help me get it back?\n\nThanks,\nDaniel Whitaker\n(312) 555-0199',
    });
    const { workflowId } = await startLegalIntake(stack, intake);
    const { reasons } = await reviewGiving(workflowId, 'potential_conflict');

    const conflict = reasons!.find((r) => r.code === 'potential_conflict')!;
    const hits = (conflict.evidence as { hits: Array<Record<string, unknown>> }).hits;
    expect(hits).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          party: 'Daniel Whitaker',
          source: 'signature',
          row: { table: 'adverse_parties', id: 'AP-3005' },
          ground: 'adverse_in_open_matter',
        }),
      ]),
    );
    await stack.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });

  it('counts the limitation period from a date only the narrative writes', async () => {
    // An accident 24 months less ten days ago, written in Spanish where the simulated classifier reads no
    // date: California's two years end in ten days.
    const when = new Date();
    when.setUTCMonth(when.getUTCMonth() - 24);
    when.setUTCDate(when.getUTCDate() + 10);
    const written = `${when.getUTCDate()} de ${SPANISH_MONTHS[when.getUTCMonth()]} de ${when.getUTCFullYear()}`;
    const iso = when.toISOString().slice(0, 10);
    const example = exampleIntake('clear-personal-injury');
    const intake = IntakeRequest.parse({
      ...example,
      externalId: 'identity-date-1',
      body: example.body.replace(
        'On 2026-09-14 I was injured',
        `Some time ago I was injured (el accidente fue el ${written})`,
      ),
    });
    const { workflowId } = await startLegalIntake(stack, intake);
    const { reasons } = await reviewGiving(workflowId, 'limitation_imminent');

    const deadline = reasons!.find((r) => r.code === 'limitation_imminent')!;
    expect(deadline.evidence).toMatchObject({
      candidate: { date: iso, source: 'recognized', rule: 'classified' },
      matterType: 'personal_injury',
    });
    expect((deadline.evidence as { daysRemaining: number }).daysRemaining).toBeLessThanOrEqual(30);
    await stack.client.workflow.getHandle(workflowId).terminate('test cleanup');
  });

  it('asks at the classification for what the checks would lack, and not again after approval', async () => {
    const { workflowId } = await startLegalIntake(stack, exampleIntake('ambiguous'));
    const handle = stack.client.workflow.getHandle(workflowId);
    const first = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
    expect(first.review?.id).toBe('classify-1');
    const ask = first.review!.reasons.find((r) => r.code === 'check_incomplete');
    expect(ask?.evidence).toEqual({
      check: 'classification',
      missing: ['client identity', 'jurisdiction'],
      fields: ['client.name', 'client.organization', 'jurisdiction'],
    });

    await handle.executeUpdate(decideReviewUpdate, {
      args: [
        {
          reviewId: 'classify-1',
          decision: 'approve',
          reviewer: 'test-approver',
          comment: 'no more to go on',
        },
      ],
    });
    const next = await waitForStatus(
      stack.client,
      workflowId,
      (s) => s.status !== 'running' && s.review?.id !== 'classify-1',
    );
    const askedAgain = (next.review?.reasons ?? [])
      .filter((r) => r.code === 'check_incomplete')
      .flatMap((r) => (r.evidence as { missing: string[] }).missing);
    expect(askedAgain).not.toContain('client identity');
    expect(askedAgain).not.toContain('jurisdiction');
    if (next.status === 'awaiting_review') await handle.terminate('test cleanup');
  });
});
