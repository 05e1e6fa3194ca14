/**
 * Who is writing and who is on the other side, read from an enquiry's text with plain patterns.
 * Names are runs of capitalised words; organisations are such runs ending in Inc, LLC, Ltd, Corp….
 */

export interface Identity {
  name: string | null;
  email: string | null;
  phone: string | null;
  organization: string | null;
}

const WORD = "[A-Z][a-zA-Z'’-]+";
const NAME = `((?:${WORD}|[A-Z]\\.)(?:[ \\t]+(?:${WORD}|[A-Z]\\.)){0,3})`;
const TITLE = '(?:(?:Mr|Mrs|Ms|Miss|Dr|Prof)\\.?[ \\t]+)?';
const ORG_SUFFIX = '(?:Inc|LLC|L\\.L\\.C|Ltd|Limited|Corp|Corporation|Co|Company|LLP|LP|PLC|GmbH)';
const ORG = new RegExp(
  `((?:[A-Z][\\w&'’.-]*[ \\t]+){0,5}[A-Z][\\w&'’-]*),?[ \\t]+(${ORG_SUFFIX})\\b\\.?`,
  'g',
);
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/g;
const PHONE =
  /(?<![\w-])(?:\+?1[ .-]?)?(?:\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![\w-])|\+\d{1,3}(?:[ .-]?\d{2,4}){3,4}(?![\w-])/;

/** Capitalised words that start sentences or greetings, not names. */
const NOT_NAMES = new Set(
  (
    'The A An I We Our My Your His Her Their It This That These Those Hello Hi Hey Dear Thanks Thank Regards ' +
    'Sincerely Best Kind Warm Cheers Urgent Please Not Writing Contacting Looking Interested Sorry Here Good ' +
    'Morning Afternoon Evening On In At As And But Or So If When Since From To For With Against By Re Subject ' +
    'Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July ' +
    'August September October November December Yes No Help Attorney Lawyer Counsel Sir Madam Team Firm'
  ).split(' '),
);

/** "I am X", "My name is X": the writer introducing themselves. */
const INTRODUCTIONS = [
  new RegExp(`\\b[Mm]y name(?: is|'s)[ \\t]+${TITLE}${NAME}`, 'g'),
  new RegExp(`\\b(?:I am|I'm|[Tt]his is)[ \\t]+${TITLE}${NAME}`, 'g'),
];
const CLOSINGS = new RegExp(
  `(?:^|\\n)[ \\t]*(?:(?:Best|Kind|Warm|With best)?[ \\t]*[Rr]egards|Thanks|Thank you|Many thanks|Sincerely|Yours sincerely|Yours truly|Best|Cheers|Respectfully)[,.!]?[ \\t]*\\n[ \\t]*${TITLE}${NAME}[ \\t]*(?=\\n|$)`,
);
/** A line holding only a name, directly above a line with an e-mail address or a phone number. */
const SIGNATURE_BLOCK = new RegExp(`(?:^|\\n)[ \\t]*${NAME}[ \\t]*\\n[ \\t]*(?:[^\\s@]+@[^\\s@]+|[+(]?\\d)`);

/** Words right before an organisation that make it the writer's own. */
const OWN_ORG_CUE =
  /(?:my company|our company|my business|our business|my firm|our firm|on behalf of|represent(?:ing)?|counsel (?:at|for|of|to)|(?:owner|ceo|founder|co-founder|president|director|partner|officer) (?:of|at)|I (?:own|run)|we are)[ \t]+(?:the[ \t]+)?$/i;

/** Words before a party on the other side. */
const OPPOSING_CUES = [
  'against',
  'sued by',
  'suing',
  'dispute with',
  'claim against',
  'owned by',
  'run by',
  'operated by',
  'the other driver',
  'the driver',
  'my (?:former |ex-)?(?:employer|boss|manager|supervisor|landlord|tenant|husband|wife|spouse|partner|ex-husband|ex-wife|ex|neighbou?r|contractor|business partner)',
  'our (?:former )?(?:supplier|vendor|customer|landlord|tenant|contractor|distributor|competitor)',
];
const OPPOSING = new RegExp(
  `\\b(?:${OPPOSING_CUES.map(anyCaseInitial).join('|')})[,:]?[ \\t]+(?:(?:is|was|named|called)[ \\t]+)?${TITLE}${NAME}`,
  'g',
);

/** The writer: introduced name, else the sender, else a signature; e-mail and phone as given. */
export function findIdentity(text: string, sender: string | null): Identity & { organizations: string[] } {
  const from = parseSender(sender ?? /^From:[ \t]*(.+)$/m.exec(text)?.[1] ?? null);
  const email = from.email ?? text.match(EMAIL)?.[0] ?? null;
  const introduced = INTRODUCTIONS.flatMap((regex, i) =>
    [...text.matchAll(regex)].map((m) => m[1]).filter((name) => isName(name, i === 0 ? 1 : 2)),
  )[0];
  const signed = [CLOSINGS, SIGNATURE_BLOCK]
    .map((regex) => regex.exec(text)?.[1])
    .find((name) => name && isName(name, 2));
  const organizations = findOrganizations(text);
  const own = organizations.find((org) => org.own || emailMatches(email, org.name))?.name ?? null;
  let name: string | null = introduced ?? from.name ?? signed ?? null;
  if (name && isOrganization(name)) name = null;
  return {
    name,
    email,
    phone: text.match(PHONE)?.[0]?.trim() ?? null,
    organization: own,
    organizations: organizations.map((org) => org.name),
  };
}

/** Named parties on the other side: organisations that are not the writer's, and people after a cue. */
export function findOpposingParties(
  text: string,
  client: Identity,
  organizations: readonly string[],
): string[] {
  const cued = [...text.matchAll(OPPOSING)]
    .map((m) => withOrgSuffix(text, m))
    .filter((name) => isName(name, 1) || isOrganization(name));
  const parties = [...organizations, ...cued].map(cleanParty);
  const own = [client.name, client.organization].filter((n): n is string => !!n).map(normalized);
  const seen = new Set<string>(own);
  return parties.filter((party) => {
    const key = normalized(party);
    if (!key || seen.has(key) || [...seen].some((s) => overlaps(s, key))) return false;
    seen.add(key);
    return true;
  });
}

function findOrganizations(text: string): Array<{ name: string; own: boolean }> {
  const orgs: Array<{ name: string; own: boolean }> = [];
  for (const match of text.matchAll(ORG)) {
    const words = match[1].split(/[ \t]+/);
    while (words.length > 0 && NOT_NAMES.has(words[0])) words.shift();
    if (words.length === 0) continue;
    const name = cleanParty(`${words.join(' ')} ${match[2]}`);
    const lead = text.slice(
      Math.max(0, (match.index ?? 0) - 60),
      (match.index ?? 0) + match[0].indexOf(words[0]),
    );
    const own = OWN_ORG_CUE.test(lead.replace(/\s+/g, ' '));
    const existing = orgs.find((org) => normalized(org.name) === normalized(name));
    if (existing) existing.own ||= own;
    else orgs.push({ name, own });
  }
  return orgs;
}

function parseSender(sender: string | null): { name: string | null; email: string | null } {
  if (!sender) return { name: null, email: null };
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>/.exec(sender);
  if (match) return { name: match[1].trim() || null, email: match[2].trim() };
  const email = sender.match(EMAIL)?.[0] ?? null;
  const rest = sender.replace(EMAIL, '').trim();
  return { name: rest && !rest.includes('@') ? rest : null, email };
}

function isName(candidate: string, minWords: number): boolean {
  const words = candidate.trim().split(/[ \t]+/);
  return words.length >= minWords && !NOT_NAMES.has(words[0]) && !words.every((w) => NOT_NAMES.has(w));
}

function isOrganization(name: string): boolean {
  return new RegExp(`\\b${ORG_SUFFIX}\\.?$`).test(name.trim());
}

/** A cued name followed by an organisation suffix keeps it ("against Globex Corp"). */
function withOrgSuffix(text: string, match: RegExpExecArray | RegExpMatchArray): string {
  const end = (match.index ?? 0) + match[0].length;
  const suffix = new RegExp(`^,?[ \\t]+(${ORG_SUFFIX})\\b`).exec(text.slice(end));
  return suffix ? `${match[1]} ${suffix[1]}` : match[1];
}

function cleanParty(name: string): string {
  return name
    .replace(/['’]s$/, '')
    .replace(/\.$/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "Bayview Movers" and "Bayview Movers LLC" are one party; very short names match only exactly. */
function overlaps(a: string, b: string): boolean {
  return a.length >= 4 && b.length >= 4 && (a.includes(b) || b.includes(a));
}

function normalized(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `acme freight inc` and p.natarajan@acmefreight.example: the writer's own domain. */
function emailMatches(email: string | null, org: string): boolean {
  if (!email) return false;
  const domain = email.split('@')[1]?.toLowerCase() ?? '';
  const core = normalized(org.replace(new RegExp(`\\b${ORG_SUFFIX}\\.?$`), ''));
  return core.length >= 4 && domain.replace(/[^a-z0-9.]/g, '').includes(core);
}

/** `against` → `[Aa]gainst`: cues start sentences too, while names must stay case-sensitive. */
function anyCaseInitial(cue: string): string {
  return cue.replace(/^([a-z])/, (c) => `[${c.toUpperCase()}${c}]`);
}
