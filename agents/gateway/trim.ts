import { countTokens, decode, encode } from 'gpt-tokenizer/encoding/o200k_base';

/**
 * How an intake document too long for any model's context window is cut down, by paragraphs. Kept, in
 * this order while they fit: the head (who writes, about what), the tail (the signature, the question
 * asked), every paragraph that mentions a party (conflict checks and the assessment turn on who is
 * involved), then more of the head and the tail. Each cut leaves a marker in the text, so the model, and
 * a person reading the transcript, knows what is missing and how much.
 */
export interface TrimmedDocument {
  text: string;
  /** Tokens of the document as received. */
  documentTokens: number;
  /** Tokens of the document as sent: the kept text and the cut markers. */
  keptTokens: number;
  /** Paragraphs left out in whole or in part. */
  cutParagraphs: number;
}

/** The least room worth trimming into: a marker and a few lines of head and tail. */
export const MIN_TRIM_BUDGET = 200;

/** Share of the budget the head and the tail take at first; party paragraphs get the rest, then both grow. */
const END_SHARE = 0.25;

/**
 * A document's tokens as it travels: inside a JSON string of the user message, where a line break is
 * `\n` and a quote `\"`. Counted with gpt-tokenizer's o200k_base, as the gateway counts prompts.
 */
export function documentTokens(text: string): number {
  return countTokens(JSON.stringify(text).slice(1, -1));
}

/** What a cut leaves in the text: `[… 3 paragraphs, 1,240 tokens cut …]`. */
export function cutMarker(paragraphs: number, tokens: number): string {
  return `[… ${paragraphs} paragraph${paragraphs === 1 ? '' : 's'}, ${tokens.toLocaleString('en-US')} tokens cut …]`;
}

/**
 * The document cut to at most `budget` tokens (`documentTokens`), or null when it already fits.
 * `mentionsParty` says whether a piece of the text names a party. `budget` is at least MIN_TRIM_BUDGET.
 */
export function trimDocument(
  text: string,
  budget: number,
  mentionsParty: (text: string) => boolean,
): TrimmedDocument | null {
  const whole = documentTokens(text);
  if (whole <= budget) return null;
  if (budget < MIN_TRIM_BUDGET) throw new RangeError(`a trim budget of ${budget} tokens is too small`);

  const gapCost = documentTokens(`\n\n${cutMarker(999, 9_999_999)}\n\n`);
  const endShare = Math.floor(budget * END_SHARE);
  const units = unitsOf(text, endShare - gapCost);
  const selection = new Selection(units, gapCost);

  for (let i = 0; i < units.length && selection.take(i, endShare); i++);
  const headUsed = selection.used;
  for (let i = units.length - 1; i >= 0 && selection.take(i, headUsed + endShare); i--);
  units.forEach((unit, i) => {
    if (mentionsParty(unit.text)) selection.take(i, budget);
  });
  // What room is left widens the head and the tail, a unit at a time each, until neither can grow.
  let head: number | null = 0;
  let tail: number | null = units.length - 1;
  while (head !== null || tail !== null) {
    if (head !== null) head = selection.grow(head, 1, budget);
    if (tail !== null) tail = selection.grow(tail, -1, budget);
  }

  // The estimate is close, not exact (tokens merge across joins): the exact count decides, and the units
  // taken last, the least important, go first.
  let result = assemble(units, selection.kept);
  while (result.keptTokens > budget && selection.kept.size > 0) {
    selection.dropLast();
    result = assemble(units, selection.kept);
  }
  return { ...result, documentTokens: whole };
}

interface Unit {
  text: string;
  /** The unit with the separator after it, as it reads when kept. */
  tokens: number;
  /** The paragraph this unit is (part of), counted from 0. */
  paragraph: number;
  /** What followed it in the document: a blank line between paragraphs, a line break, a space. */
  after: string;
}

/** The units kept so far, in the order they were taken, and an estimate of the tokens the result takes. */
class Selection {
  readonly kept = new Set<number>();
  private readonly order: number[] = [];
  /** Kept units and, for every stretch cut, one marker. Nothing kept: the whole document is one cut. */
  used: number;

  constructor(
    private readonly units: readonly Unit[],
    private readonly gapCost: number,
  ) {
    this.used = gapCost;
  }

  /** Keeps unit `i` if the estimate stays within `limit`. */
  take(i: number, limit: number): boolean {
    if (this.kept.has(i)) return true;
    const cut = (j: number) => j >= 0 && j < this.units.length && !this.kept.has(j);
    // Keeping a unit between two cut ones splits a cut in two; between kept ones, it closes one.
    const gaps = (cut(i - 1) ? 1 : 0) + (cut(i + 1) ? 1 : 0) - 1;
    const cost = this.units[i].tokens + gaps * this.gapCost;
    if (this.used + cost > limit) return false;
    this.kept.add(i);
    this.order.push(i);
    this.used += cost;
    return true;
  }

  /** Keeps the next unit not kept from `from` on, walking by `step`; where to go on, or null when it does not fit. */
  grow(from: number, step: 1 | -1, limit: number): number | null {
    let i = from;
    while (i >= 0 && i < this.units.length && this.kept.has(i)) i += step;
    if (i < 0 || i >= this.units.length) return null;
    return this.take(i, limit) ? i + step : null;
  }

  dropLast(): void {
    const last = this.order.pop();
    if (last !== undefined) this.kept.delete(last);
  }
}

/**
 * The document as paragraphs (split at blank lines), a paragraph longer than `largest` tokens cut further
 * into lines, sentences and at last runs of tokens, so that a document of one long paragraph is trimmed too.
 */
function unitsOf(text: string, largest: number): Unit[] {
  const units: Unit[] = [];
  const parts = text.split(/(\n[ \t]*\n\s*)/);
  for (let p = 0; p < parts.length; p += 2) {
    const pieces = piecesOf(parts[p], largest);
    pieces[pieces.length - 1].after = parts[p + 1] ?? '';
    for (const piece of pieces) {
      units.push({ ...piece, tokens: documentTokens(piece.text + piece.after), paragraph: p / 2 });
    }
  }
  return units;
}

function piecesOf(text: string, largest: number): Array<{ text: string; after: string }> {
  if (documentTokens(text) <= largest) return [{ text, after: '' }];
  for (const separator of [/(\n)/, /((?<=[.!?;:])\s+)/]) {
    const parts = text.split(separator);
    if (parts.length === 1) continue;
    const pieces: Array<{ text: string; after: string }> = [];
    for (let i = 0; i < parts.length; i += 2) {
      const sub = piecesOf(parts[i], largest);
      sub[sub.length - 1].after = parts[i + 1] ?? '';
      pieces.push(...sub);
    }
    return pieces;
  }
  const tokens = encode(text);
  const pieces: Array<{ text: string; after: string }> = [];
  for (let start = 0; start < tokens.length; start += largest) {
    pieces.push({ text: decode(tokens.slice(start, start + largest)), after: '' });
  }
  return pieces;
}

function assemble(
  units: readonly Unit[],
  kept: ReadonlySet<number>,
): Omit<TrimmedDocument, 'documentTokens'> {
  let text = '';
  const cutParagraphs = new Set<number>();
  let gap: { tokens: number; paragraphs: Set<number> } | null = null;
  const closeGap = () => {
    if (!gap) return;
    text = text.replace(/[ \t]+$/, '');
    const before = text === '' || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? '\n' : '\n\n';
    text += `${before}${cutMarker(gap.paragraphs.size, gap.tokens)}\n\n`;
    gap = null;
  };
  units.forEach((unit, i) => {
    if (kept.has(i)) {
      closeGap();
      text += unit.text + unit.after;
      return;
    }
    gap ??= { tokens: 0, paragraphs: new Set() };
    gap.tokens += unit.tokens;
    gap.paragraphs.add(unit.paragraph);
    cutParagraphs.add(unit.paragraph);
  });
  closeGap();
  text = text.trimEnd();
  return { text, keptTokens: documentTokens(text), cutParagraphs: cutParagraphs.size };
}
