import { z } from 'zod';
import { PII_CATEGORIES, type PiiCategory } from './categories';
import { pseudonymizeTexts, type PseudonymizeContext, type Replacement } from './pseudonymize';
import { wholeWordSource } from './text';

/**
 * One intake of the labeled set (`test/fixtures/pii/*.jsonl`): its texts and every identifier in them.
 * `entities` lists each written form that must not stay in clear ("Maria Lopez", and "Lopez" where it
 * stands alone); `keep` lists phrases that must stay as they are (incident dates, amounts, statutes);
 * `same` lists groups of written forms that are one identity and must share one token ("Kevin Osei",
 * "Mr. Osei").
 */
export const LabeledIntake = z.object({
  id: z.string().min(1),
  channel: z.enum(['email', 'web', 'phone']).optional(),
  from: z.string().optional(),
  text: z.string().min(1),
  entities: z.array(z.object({ category: z.enum(PII_CATEGORIES), value: z.string().min(1) })),
  keep: z.array(z.string().min(1)).default([]),
  same: z.array(z.array(z.string().min(1)).min(2)).default([]),
});
export type LabeledIntake = z.infer<typeof LabeledIntake>;

export interface CategoryScore {
  category: PiiCategory;
  /** labeled identifiers */
  labeled: number;
  /** labeled identifiers replaced by a token of their category and left nowhere in clear */
  found: number;
  /** spans replaced with a token of this category */
  replaced: number;
  /** replaced spans that cover a labeled identifier of this category */
  correct: number;
  recall: number;
  precision: number;
}

export interface Measurement {
  intakes: number;
  byCategory: CategoryScore[];
  total: CategoryScore;
  /** labeled identifiers not found */
  misses: Array<{ id: string; category: PiiCategory; value: string }>;
  /** replaced spans that are not a labeled identifier of their category */
  falsePositives: Array<{ id: string; category: PiiCategory; text: string }>;
  /** `keep` phrases that did not survive */
  damaged: Array<{ id: string; text: string }>;
  /** replaced spans that took more than the identifier they cover (a word of the sentence after it) */
  overreach: Array<{ id: string; category: PiiCategory; text: string }>;
  /** `same` groups, and those whose forms all got one token */
  identities: { groups: number; consistent: number; split: Array<{ id: string; forms: string[] }> };
}

interface Part {
  input: string;
  output: string;
  replacements: Replacement[];
}

/**
 * Runs `pseudonymizeTexts` over each intake (sender and text under one mapping, as a workflow would) and
 * scores it against the labels. An identifier is found when every occurrence of it is replaced, at least
 * one by a token of its category, and it appears nowhere in clear in the output. A false positive is a
 * replaced span that overlaps no labeled identifier of its category.
 */
export function measureRecall(
  intakes: readonly LabeledIntake[],
  context: Omit<PseudonymizeContext, 'mapping'> = {},
): Measurement {
  const counts = new Map<PiiCategory, { labeled: number; found: number; replaced: number; correct: number }>(
    PII_CATEGORIES.map((category) => [category, { labeled: 0, found: 0, replaced: 0, correct: 0 }]),
  );
  const result: Measurement = {
    intakes: intakes.length,
    byCategory: [],
    total: score('PERSON', 0, 0, 0, 0),
    misses: [],
    falsePositives: [],
    damaged: [],
    overreach: [],
    identities: { groups: 0, consistent: 0, split: [] },
  };

  for (const intake of intakes) {
    const inputs = [intake.from, intake.text].filter((input): input is string => input !== undefined);
    const done = pseudonymizeTexts(inputs, context);
    const parts: Part[] = inputs.map((input, i) => ({
      input,
      output: done.texts[i],
      replacements: done.replacements[i],
    }));

    for (const entity of intake.entities) {
      const count = counts.get(entity.category)!;
      count.labeled += 1;
      const occurrences = parts.flatMap((part) =>
        occurrencesOf(part.input, entity.value).map((span) => ({ part, span })),
      );
      if (occurrences.length === 0) {
        throw new Error(
          `${intake.id}: labeled ${entity.category} "${entity.value}" does not occur in the intake`,
        );
      }
      const covered = occurrences.every(({ part, span }) => isCovered(part.input, span, part.replacements));
      const rightKind = occurrences.some(({ part, span }) =>
        part.replacements.some((r) => r.category === entity.category && overlaps(span, r)),
      );
      const inClear = parts.some((part) => occurrencesOf(part.output, entity.value).length > 0);
      if (covered && rightKind && !inClear) count.found += 1;
      else result.misses.push({ id: intake.id, category: entity.category, value: entity.value });
    }

    for (const part of parts) {
      for (const replacement of part.replacements) {
        const count = counts.get(replacement.category)!;
        count.replaced += 1;
        const labeled = intake.entities.some(
          (entity) =>
            entity.category === replacement.category &&
            occurrencesOf(part.input, entity.value).some((span) => overlaps(span, replacement)),
        );
        if (labeled) {
          count.correct += 1;
          const rest = uncoveredText(
            part.input,
            replacement,
            intake.entities.map((entity) => entity.value),
          );
          if (/[\p{L}\p{N}]{2,}/u.test(rest)) {
            result.overreach.push({
              id: intake.id,
              category: replacement.category,
              text: part.input.slice(replacement.start, replacement.end),
            });
          }
        } else {
          result.falsePositives.push({
            id: intake.id,
            category: replacement.category,
            text: part.input.slice(replacement.start, replacement.end),
          });
        }
      }
    }

    for (const group of intake.same) {
      result.identities.groups += 1;
      const tokens = new Set(
        group.flatMap((form) =>
          parts.flatMap((part) =>
            occurrencesOf(part.input, form).flatMap((span) =>
              part.replacements
                .filter((r) => (r.category === 'PERSON' || r.category === 'ORG') && overlaps(span, r))
                .map((r) => r.token),
            ),
          ),
        ),
      );
      if (tokens.size === 1) result.identities.consistent += 1;
      else result.identities.split.push({ id: intake.id, forms: group });
    }

    for (const phrase of intake.keep) {
      if (!parts.some((part) => part.output.includes(phrase)))
        result.damaged.push({ id: intake.id, text: phrase });
    }
  }

  result.byCategory = PII_CATEGORIES.map((category) => {
    const c = counts.get(category)!;
    return score(category, c.labeled, c.found, c.replaced, c.correct);
  });
  const sum = (field: 'labeled' | 'found' | 'replaced' | 'correct') =>
    result.byCategory.reduce((total, row) => total + row[field], 0);
  result.total = score('PERSON', sum('labeled'), sum('found'), sum('replaced'), sum('correct'));
  return result;
}

function score(
  category: PiiCategory,
  labeled: number,
  found: number,
  replaced: number,
  correct: number,
): CategoryScore {
  return {
    category,
    labeled,
    found,
    replaced,
    correct,
    recall: labeled === 0 ? 1 : found / labeled,
    precision: replaced === 0 ? 1 : correct / replaced,
  };
}

/** The measurement as a table: one row per category and a total. */
export function formatMeasurement(measurement: Measurement): string {
  const percent = (value: number) => `${(value * 100).toFixed(1)}%`;
  const rows = [
    ['category', 'labeled', 'found', 'recall', 'replaced', 'correct', 'precision'],
    ...measurement.byCategory.map((row) => [
      row.category,
      String(row.labeled),
      String(row.found),
      percent(row.recall),
      String(row.replaced),
      String(row.correct),
      percent(row.precision),
    ]),
    [
      'all',
      String(measurement.total.labeled),
      String(measurement.total.found),
      percent(measurement.total.recall),
      String(measurement.total.replaced),
      String(measurement.total.correct),
      percent(measurement.total.precision),
    ],
  ];
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  const line = (row: string[]) =>
    `| ${row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]) : cell.padStart(widths[column]))).join(' | ')} |`;
  const rule = `|${widths.map((width, column) => (column === 0 ? '-'.repeat(width + 2) : `${'-'.repeat(width + 1)}:`)).join('|')}|`;
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}

function occurrencesOf(text: string, value: string): Array<{ start: number; end: number }> {
  const regex = new RegExp(wholeWordSource(value), 'giu');
  return [...text.matchAll(regex)].map((match) => ({
    start: match.index!,
    end: match.index! + match[0].length,
  }));
}

function overlaps(a: { start: number; end: number }, b: { start: number; end: number }): boolean {
  return a.start < b.end && b.start < a.end;
}

/** The text of a replaced span outside every labeled value in it. */
function uncoveredText(
  input: string,
  span: { start: number; end: number },
  values: readonly string[],
): string {
  const covered = new Array<boolean>(span.end - span.start).fill(false);
  for (const value of values) {
    for (const occurrence of occurrencesOf(input, value)) {
      for (let i = Math.max(occurrence.start, span.start); i < Math.min(occurrence.end, span.end); i++) {
        covered[i - span.start] = true;
      }
    }
  }
  return [...input.slice(span.start, span.end)].map((char, i) => (covered[i] ? ' ' : char)).join('');
}

/** Every letter and digit of the span is inside a replaced span (a trailing full stop may stay). */
function isCovered(
  text: string,
  span: { start: number; end: number },
  replacements: readonly Replacement[],
): boolean {
  for (let i = span.start; i < span.end; i++) {
    if (!/[\p{L}\p{N}]/u.test(text[i])) continue;
    if (!replacements.some((r) => r.start <= i && i < r.end)) return false;
  }
  return true;
}
