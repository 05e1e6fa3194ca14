import type { Candidate } from '../candidates';
import { linesOf } from '../text';
import {
  coupleCandidates,
  isKnownFirstName,
  isKnownOrdinaryWord,
  looksLikeOrganization,
  nameCandidate,
  wordsOf,
} from './classify';
import { CLOSINGS, NOT_A_SIGNATURE, ROLE_WORDS } from './vocabulary';

interface Line {
  /** the line without quote markers ("> ") */
  text: string;
  /** offset of `text` in the whole text */
  start: number;
}

/**
 * Names in signature blocks: the line after a closing ("Regards,", "Best,", "Sincerely,", "Merci,", "--"),
 * or a name on its own line at the end of a message (before contact lines such as a phone number), and
 * organisation names on the lines that follow ("Senior Counsel | Evergreen Software Inc."). A thread is
 * read message by message: a quoted reply or a forwarded message has a signature of its own.
 */
export function findSignatureNames(text: string): Candidate[] {
  return messagesOf(text).flatMap((message) => signatureNamesOf(text, message));
}

/**
 * The names in the signature of the message's own writer: the first message of a thread, not those of
 * the replies or forwarded messages quoted below it (often the other side's).
 */
export function findSenderSignatureNames(text: string): Candidate[] {
  return signatureNamesOf(text, messagesOf(text)[0]);
}

function signatureNamesOf(text: string, message: Line[]): Candidate[] {
  const found: Candidate[] = [];
  const lines = message.filter((line) => line.text.trim() && !HEADER_LINE.test(line.text));
  lines.forEach((line, index) => {
    const closing = CLOSING.exec(line.text);
    if (!closing) return;
    const rest = closing[2];
    if (rest && closing[1] !== '--' && closing[1] !== '—' && isSignOffName(rest)) {
      const at = line.start + line.text.length - rest.length;
      push(found, nameCandidate(text, at, at + rest.trimEnd().length, 'AUTO', 0));
    } else if (!rest) {
      lines
        .slice(index + 1, index + 4)
        .forEach((next, offset) => signatureLine(text, next, offset === 0, found));
    }
  });
  // a name on its own line among the last lines, after which only titles and contact lines follow
  const tail = lines.slice(-5);
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i];
    if (isContactLine(line.text)) continue;
    if (isFieldLine(line.text)) break;
    const couple = coupleCandidates(text, line.start, line.start + line.text.split(/[,|]/)[0].length, 0);
    if (couple) {
      found.push(...couple);
      break;
    }
    if (isNameLine(line.text)) {
      signatureLine(text, line, true, found);
      break;
    }
    if (!isTitleLine(line.text)) break;
    signatureLine(text, line, false, found);
  }
  return found;
}

function push(found: Candidate[], candidate: Candidate | undefined): void {
  if (candidate) found.push(candidate);
}

/** "Anita Rao, DDS", "Kevin Osei | General Counsel", "Owner, Golden Crust Bakery", "Harbor Dental Group Inc." */
function signatureLine(text: string, line: Line, mayBePerson: boolean, found: Candidate[]): void {
  let offset = 0;
  line.text.split(/([,|•·–—]| - )/).forEach((segment, index) => {
    const start = line.start + offset;
    offset += segment.length;
    const trimmed = segment.trim();
    if (!trimmed || index % 2 === 1) return;
    if (looksLikeOrganization(trimmed) && isCapitalisedPhrase(trimmed)) {
      push(found, nameCandidate(text, start, start + segment.length, 'ORG', 0));
    } else if (mayBePerson && index === 0 && isNameLine(trimmed)) {
      push(found, nameCandidate(text, start, start + segment.length, 'PERSON', 0));
    }
  });
}

/** A job title or an organisation: "Senior Counsel | Evergreen Software Inc.", "Director of Contracts, Acme". */
function isTitleLine(value: string): boolean {
  if (looksLikeOrganization(value) && isCapitalisedPhrase(value.split(/[,|]/).pop()!)) return true;
  const head = wordsOf(value.split(/[,|]/)[0]);
  return (
    head.length > 0 &&
    head.length <= 5 &&
    head.every((word) => ROLE_WORDS.has(word) || word === 'of' || word === 'and')
  );
}

/** "kenji" in "thx kenji", "Maria" in "Thanks, Maria": one to three words, none a function word. */
function isSignOffName(rest: string): boolean {
  const words = rest.replace(/[.!]+$/, '').split(/\s+/);
  if (
    words.length > 3 ||
    !words.every((word) => /^[\p{L}'’-]+$/u.test(word) && !FUNCTION_WORDS.has(word.toLowerCase()))
  )
    return false;
  if (words.every((word) => /^\p{Lu}/u.test(word))) return true;
  // "thx kenji": one lower-case word that is a first name, or no ordinary word
  return words.length === 1 && (isKnownFirstName(words[0]) || !isKnownOrdinaryWord(words[0]));
}

const FUNCTION_WORDS = new Set(
  'for your you the a an all again very much in advance to everyone guys team so lot and me us i we it this that'.split(
    ' ',
  ),
);

/** Capitalised words, joined by "&", "of" or "and" at most: "Harbor Dental Group Inc.", "Tulsa Tool & Die". */
function isCapitalisedPhrase(value: string): boolean {
  const words = value.trim().split(/\s+/);
  return (
    !/\d/.test(value) &&
    words.every((word) => /^[\p{Lu}&]/u.test(word) || ['of', 'and', 'de', 'du', 'la'].includes(word))
  );
}

/** One to four capitalised words (particles allowed), none of them a role or a greeting. */
function isNameLine(value: string): boolean {
  const head = value.split(/[,|]/)[0].trim();
  const words = head.split(/\s+/);
  if (words.length > 4 || !/^\p{Lu}/u.test(head)) return false;
  if (!words.every((word) => /^\p{Lu}[\p{L}'’.-]*$/u.test(word) || PARTICLES.has(word))) return false;
  const folded = wordsOf(head);
  return !folded.some((word) => ROLE_WORDS.has(word) || NOT_A_SIGNATURE.has(word));
}

/** A phone number, an e-mail or web address, or a labelled contact: "Cell: 901.555.0168", "T: …". */
function isContactLine(value: string): boolean {
  if (
    /@|https?:|www\./.test(value) ||
    /^\s*(?:cell|mobile|tel|t|phone|fax|email|e|m|w|o)\s*[:.]/i.test(value)
  )
    return true;
  return (value.match(/\d/g) ?? []).length >= 7 && value.trim().split(/\s+/).length <= 8;
}

/** "Company: Lakeshore Manufacturing": a form field, never part of a signature. */
function isFieldLine(value: string): boolean {
  return /^\s*[\p{L}][\p{L} /()'’-]{0,30}:\s/u.test(value);
}

const PARTICLES = new Set([
  'de',
  'da',
  'del',
  'della',
  'van',
  'von',
  'der',
  'den',
  'la',
  'le',
  'bin',
  'al',
  'y',
]);

const CLOSING = new RegExp(
  `^\\s*(${[...CLOSINGS].sort((a, b) => b.length - a.length).join('|')}|--|—)\\s*[,!.]*\\s*(.*?)\\s*$`,
  'iu',
);

const HEADER_LINE = /^\s*(?:From|To|Cc|Bcc|Date|Sent|Subject|Re|Fwd?)\s*:/i;

/** The thread split into messages: at quote-depth changes, "On … wrote:" lines and forwarded headers. */
function messagesOf(text: string): Line[][] {
  const messages: Line[][] = [[]];
  let depth = 0;
  for (const { line, start } of linesOf(text)) {
    const marker = /^\s*((?:>\s?)*)/.exec(line)![1];
    const lineDepth = (marker.match(/>/g) ?? []).length;
    const content: Line = { text: line.slice(marker.length), start: start + marker.length };
    const boundary =
      lineDepth !== depth ||
      /^\s*On\s.{4,160}\swrote:\s*$/.test(content.text) ||
      /^\s*-{2,}\s*(?:Forwarded message|Original Message)/i.test(content.text) ||
      /^\s*(?:Begin forwarded message)/i.test(content.text);
    if (boundary && messages[messages.length - 1].length) messages.push([]);
    depth = lineDepth;
    if (!/^\s*On\s.{4,160}\swrote:\s*$/.test(content.text)) messages[messages.length - 1].push(content);
  }
  return messages;
}
