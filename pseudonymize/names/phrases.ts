import type { Candidate } from '../candidates';
import { anyCase } from '../detect/keyed';
import { matchAll } from '../text';
import { isKnownFirstName, isKnownOrdinaryWord, nameCandidate } from './classify';
import {
  BRAND_ROLE_WORDS,
  COMMON_WORD_NAMES,
  FACILITY_WORDS,
  HONORIFICS,
  INSTITUTION_WORDS,
  NOT_OWN_NAME_WORDS,
  ORG_WORDS,
  PUBLIC_BODY_WORDS,
  RELATION_WORDS,
  STREET_SUFFIXES,
} from './vocabulary';

/**
 * Names found by the words around them: a title ("Ms. Lopez"), an introduction ("my name is", "this is"),
 * a relation or role ("my wife Sarah", "the driver, Tyler Brooks", "Foreman is Ramón Ortiz"), an
 * institution ("Travel insurer is Aviva", "insurance (State Farm)"), a brand before a role ("an Uber
 * driver"), a workplace ("my job at the amazon warehouse") or a shop ("bought it at Target").
 */
export function findNamesByPhrase(text: string): Candidate[] {
  const found: Candidate[] = [];
  const add = (start: number, end: number, kind: 'PERSON' | 'ORG' | 'AUTO') => {
    const candidate = nameCandidate(text, start, end, kind, 2);
    if (candidate) found.push(candidate);
  };
  for (const [regex, kind] of RULES) {
    for (const match of matchAll(text, regex)) {
      const [start, end] = match.indices![1]!;
      add(start, end, kind);
    }
  }
  // "my supervisor derek": a lower-case first name the lexicon knows, after a relation
  for (const match of matchAll(text, LOWER_CASE_RELATION)) {
    const [start, end] = match.indices![1]!;
    if (isKnownFirstName(match[1])) add(start, end, 'PERSON');
  }
  // "Shonda Price": a first name the lexicon knows, then a capitalised word
  for (const match of matchAll(text, FIRST_AND_LAST)) {
    const [first, last] = [match[1], match[2]];
    if (!isKnownFirstName(first) || COMMON_WORD_NAMES.has(first.toLowerCase())) continue;
    if (NOT_SURNAMES.has(last.toLowerCase())) continue;
    const candidate = nameCandidate(text, match.index, match.index + match[0].length, 'AUTO', 3);
    if (candidate) found.push(candidate);
  }
  for (const match of matchAll(text, FACILITY)) {
    const [start, end] = match.indices![1]!;
    const words = match[1].split(/\s+/);
    if (words.every((word) => /^\p{Lu}/u.test(word) || !isKnownOrdinaryWord(word))) add(start, end, 'ORG');
  }
  return found;
}

/** Alternatives in any letter case, longest first: "Foreman is …", "my CFO, …". */
const alternatives = (words: readonly string[]) =>
  [...words]
    .sort((a, b) => b.length - a.length)
    .map((word) =>
      word
        .split(' ')
        .map((part) => anyCase(part))
        .join('[ \\t]+'),
    )
    .join('|');

const WORD = "\\p{Lu}[\\p{L}'’-]+(?:[ \\t]+\\p{Lu}[\\p{L}'’-]*){0,2}";
const ORG_NAME = "\\p{Lu}[\\p{L}\\p{N}'’.-]+(?:(?:[ \\t]+|[ \\t]*&[ \\t]*)\\p{Lu}[\\p{L}\\p{N}'’.-]*){0,5}";
const HONORIFIC =
  'Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Judge|Justice|Officer|Deputy|Detective|Det|Sgt|Sergeant|Attorney|Atty|Nurse|Pastor|Rev|Sr|Sra|Srta|Mme|Mlle';
const RELATION = alternatives([...RELATION_WORDS, 'kids', 'children', 'sons', 'daughters']);
const LINK = '(?:[ \\t]*,|[ \\t]+(?:is|was|named|called|es)|[ \\t]*:)?[ \\t]+';

const RULES: Array<[RegExp, 'PERSON' | 'ORG' | 'AUTO']> = [
  [new RegExp(`(?<![\\p{L}])(?:${HONORIFIC})\\.?[ \\t]+(${WORD})`, 'gdu'), 'PERSON'],
  [
    new RegExp(
      `(?<![\\p{L}])(?:[Mm]y name is|[Mm]y name's|[Nn]ame is|I am|I'm|I’m|[Tt]his is|[Mm]e llamo|[Ss]oy|[Jj]e m'appelle|[Jj]e suis)[ \\t]+(${WORD})`,
      'gdu',
    ),
    'PERSON',
  ],
  [new RegExp(`(?<![\\p{L}])(?:${RELATION})${LINK}(${WORD})`, 'gdu'), 'AUTO'],
  [
    new RegExp(
      `(?<![\\p{L}])(?:[Nn]amed|[Cc]alled|[Ss]poke[ \\t]+with|[Ss]poke[ \\t]+to|[Tt]alked[ \\t]+to|[Mm]et[ \\t]+with)[ \\t]+(${WORD})`,
      'gdu',
    ),
    'PERSON',
  ],
  [new RegExp(`(?<![\\p{L}])(?:${alternatives(INSTITUTION_WORDS)})${LINK}(${ORG_NAME})`, 'gdu'), 'ORG'],
  [
    new RegExp(
      `(?<![\\p{L}])(?:insurance|insurer|carrier|bank|employer)[ \\t]*\\([ \\t]*(${ORG_NAME})[ \\t]*\\)`,
      'gdu',
    ),
    'ORG',
  ],
  [
    new RegExp(
      `(?<![\\p{L}])(?:an?|the|my|his|her|their|our|by)[ \\t]+(\\p{Lu}[\\p{L}&'’-]+(?:[ \\t]+\\p{Lu}[\\p{L}&'’-]+)?)[ \\t]+` +
        `(?:(?:business|checking|savings|credit|debit|personal|joint|home|auto)[ \\t]+)?(?:${[...BRAND_ROLE_WORDS].join('|')})(?![\\p{L}])`,
      'gdu',
    ),
    'ORG',
  ],
  [
    new RegExp(
      `(?<![\\p{L}])(?:bought|purchased|ordered|shopped)(?:[ \\t]+(?:it|them|this|that|one))?[ \\t]+(?:at|from)[ \\t]+(?:the[ \\t]+)?(${ORG_NAME})`,
      'gdu',
    ),
    'ORG',
  ],
  [
    new RegExp(
      `(?<![\\p{L}])(?:work|works|worked|working|employed|hired|fired|terminated|let go)[ \\t]+(?:at|for|by|from)[ \\t]+(?:the[ \\t]+)?(${ORG_NAME})`,
      'gdu',
    ),
    'ORG',
  ],
];

const FIRST_AND_LAST =
  /(?<![\p{L}\p{N}'’-])(\p{Lu}\p{Ll}+)[ \t]+(\p{Lu}\p{Ll}+(?:-\p{Lu}\p{Ll}+)?)(?![\p{L}\p{N}'’-])/gu;

/** Capitalised words that follow a first name without being a surname ("Monday", "Street"). */
const NOT_SURNAMES = new Set([
  ...'monday tuesday wednesday thursday friday saturday sunday january february march april may june july august september october november december'.split(
    ' ',
  ),
  ...STREET_SUFFIXES,
  ...ORG_WORDS,
  ...HONORIFICS,
  ...PUBLIC_BODY_WORDS,
  ...NOT_OWN_NAME_WORDS,
]);

const LOWER_CASE_RELATION = new RegExp(
  `(?<![\\p{L}])(?:${RELATION})(?:[ \\t]*,)?[ \\t]+(\\p{Ll}+)(?![\\p{L}])`,
  'gdu',
);

const FACILITY = new RegExp(
  `(?<![\\p{L}])(?:job|work|works|worked|working|employed|injured|hurt)(?:[ \\t]+\\p{Ll}+){0,3}?[ \\t]+(?:at|for)[ \\t]+(?:the[ \\t]+|a[ \\t]+|an[ \\t]+)?([\\p{L}&'’-]+(?:[ \\t]+[\\p{L}&'’-]+)?)[ \\t]+(?:${[...FACILITY_WORDS].join('|')})(?![\\p{L}])`,
  'gdu',
);
