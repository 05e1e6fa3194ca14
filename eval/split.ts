/**
 * How a corpus keeps a held-out test split (eval/corpus/README.md, "How the test split was kept aside"): the
 * items ordered by stratum, then by group, then by the SHA-256 of their id; items 0, 3, 6, … of that order
 * are held out, the rest are for tuning. Labels are read only to stratify, so each stratum and each group is
 * about one third held out, and no run's output decides where an item goes.
 */
import { createHash } from 'node:crypto';

export interface SplitKeys<T> {
  /** The item's stratum: lower first; give each kind that must be held out in proportion its own. */
  stratum(item: T): number;
  /** The group within a stratum (the legal corpus's matter type, the clinical corpus's document kind). */
  group(item: T): string;
}

export interface Split<T> {
  dev: T[];
  test: T[];
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every third item of the stratified order, from the first, is `test`; dev and test keep the input order. */
export function heldOutSplit<T extends { id: string }>(items: readonly T[], keys: SplitKeys<T>): Split<T> {
  const order = items
    .map((item) => ({ item, stratum: keys.stratum(item), group: keys.group(item), hash: sha256(item.id) }))
    .sort((a, b) => a.stratum - b.stratum || compare(a.group, b.group) || compare(a.hash, b.hash));
  const held = new Set(order.filter((_, i) => i % 3 === 0).map((o) => o.item));
  return { dev: items.filter((i) => !held.has(i)), test: items.filter((i) => held.has(i)) };
}
