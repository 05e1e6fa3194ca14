import type { PiiCategory } from './categories';
import { matchAll } from './text';

/**
 * Which detector wins when spans overlap: lower first. Within a tier the longer span wins, then the
 * surer source (`rank`, lower first).
 */
export const Tier = {
  /** an existing token in the text, or a pattern from config */
  fixed: 0,
  email: 1,
  /** numbers introduced by a keyword ("Case No.", "account", "SSN"), card numbers, IBANs */
  keyed: 2,
  phone: 3,
  /** addresses, dates of birth, case numbers by their shape */
  shaped: 4,
  names: 5,
} as const;

/** One span a detector wants replaced. */
export interface Candidate {
  start: number;
  end: number;
  category: PiiCategory;
  tier: number;
  /** among names: 0 sender/form/signature/directory, 1 a known name's variant, 2 a phrase rule, 3 the recognizer */
  rank?: number;
  /** the value's normalised form, when the detector knows it better than `normaliseValue` */
  key?: string;
  /** the value `reidentify` puts back, when it is not the span's text */
  value?: string;
  /** a variant of a known name: it takes that name's token ("Ms. Lopez" → Maria Lopez's) */
  aliasOf?: { category: PiiCategory; key: string; value: string };
  /** a span that must stay as it is (an existing token) */
  keep?: boolean;
}

/** Keeps the winning candidate wherever spans overlap, in text order. */
export function resolveOverlaps(candidates: readonly Candidate[]): Candidate[] {
  const ordered = [...candidates].sort(
    (a, b) =>
      a.tier - b.tier ||
      b.end - b.start - (a.end - a.start) ||
      (a.rank ?? 9) - (b.rank ?? 9) ||
      a.start - b.start,
  );
  const taken: Candidate[] = [];
  for (const candidate of ordered) {
    if (candidate.end <= candidate.start) continue;
    if (taken.some((other) => candidate.start < other.end && other.start < candidate.end)) continue;
    taken.push(candidate);
  }
  return taken.sort((a, b) => a.start - b.start);
}

/** Every whole match of each pattern, as a candidate of one category and tier. */
export function matchesAs(
  text: string,
  patterns: readonly RegExp[],
  category: PiiCategory,
  tier: number,
): Candidate[] {
  return patterns.flatMap((regex) =>
    [...matchAll(text, regex)].map((match) => ({
      start: match.index,
      end: match.index + match[0].length,
      category,
      tier,
    })),
  );
}
