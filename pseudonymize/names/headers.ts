import type { Candidate } from '../candidates';
import { matchAll } from '../text';
import { coupleCandidates, nameCandidate } from './classify';

/**
 * Display names next to an e-mail address: the sender (`Maria Lopez <maria@…>`, `"Lopez, Maria" <…>`),
 * and every From/To/Cc line or "On …, Ryan Ellis <…> wrote:" of a forwarded or quoted thread.
 */
export function findDisplayNames(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of matchAll(text, /<\s*[^<>\s@]+@[^<>\s]+\s*>/g)) {
    const lineStart = text.lastIndexOf('\n', match.index - 1) + 1;
    const before = text.slice(lineStart, match.index);
    const span = displayNameSpan(before);
    if (!span) continue;
    const couple = coupleCandidates(text, lineStart + span.start, lineStart + span.end, 0);
    if (couple) {
      found.push(...couple);
      continue;
    }
    const candidate = nameCandidate(text, lineStart + span.start, lineStart + span.end, 'AUTO', 0);
    if (candidate) found.push(candidate);
  }
  return found;
}

const HEADER_LABEL = /(?:^|\s)(?:From|To|Cc|Bcc|Reply-To|Sender|De|Para|Von|An)\s*:\s*$/i;

/** Where the display name sits in the text before `<address>` on its line, if there is one. */
function displayNameSpan(before: string): { start: number; end: number } | undefined {
  const quoted = /"([^"]{1,80})"\s*$/.exec(before);
  if (quoted) return { start: quoted.index + 1, end: quoted.index + 1 + quoted[1].length };
  // words back from the address while they can be a name: letters, apostrophes, hyphens, periods
  const words = [...before.matchAll(/[^\s]+/g)];
  let first = words.length;
  while (
    first > 0 &&
    first > words.length - 5 &&
    /^(?:[\p{L}][\p{L}'’.-]*,?|&)$/u.test(words[first - 1][0]) &&
    !/^(?:AM|PM|am|pm)$/.test(words[first - 1][0])
  )
    first--;
  if (first === words.length) return undefined;
  const start = words[first].index!;
  const end = words[words.length - 1].index! + words[words.length - 1][0].length;
  const name = before.slice(start, end);
  const prefix = before.slice(0, start);
  const capitalised = name.split(/\s+/).every((word) => /^\p{Lu}/u.test(word));
  const standsAlone =
    /^[\s>]*$/.test(prefix) || HEADER_LABEL.test(prefix) || /(?:AM|PM|\d)\s*,?\s*$/.test(prefix);
  return capitalised || standsAlone ? { start, end } : undefined;
}
