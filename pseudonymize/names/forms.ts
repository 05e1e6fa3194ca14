import type { Candidate } from '../candidates';
import { escapeRegExp, linesOf, matchAll } from '../text';
import { nameCandidate } from './classify';
import { ORG_FIELD_LABELS, PARTY_FIELD_LABELS, PERSON_FIELD_LABELS } from './vocabulary';

/** Web-form and call-note fields whose value is a name: "Name: …", "Caller: …", "Employer name: …". */
export function findFormFieldNames(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const { line, start } of linesOf(text)) {
    for (const match of matchAll(line, FIELD)) {
      const candidate = fieldValue(text, line, start, match);
      if (candidate) found.push(candidate);
    }
  }
  return found;
}

/** The name after a label, up to the first comma, bracket, dash or bar: "Kevin Osei, General Counsel". */
function fieldValue(
  text: string,
  line: string,
  lineStart: number,
  match: RegExpExecArray,
): Candidate | undefined {
  const label = match[1].toLowerCase().replace(/\s+/g, ' ');
  const kind = PERSON_LABELS.has(label)
    ? 'PERSON'
    : ORG_LABELS.has(label)
      ? 'ORG'
      : PARTY_LABELS.has(label)
        ? 'AUTO'
        : undefined;
  if (!kind) return undefined;
  const valueStart = match.index + match[0].length;
  const value = /^[^,(|;\n]*?(?=\s+-\s|\s*[,(|;]|\s*$)/.exec(line.slice(valueStart));
  if (!value || !value[0].trim() || NO_ANSWER.test(value[0])) return undefined;
  return nameCandidate(text, lineStart + valueStart, lineStart + valueStart + value[0].length, kind, 0);
}

const PERSON_LABELS = new Set(PERSON_FIELD_LABELS);
const ORG_LABELS = new Set(ORG_FIELD_LABELS);
const PARTY_LABELS = new Set(PARTY_FIELD_LABELS);
const LABELS = [...PERSON_FIELD_LABELS, ...ORG_FIELD_LABELS, ...PARTY_FIELD_LABELS]
  .sort((a, b) => b.length - a.length)
  .map((label) => escapeRegExp(label).replace(/ /g, '\\s+'))
  .join('|');
/** A label at the start of a line, or after a sentence in running notes ("… lead. Clt: Omar Haddad, 34."). */
const FIELD = new RegExp(`(?:^[\\s>*-]*|[.;][ \\t]+)(${LABELS})\\s*(?:\\([^)]*\\))?\\s*:[ \\t]*`, 'giu');
const NO_ANSWER = /^\s*(?:n\/?a|none|unknown|anonymous|prefer not to say|-+)\s*$/i;
