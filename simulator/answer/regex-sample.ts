import { safeRegExp } from './json-schema';

/**
 * A short string matching `pattern`, for string fields whose pattern no heuristic satisfies.
 * Understands the common subset (literals, escapes, classes, groups, alternation, quantifiers)
 * and takes the first alternative and the fewest repetitions; returns null when the result does
 * not match (the caller then tries something else), so it never claims more than it delivers.
 */
export function sampleForPattern(pattern: string): string | null {
  const regex = safeRegExp(pattern);
  if (!regex) return null;
  let sample: string;
  try {
    sample = new Sampler(pattern).alternation();
  } catch {
    return null;
  }
  return regex.test(sample) ? sample : null;
}

const ESCAPES: Record<string, string> = { d: '0', D: 'a', w: 'a', W: '-', s: ' ', S: 'a', n: '\n', t: '\t' };

class Sampler {
  private pos = 0;
  constructor(private readonly source: string) {}

  /** alternative ('|' alternative)*: keeps the first alternative, skips the others. */
  alternation(): string {
    const first = this.sequence();
    while (this.peek() === '|') {
      this.pos++;
      this.sequence();
    }
    return first;
  }

  private sequence(): string {
    let out = '';
    while (this.pos < this.source.length && this.peek() !== '|' && this.peek() !== ')') {
      const atom = this.atom();
      out += atom.repeat(this.quantifier());
    }
    return out;
  }

  private atom(): string {
    const ch = this.source[this.pos++];
    switch (ch) {
      case '^':
      case '$':
        return '';
      case '.':
        return 'a';
      case '\\': {
        const next = this.source[this.pos++];
        if (next === 'b' || next === 'B') return '';
        return ESCAPES[next] ?? next;
      }
      case '[':
        return this.characterClass();
      case '(': {
        if (this.source.startsWith('?:', this.pos)) this.pos += 2;
        else if (this.source.startsWith('?<', this.pos) && !/^\?<[=!]/.test(this.source.slice(this.pos))) {
          this.pos = this.source.indexOf('>', this.pos) + 1;
        } else if (this.peek() === '?') throw new Error('lookaround is not sampled');
        const inner = this.alternation();
        if (this.source[this.pos++] !== ')') throw new Error('unbalanced group');
        return inner;
      }
      default:
        return ch;
    }
  }

  private characterClass(): string {
    const negated = this.peek() === '^';
    if (negated) this.pos++;
    const members: string[] = [];
    while (this.pos < this.source.length && this.peek() !== ']') {
      const member = this.classMember();
      // A range a-z contributes its first character; that is enough to match it.
      if (this.peek() === '-' && this.source[this.pos + 1] !== ']' && this.pos + 1 < this.source.length) {
        this.pos++;
        this.classMember();
      }
      members.push(member);
    }
    this.pos++; // ']'
    if (!negated) return members[0] ?? '';
    return ['a', '0', 'x', 'Z', '-', '_', ' '].find((c) => !members.includes(c)) ?? '~';
  }

  private classMember(): string {
    const ch = this.source[this.pos++];
    if (ch !== '\\') return ch;
    const escaped = this.source[this.pos++];
    return ESCAPES[escaped] ?? escaped;
  }

  /** The fewest repetitions the quantifier allows (one for `+`). */
  private quantifier(): number {
    const ch = this.peek();
    let count = 1;
    if (ch === '?' || ch === '*') {
      this.pos++;
      count = 0;
    } else if (ch === '+') {
      this.pos++;
    } else if (ch === '{') {
      const match = /^\{(\d+)(,\d*)?\}/.exec(this.source.slice(this.pos));
      if (!match) return 1;
      this.pos += match[0].length;
      count = Number(match[1]);
    } else {
      return 1;
    }
    if (this.peek() === '?' || this.peek() === '+') this.pos++; // lazy or possessive
    return count;
  }

  private peek(): string | undefined {
    return this.source[this.pos];
  }
}
