import {
  describeMeasurement,
  HOLDOUT_DIR,
  LABELED_SET_DIR,
  loadLabeledIntakes,
  measureSet,
} from '../../scripts/pii-recall';

describe('recall and precision over the labeled intakes (npm run pii:recall)', () => {
  const labeled = measureSet(LABELED_SET_DIR);
  const holdout = measureSet(HOLDOUT_DIR);

  afterAll(() => {
    console.log(
      `${describeMeasurement('Labeled set', labeled, true)}\n\n${describeMeasurement('Held out', holdout, true)}`,
    );
  });

  it('has at least 40 intakes from e-mail, web forms and phone calls, with negatives to keep', () => {
    const intakes = loadLabeledIntakes(LABELED_SET_DIR);
    expect(intakes.length).toBeGreaterThanOrEqual(40);
    expect(new Set(intakes.map((intake) => intake.channel))).toEqual(new Set(['email', 'web', 'phone']));
    expect(new Set(intakes.map((intake) => intake.id)).size).toBe(intakes.length);
    expect(intakes.some((intake) => intake.entities.length === 0)).toBe(true);
    expect(intakes.flatMap((intake) => intake.keep).length).toBeGreaterThan(100);
  });

  it.each(['PERSON', 'ORG', 'EMAIL', 'PHONE'])('finds every %s of the labeled set', (category) => {
    const row = labeled.byCategory.find((score) => score.category === category)!;
    expect(labeled.misses.filter((miss) => miss.category === category)).toEqual([]);
    expect(row.recall).toBe(1);
  });

  it('replaces none of the negatives: dates, amounts, statutes, products, street-like phrases', () => {
    expect(labeled.damaged).toEqual([]);
    expect(labeled.falsePositives).toEqual([]);
  });

  it('gives each person or organisation written several ways one token', () => {
    expect(labeled.identities.split).toEqual([]);
  });

  it('stays near its measured level on the held-out intakes it was not developed on', () => {
    expect(holdout.total.recall).toBeGreaterThanOrEqual(0.9);
    expect(holdout.total.precision).toBeGreaterThanOrEqual(0.95);
  });
});
