import path from 'node:path';
import { CORPUS_DIR, LEGAL_SPLIT_KEYS, loadCorpus } from '../../eval/corpus';
import { heldOutSplit } from '../../eval/split';

describe('heldOutSplit', () => {
  it('gives the legal corpus’s test.jsonl exactly, from dev.jsonl and test.jsonl together', () => {
    const dev = loadCorpus([path.join(CORPUS_DIR, 'dev.jsonl')]);
    const test = loadCorpus([path.join(CORPUS_DIR, 'test.jsonl')]);
    const split = heldOutSplit([...dev, ...test], LEGAL_SPLIT_KEYS);
    expect(split.test.map((i) => i.id)).toEqual(test.map((i) => i.id));
    expect(split.dev.map((i) => i.id)).toEqual(dev.map((i) => i.id));
  });

  it('holds out about a third of each stratum and keeps the input order on both sides', () => {
    const items = Array.from({ length: 30 }, (_, i) => ({ id: `x-${i}`, stratum: i % 2, group: 'g' }));
    const split = heldOutSplit(items, { stratum: (i) => i.stratum, group: (i) => i.group });
    expect(split.test.filter((i) => i.stratum === 0)).toHaveLength(5);
    expect(split.test.filter((i) => i.stratum === 1)).toHaveLength(5);
    expect(split.dev).toHaveLength(20);
    const index = (i: { id: string }) => Number(i.id.slice(2));
    for (const side of [split.dev, split.test]) {
      expect(side.map(index)).toEqual([...side.map(index)].sort((a, b) => a - b));
    }
  });

  it('does not depend on the order it is given', () => {
    const items = Array.from({ length: 12 }, (_, i) => ({ id: `y-${i}` }));
    const keys = { stratum: () => 0, group: () => 'g' };
    const ids = (side: readonly { id: string }[]) => side.map((i) => i.id).sort();
    expect(ids(heldOutSplit([...items].reverse(), keys).test)).toEqual(ids(heldOutSplit(items, keys).test));
  });
});
