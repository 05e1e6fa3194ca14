import { Classification } from '../../agents';
import type { PendingReview, ReviewRecord } from '../../domain';
import { allowedDecisions, checkDecision, type OpenReview } from '../../workflows/review/rules';
import { classificationWith } from '../support/outputs';

const classification: Classification = classificationWith({
  fieldConfidence: { matterType: 0.5, urgency: 0.8, jurisdiction: 0.9, client: 0.9, opposingParties: 0.8 },
  confidence: 0.5,
  rationale: 'unsure whether this is a personal injury or an employment matter',
});

function pending(
  id: string,
  stage: string,
  options: { hasOutput?: boolean; revisable?: boolean } = {},
): PendingReview {
  const hasOutput = options.hasOutput ?? true;
  return {
    id,
    stage,
    reasons: [{ code: 'low_confidence', message: 'classifier confidence 0.50 is below the threshold 0.75' }],
    confidence: 0.5,
    requestedAt: '2026-11-25T10:00:00.000Z',
    dueAt: '2026-11-26T10:00:00.000Z',
    escalatesAt: null,
    overdue: false,
    outputMissing: !hasOutput,
    allowed: allowedDecisions(hasOutput, options.revisable ?? true),
  };
}

/** The classify review as the gate holds it: the classifier's output and its real schema. */
function classifyReview(id = 'classify-1'): OpenReview<Classification> {
  return { pending: pending(id, 'classify'), output: classification, schema: Classification };
}

/** The classify stage produced nothing usable (schema-invalid or a refusal). */
function missingOutputReview(): OpenReview<Classification> {
  return {
    pending: pending('classify-1', 'classify', { hasOutput: false }),
    output: null,
    schema: Classification,
  };
}

/** The filing review: a deadline check, nothing a reviewer could revise. */
function fileReview(): OpenReview<unknown> {
  return { pending: pending('file-1', 'file', { revisable: false }), output: {}, schema: null };
}

function decided(id: string, reviewer: string): ReviewRecord {
  return {
    ...pending(id, 'classify'),
    decision: 'approve',
    reviewer,
    comment: null,
    corrections: null,
    decidedAt: '2026-11-25T11:00:00.000Z',
    via: 'update',
  };
}

const approve = { reviewId: 'classify-1', decision: 'approve', reviewer: 'alice' };

describe('allowedDecisions', () => {
  it('offers approve, reject and revise for an output with a schema', () => {
    expect(allowedDecisions(true, true)).toEqual(['approve', 'reject', 'revise']);
  });

  it('does not offer approve when there is no output to approve', () => {
    expect(allowedDecisions(false, true)).toEqual(['reject', 'revise']);
  });

  it('does not offer revise when the stage has nothing to revise', () => {
    expect(allowedDecisions(true, false)).toEqual(['approve', 'reject']);
  });
});

describe('checkDecision', () => {
  describe('which review it answers', () => {
    it('requires the id of the pending review', () => {
      const check = checkDecision(classifyReview(), [], { decision: 'approve', reviewer: 'alice' });
      expect(check).toMatchObject({ ok: false, kind: 'invalid' });
      expect(check.ok === false && check.kind === 'invalid' && check.issues.map((i) => i.path)).toEqual([
        ['reviewId'],
      ]);
    });

    it('refuses a decision on a review already decided, and names the pending one', () => {
      const check = checkDecision(classifyReview('reason-1'), [decided('classify-1', 'bob')], approve);
      expect(check).toEqual({
        ok: false,
        kind: 'not_pending',
        message: 'review classify-1 was already decided (approve by bob); the pending review is reason-1',
        pendingReviewId: 'reason-1',
      });
    });

    it('refuses a decision on a review that does not exist', () => {
      const check = checkDecision(classifyReview(), [], { ...approve, reviewId: 'classify-9' });
      expect(check).toMatchObject({ ok: false, kind: 'not_pending', pendingReviewId: 'classify-1' });
      expect(check.ok === false && check.message).toBe(
        'review classify-9 is not pending; the pending review is classify-1',
      );
    });

    it('refuses any decision when nothing is pending', () => {
      const check = checkDecision(null, [decided('classify-1', 'bob')], approve);
      expect(check).toMatchObject({ ok: false, kind: 'not_pending', pendingReviewId: null });
      expect(check.ok === false && check.message).toMatch(/already decided.*no review is pending/);
    });
  });

  describe('what the decision says', () => {
    it.each([
      ['a decision other than approve, reject or revise', { ...approve, decision: 'escalate' }, ['decision']],
      ['an empty reviewer', { ...approve, reviewer: '' }, ['reviewer']],
      ['a reviewer of blanks', { ...approve, reviewer: '   ' }, ['reviewer']],
      ['a rejection without a reason', { ...approve, decision: 'reject' }, ['comment']],
      ['a rejection whose reason is blank', { ...approve, decision: 'reject', comment: '  ' }, ['comment']],
      ['corrections on an approval', { ...approve, corrections: { urgency: 'high' } }, ['corrections']],
      ['a revision without corrections', { ...approve, decision: 'revise' }, ['corrections']],
      [
        'a revision with empty corrections',
        { ...approve, decision: 'revise', corrections: {} },
        ['corrections'],
      ],
    ])('refuses %s', (_what, raw, path) => {
      const check = checkDecision(classifyReview(), [], raw);
      expect(check).toMatchObject({ ok: false, kind: 'invalid' });
      expect(check.ok === false && check.kind === 'invalid' && check.issues.map((i) => i.path)).toEqual([
        path,
      ]);
    });
  });

  describe('what the review accepts', () => {
    it('refuses to approve an output the stage never produced', () => {
      const check = checkDecision(missingOutputReview(), [], approve);
      expect(check).toMatchObject({ ok: false, kind: 'invalid', issues: [{ path: ['decision'] }] });
      expect(check.ok === false && check.message).toMatch(/produced no usable output.*revise.*or reject/);
    });

    it('refuses to revise a stage that has no schema to revise against', () => {
      const check = checkDecision(fileReview(), [], {
        reviewId: 'file-1',
        decision: 'revise',
        reviewer: 'alice',
        corrections: { note: 'x' },
      });
      expect(check).toMatchObject({ ok: false, kind: 'invalid', issues: [{ path: ['decision'] }] });
      expect(check.ok === false && check.message).toMatch(/cannot be revised: approve or reject/);
    });
  });

  describe('corrections', () => {
    const revise = (corrections: Record<string, unknown>) => ({
      ...approve,
      decision: 'revise',
      corrections,
    });
    const issuesOf = (corrections: Record<string, unknown>) => {
      const check = checkDecision(classifyReview(), [], revise(corrections));
      if (check.ok || check.kind !== 'invalid')
        throw new Error(`expected invalid, got ${JSON.stringify(check)}`);
      expect(check.message).toBe('the corrections do not make a valid classify output');
      return check.issues;
    };

    it('refuses an unknown field rather than dropping it', () => {
      expect(issuesOf({ urgncy: 'high' })).toEqual([
        { path: ['corrections', 'urgncy'], message: 'unknown field' },
      ]);
    });

    it('refuses an unknown field nested in a corrected object', () => {
      const client = { ...classification.client, nickname: 'Jo' };
      expect(issuesOf({ client })).toEqual([
        { path: ['corrections', 'client', 'nickname'], message: 'unknown field' },
      ]);
    });

    it('refuses corrections that break the schema, at the path of the bad value', () => {
      expect(issuesOf({ matterType: 'tax' }).map((i) => i.path)).toEqual([['corrections', 'matterType']]);
      expect(issuesOf({ confidence: 1.5 }).map((i) => i.path)).toEqual([['corrections', 'confidence']]);
      expect(issuesOf({ client: { name: 'Jordan Reyes' } }).map((i) => i.path)).toEqual([
        ['corrections', 'client', 'email'],
        ['corrections', 'client', 'phone'],
        ['corrections', 'client', 'organization'],
      ]);
    });

    it('continues with the output as corrected', () => {
      const check = checkDecision(
        classifyReview(),
        [],
        revise({ matterType: 'employment', urgency: 'high', confidence: 1 }),
      );
      expect(check).toEqual({
        ok: true,
        decision: expect.objectContaining({ decision: 'revise', reviewer: 'alice' }),
        output: { ...classification, matterType: 'employment', urgency: 'high', confidence: 1 },
      });
    });

    it('accepts a full output as the revision of a stage that produced none', () => {
      const check = checkDecision(missingOutputReview(), [], revise({ ...classification }));
      expect(check).toMatchObject({ ok: true, output: classification });
    });
  });

  it('continues with the output under review when approved', () => {
    expect(checkDecision(classifyReview(), [], approve)).toEqual({
      ok: true,
      decision: approve,
      output: classification,
    });
  });

  it('continues with nothing when rejected', () => {
    const reject = { ...approve, decision: 'reject', comment: 'not a matter we take' };
    expect(checkDecision(classifyReview(), [], reject)).toEqual({ ok: true, decision: reject, output: null });
  });

  it('records the reviewer without surrounding blanks', () => {
    const check = checkDecision(classifyReview(), [], { ...approve, reviewer: '  alice  ' });
    expect(check.ok && check.decision.reviewer).toBe('alice');
  });
});
