/** Small text helpers shared by the detectors. */

export function escapeRegExp(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regex source that matches `value` as a whole word: not preceded or followed by a letter, digit or
 * underscore. Unlike `\b` it works for values that start or end with punctuation ("Co.", "+1 (213)…").
 * Runs of whitespace in the value match any run of whitespace.
 */
export function wholeWordSource(value: string): string {
  const body = value
    .trim()
    .split(/\s+/)
    .map((part) => escapeRegExp(part))
    .join('\\s+');
  return `(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`;
}

/** Every match of `regex` (made global) with its offsets. */
export function* matchAll(text: string, regex: RegExp): Generator<RegExpExecArray> {
  const global = regex.global
    ? new RegExp(regex.source, regex.flags)
    : new RegExp(regex.source, `${regex.flags}g`);
  for (let match = global.exec(text); match; match = global.exec(text)) {
    if (match[0].length === 0) {
      global.lastIndex += 1;
      continue;
    }
    yield match;
  }
}

/** Lines with their start offsets. */
export function linesOf(text: string): Array<{ line: string; start: number }> {
  const lines: Array<{ line: string; start: number }> = [];
  let start = 0;
  for (const line of text.split('\n')) {
    lines.push({ line, start });
    start += line.length + 1;
  }
  return lines;
}

/** Lower case with runs of whitespace collapsed: the form values are compared in. */
export function fold(value: string): string {
  return value.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** Without accents: "Chloé" and "Chloe" are one name. */
export function withoutAccents(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').normalize('NFC');
}

const ACCENTED: Record<string, string> = {
  a: 'aàáâãäåā',
  c: 'cçč',
  e: 'eèéêëēě',
  i: 'iìíîïī',
  n: 'nñň',
  o: 'oòóôõöøō',
  s: 'sšś',
  u: 'uùúûüūů',
  y: 'yýÿ',
  z: 'zžź',
};

/** A regex source for `value` (already escaped) whose plain letters also match their accented forms. */
export function accentInsensitive(source: string): string {
  return source.replace(/[aceinosuyz]/g, (letter) => `[${ACCENTED[letter]}]`);
}

/** True when the character before `index` ends a sentence (or there is none). */
export function startsSentence(text: string, index: number): boolean {
  const before = text.slice(Math.max(0, index - 4), index);
  return index === 0 || /(?:^|[.!?:]\s+|\n\s*|^\s*[-*>]\s*)$/.test(before) || /\n\s*$/.test(before);
}
