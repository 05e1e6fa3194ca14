import { ReviewDecision, ReviewDecisionBody } from '../../domain/review';

const approve = { reviewId: 'classify-1', decision: 'approve', reviewer: 'alice' };
const approveBody = { reviewId: 'classify-1', decision: 'approve' };

/** Where a refused decision's problems are, as the API reports them. */
function refusedAt(result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) {
  expect(result.success).toBe(false);
  return [...new Set(result.error!.issues.map((issue) => issue.path.join('.')))];
}

describe('ReviewDecision', () => {
  it('accepts an approval that names its review and reviewer', () => {
    expect(ReviewDecision.parse(approve)).toEqual(approve);
  });

  it('accepts a rejection with a reason and a revision with corrections', () => {
    expect(
      ReviewDecision.safeParse({ ...approve, decision: 'reject', comment: 'outside our practice' }).success,
    ).toBe(true);
    expect(
      ReviewDecision.safeParse({ ...approve, decision: 'revise', corrections: { urgency: 'high' } }).success,
    ).toBe(true);
  });

  it('trims the reviewer', () => {
    expect(ReviewDecision.parse({ ...approve, reviewer: '  alice ' }).reviewer).toBe('alice');
  });

  it.each([
    ['a decision without a review id', { decision: 'approve', reviewer: 'alice' }, ['reviewId']],
    ['an empty review id', { ...approve, reviewId: '' }, ['reviewId']],
    ['a review id that is not one the workflow makes', { ...approve, reviewId: 'Classify 1' }, ['reviewId']],
    [
      'a decision kind other than approve, reject or revise',
      { ...approve, decision: 'escalate' },
      ['decision'],
    ],
    ['a decision without a reviewer', { reviewId: 'classify-1', decision: 'approve' }, ['reviewer']],
    ['a reviewer of blanks', { ...approve, reviewer: '   ' }, ['reviewer']],
    ['a rejection without a reason', { ...approve, decision: 'reject' }, ['comment']],
    ['a rejection whose reason is blank', { ...approve, decision: 'reject', comment: ' \n ' }, ['comment']],
    ['corrections on an approval', { ...approve, corrections: { urgency: 'high' } }, ['corrections']],
    [
      'corrections on a rejection',
      { ...approve, decision: 'reject', comment: 'no', corrections: { urgency: 'high' } },
      ['corrections'],
    ],
    ['a revision without corrections', { ...approve, decision: 'revise' }, ['corrections']],
    [
      'a revision with empty corrections',
      { ...approve, decision: 'revise', corrections: {} },
      ['corrections'],
    ],
    ['an unknown field', { ...approve, approvedBy: 'alice' }, ['']],
  ])('refuses %s', (_what, raw, paths) => {
    expect(refusedAt(ReviewDecision.safeParse(raw))).toEqual(paths);
  });

  it('tells a caller to name the review, and what a review id looks like', () => {
    const missing = ReviewDecision.safeParse({ ...approve, reviewId: '' });
    expect(missing.error?.issues[0].message).toBe('name the review you decide (its id is in the status)');
    const malformed = ReviewDecision.safeParse({ ...approve, reviewId: 'Classify 1' });
    expect(malformed.error?.issues.map((issue) => issue.message)).toEqual([
      'a review id looks like classify-1',
    ]);
  });
});

describe('ReviewDecisionBody', () => {
  it('accepts a decision without a reviewer: the API key names the reviewer', () => {
    expect(ReviewDecisionBody.parse(approveBody)).toEqual(approveBody);
  });

  it('refuses a reviewer in the body, so no caller can decide in another name', () => {
    expect(refusedAt(ReviewDecisionBody.safeParse(approve))).toEqual(['']);
  });

  it.each([
    ['a rejection without a reason', { ...approveBody, decision: 'reject' }, ['comment']],
    ['corrections on an approval', { ...approveBody, corrections: { urgency: 'high' } }, ['corrections']],
    ['a revision without corrections', { ...approveBody, decision: 'revise' }, ['corrections']],
  ])('refuses %s, like the decision itself', (_what, raw, paths) => {
    expect(refusedAt(ReviewDecisionBody.safeParse(raw))).toEqual(paths);
  });
});
