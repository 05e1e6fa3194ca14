/**
 * The trimming strategy for an intake document too long for any model's context window: head, tail and
 * the paragraphs that mention a party are kept, a marker says where and how much was cut, and the result
 * fits the budget as the gateway counts it.
 */
import { MIN_TRIM_BUDGET, cutMarker, documentTokens, trimDocument } from '../../agents/gateway/trim';

const HEAD = 'Dear firm, my name is [PERSON_1] and I need advice about an injury at work on 2026-03-14.';
const PARTY = 'The warehouse belongs to [ORG_1], whose forklift driver hit me from behind.';
const TAIL = 'Please call me back this week.\n[PERSON_1]\n[PHONE_1]';

/** A paragraph of the kind that makes documents long: about the matter, naming nobody. */
function filler(n: number): string {
  return (
    `Paragraph ${n}: the shift started early, the aisles were crowded with pallets, the lighting was poor ` +
    'and the safety briefing had been skipped again, as it often was during the busy season that year.'
  );
}

const mentionsParty = (text: string) => /\[(PERSON|ORG)_\d+\]/.test(text);

function longDocument(): string {
  const middle = Array.from({ length: 40 }, (_, i) => filler(i + 1));
  middle.splice(25, 0, PARTY);
  return [HEAD, ...middle, TAIL].join('\n\n');
}

describe('trimming an intake document', () => {
  it('leaves a document that fits alone', () => {
    const text = [HEAD, PARTY, TAIL].join('\n\n');
    expect(trimDocument(text, documentTokens(text), mentionsParty)).toBeNull();
  });

  it('keeps the head, the tail and the paragraph naming a party, within the budget, and marks the cuts', () => {
    const text = longDocument();
    const budget = 400;
    expect(documentTokens(text)).toBeGreaterThan(4 * budget);

    const trimmed = trimDocument(text, budget, mentionsParty)!;

    expect(trimmed.text.startsWith(HEAD)).toBe(true);
    expect(trimmed.text.endsWith(TAIL)).toBe(true);
    expect(trimmed.text).toContain(PARTY);
    expect(documentTokens(trimmed.text)).toBeLessThanOrEqual(budget);
    expect(trimmed.keptTokens).toBe(documentTokens(trimmed.text));
    expect(trimmed.documentTokens).toBe(documentTokens(text));

    // Every paragraph is either there whole or accounted for by a marker.
    const paragraphs = text.split('\n\n');
    const kept = paragraphs.filter((p) => trimmed.text.includes(p));
    expect(trimmed.cutParagraphs).toBe(paragraphs.length - kept.length);
    const markers = [...trimmed.text.matchAll(/\[… (\d+) paragraphs?, ([\d,]+) tokens cut …\]/g)];
    expect(markers.length).toBeGreaterThanOrEqual(1);
    expect(markers.reduce((sum, m) => sum + Number(m[1]), 0)).toBe(trimmed.cutParagraphs);
    // The party paragraph sits in the middle: cuts on both sides of it.
    const at = trimmed.text.indexOf(PARTY);
    expect(trimmed.text.slice(0, at)).toMatch(/tokens cut …\]\n\n$/);
    expect(trimmed.text.slice(at + PARTY.length)).toMatch(/^\n\n\[… \d+ paragraphs?, [\d,]+ tokens cut …\]/);
  });

  it('uses the room left after head, tail and parties for more of the head and the tail', () => {
    const text = longDocument();
    const small = trimDocument(text, 400, mentionsParty)!;
    const large = trimDocument(text, 1_200, mentionsParty)!;
    expect(large.cutParagraphs).toBeLessThan(small.cutParagraphs);
    expect(large.text).toContain(filler(1));
    expect(large.text).toContain(filler(40));
    expect(large.keptTokens).toBeGreaterThan(1_000);
    expect(large.keptTokens).toBeLessThanOrEqual(1_200);
  });

  it('counts the cut in tokens and paragraphs, in words a reader understands', () => {
    expect(cutMarker(3, 1240)).toBe('[… 3 paragraphs, 1,240 tokens cut …]');
    expect(cutMarker(1, 87)).toBe('[… 1 paragraph, 87 tokens cut …]');
  });

  it('trims a document of one long paragraph too, keeping its start and its end', () => {
    const sentences = Array.from({ length: 200 }, (_, i) => `Sentence number ${i + 1} of a long complaint.`);
    const text = sentences.join(' ');

    const trimmed = trimDocument(text, 300, mentionsParty)!;

    expect(documentTokens(trimmed.text)).toBeLessThanOrEqual(300);
    expect(trimmed.text.startsWith(sentences[0])).toBe(true);
    expect(trimmed.text.endsWith(sentences[199])).toBe(true);
    expect(trimmed.text).toMatch(/\[… 1 paragraph, [\d,]+ tokens cut …\]/);
    expect(trimmed.cutParagraphs).toBe(1);
  });

  it('refuses a budget too small to hold anything but markers', () => {
    expect(() => trimDocument(longDocument(), MIN_TRIM_BUDGET - 1, mentionsParty)).toThrow(RangeError);
  });
});
