import { Tier, type Candidate } from '../candidates';
import { InvalidPatternError, type ExtraPattern } from '../settings';
import { matchAll } from '../text';

/** Spans of the configured patterns; with a named group `value`, only that group is replaced. */
export function findExtraPatterns(text: string, patterns: readonly ExtraPattern[]): Candidate[] {
  const found: Candidate[] = [];
  patterns.forEach((extra, index) => {
    let regex: RegExp;
    try {
      regex = new RegExp(extra.pattern, `${(extra.flags ?? '').replace(/[gdy]/g, '')}gd`);
    } catch {
      throw new InvalidPatternError(index);
    }
    for (const match of matchAll(text, regex)) {
      const [start, end] = match.indices?.groups?.value ?? [match.index, match.index + match[0].length];
      if (end > start) found.push({ start, end, category: extra.category, tier: Tier.fixed });
    }
  });
  return found;
}
