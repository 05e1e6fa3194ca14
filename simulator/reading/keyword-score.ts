import { FALLBACK_VALUES, KEYWORDS } from './keywords';

/** How well the text supports one enum value: the distinct keywords found for it. */
export interface ValueScore {
  value: string;
  hits: string[];
}

/** An enum choice with the evidence behind it. */
export interface EnumChoice {
  value: string | null;
  hits: string[];
  /** Distinct hits of the winner and of the runner-up: the margin is what confidence is made of. */
  best: number;
  second: number;
}

const patterns = new Map<string, RegExp>();

/** Whether `keyword` occurs as a word or phrase (plural and -ed/-ing forms included). */
export function mentions(text: string, keyword: string): boolean {
  let regex = patterns.get(keyword);
  if (!regex) {
    const escaped = keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
    const caseSensitive = /^[A-Z]{2,4}$/.test(keyword);
    regex = new RegExp(`(?<![\\w-])${escaped}(?:s|es|ed|d|ing)?(?![\\w-])`, caseSensitive ? '' : 'i');
    patterns.set(keyword, regex);
  }
  return regex.test(text);
}

/** The words an enum value stands for: its own spelling, its table entry, or its parts (`real-estate` → real, estate). */
export function keywordsFor(value: string): string[] {
  if (FALLBACK_VALUES.has(value)) return [];
  const table = KEYWORDS[value];
  const own = value.length >= 3 ? [value] : [];
  if (table) return [...own, ...table];
  const parts = value.split(/[_\-\s/]+/).filter((part) => part.length >= 4);
  return [...new Set([...own, ...parts])];
}

export function scoreValues(values: readonly string[], text: string): ValueScore[] {
  return values.map((value) => ({
    value,
    hits: keywordsFor(value).filter((keyword) => mentions(text, keyword)),
  }));
}

/**
 * The best-supported value. With no hits at all: null when the field may be null (the honest
 * "not stated"), else a fallback value such as `other` or `normal` when the enum has one, else the first.
 * Ties go to the value listed first.
 */
export function chooseValue(values: readonly string[], text: string, nullable: boolean): EnumChoice {
  const scores = scoreValues(values, text);
  const ranked = [...scores].sort((a, b) => b.hits.length - a.hits.length);
  const [top, runnerUp] = ranked;
  if (!top || top.hits.length === 0) {
    const fallback = nullable ? null : (values.find((v) => FALLBACK_VALUES.has(v)) ?? values[0] ?? null);
    return { value: fallback, hits: [], best: 0, second: 0 };
  }
  return { value: top.value, hits: top.hits, best: top.hits.length, second: runnerUp?.hits.length ?? 0 };
}
