/**
 * The workflow's mandatory checks over everything the intake says, not only what the classifier extracted:
 * - `checkIntakeConflicts`: the conflict rule (tools/conflicts.ts) over every identity in the intake: the
 *   sender's display name, e-mail local part and domain, the names in the sender's signature, the
 *   classifier's client and opposing parties, and every person and organisation the recognizer found;
 * - `limitationCandidates`: the limitation rule over every date the intake writes, beside the classifier's
 *   incident date.
 * Both re-identify inside the activity; what they return names people and organisations by token only.
 */
import type {
  CheckConflictsResult,
  Classification,
  LimitationPeriodArgs,
  LimitationPeriodResult,
} from '../agents';
import type { Queryable } from '../db';
import { addMonths, daysBetween, senderAddress, senderName, type IntakeRequest } from '../domain';
import type { PersonalDataStore } from '../personal-data';
import {
  findEventDates,
  parseToken,
  reidentify,
  senderSignatureNames,
  type PseudonymMapping,
} from '../pseudonymize';
import { Tokens } from './personal-data';
import { comparableName, nameFromEmailPart } from './tools/name-match';
import { conflictHits, readConflictDirectory, type CheckedName } from './tools/conflicts';
import { workflowRun } from './workflow-run';

/** Names checked per intake: more (a long document, a list of names) is checked up to this and escalated. */
export const MAX_CHECKED_NAMES = 120;
/** Dates checked per intake, likewise. */
export const MAX_DATE_CANDIDATES = 40;
/** Hits kept in the result (and so the history), best first; the count of all of them is logged. */
const MAX_HITS = 25;

/** Mail providers whose domain says nothing about who writes. */
const SHARED_MAIL_DOMAINS = new Set([
  'gmail',
  'googlemail',
  'yahoo',
  'outlook',
  'hotmail',
  'live',
  'msn',
  'icloud',
  'me',
  'aol',
  'proton',
  'protonmail',
  'gmx',
  'mail',
  'yandex',
  'zoho',
  'fastmail',
  'example',
]);
/** Second-level labels under which the organisation's name is one label further left (acme.co.uk). */
const GENERIC_LABELS = new Set(['co', 'com', 'org', 'net', 'gov', 'ac', 'edu']);

export interface IntakeConflictsInput {
  /** The classifier's client and opposing parties, as the model wrote them (tokens). */
  client: Pick<Classification['client'], 'name' | 'organization'>;
  opposingParties: string[];
}

/** The check's result, and what kept it from checking everything (the workflow escalates on that). */
export interface IntakeConflictsResult {
  result: CheckConflictsResult;
  missing: string[];
}

/** One more date the limitation rule was counted from, with the rule used. */
export interface LimitationCandidate {
  args: LimitationPeriodArgs;
  result: LimitationPeriodResult;
  candidate: { date: string; source: 'recognized'; rule: 'classified' | 'shortest' };
}

export interface LimitationCandidatesResult {
  candidates: LimitationCandidate[];
  missing: string[];
}

interface RuleRow {
  matter_type: string;
  period_months: number;
  basis: string;
}

export interface IdentityCheckDeps {
  db: Queryable;
  store: PersonalDataStore;
}

export function createIdentityChecks({ db, store }: IdentityCheckDeps) {
  return {
    async checkIntakeConflicts(input: IntakeConflictsInput): Promise<IntakeConflictsResult> {
      const { workflowId } = workflowRun();
      const [raw, read, clientMail] = await Promise.all([
        store.loadIntake(workflowId),
        store.readMapping(workflowId),
        db.query<ClientMail>('SELECT name, email FROM clients WHERE email IS NOT NULL ORDER BY client_id'),
      ]);
      const missing: string[] = [];
      const all = identities(raw, read.mapping, input, clientsWriting(raw?.from, clientMail.rows), missing);
      if (!all.some((name) => name.role === 'client')) missing.push('client identity');
      const names = all.slice(0, MAX_CHECKED_NAMES);
      if (all.length > names.length) {
        missing.push(`a check of every name (${all.length} found, the first ${names.length} checked)`);
      }
      const hits = conflictHits(names, await readConflictDirectory(db, names)).slice(0, MAX_HITS);
      return store.updateMapping(
        workflowId,
        (current) => {
          const tokens = new Tokens(current);
          const result: CheckConflictsResult = {
            status: hits.length > 0 ? 'potential_conflict' : 'clear',
            // The directory's name first: a name the intake did not write reads back as the directory has it.
            hits: hits.map((hit) => {
              const matchedName = tokens.name(hit.matchedName);
              return { ...hit, party: tokens.name(hit.party), matchedName };
            }),
            checkedParties: [...new Set(names.map((n) => tokens.name(n.name)))],
          };
          return { mapping: tokens.mapping, result: { result, missing } };
        },
        read,
      );
    },

    async limitationCandidates(
      input: LimitationPeriodArgs & { asOf: string },
    ): Promise<LimitationCandidatesResult> {
      const { workflowId } = workflowRun();
      const { jurisdiction, matterType, incidentDate, asOf } = input;
      const raw = await store.loadIntake(workflowId);
      if (!raw || jurisdiction === null) return { candidates: [], missing: [] };
      const found = findEventDates(intakeText(raw)).filter((date) => date <= asOf && date !== incidentDate);
      if (found.length === 0) return { candidates: [], missing: [] };
      const dates = found.slice(0, MAX_DATE_CANDIDATES);
      const missing =
        found.length > dates.length
          ? [`a check of every date (${found.length} found, the first ${dates.length} checked)`]
          : [];
      const { rows } = await db.query<RuleRow>(
        'SELECT matter_type, period_months, basis FROM limitation_rules WHERE jurisdiction = $1',
        [jurisdiction],
      );
      const classified = rows.find((row) => row.matter_type === matterType);
      const shortest = rows.reduce<RuleRow | undefined>(
        (a, b) => (a && a.period_months <= b.period_months ? a : b),
        undefined,
      );
      // A matter type left as `other` is one the classifier could not place: the shortest period on file
      // for the jurisdiction stands in. Types with no rule on purpose (family, immigration…) have none.
      const rule = classified ?? (matterType === 'other' ? shortest : undefined);
      if (!rule) return { candidates: [], missing };
      const candidates = dates.map((date): LimitationCandidate => {
        const deadline = addMonths(date, rule.period_months);
        return {
          args: { jurisdiction, matterType, incidentDate: date },
          result: {
            known: true,
            periodMonths: rule.period_months,
            deadline,
            daysRemaining: daysBetween(asOf, deadline),
            basis: classified
              ? rule.basis
              : `${rule.basis} (the shortest period on file for ${jurisdiction}: the matter type is not known)`,
            asOf,
          },
          candidate: { date, source: 'recognized', rule: classified ? 'classified' : 'shortest' },
        };
      });
      return { candidates, missing };
    },
  };
}

/**
 * Every identity to check, in order of how sure its role is, once each (by comparable name): the sender,
 * the signature, the classifier's client and opposing parties, then every other person and organisation
 * the intake mentions.
 */
function identities(
  raw: IntakeRequest | null,
  mapping: PseudonymMapping,
  input: IntakeConflictsInput,
  senderClients: readonly string[],
  missing: string[],
): CheckedName[] {
  const names: CheckedName[] = [];
  // A name is checked once per role; a mentioned one not at all once it was checked in any role.
  const seen = new Set<string>();
  const seenInAnyRole = new Set<string>();
  const add = (name: string | null | undefined, source: CheckedName['source'], role: CheckedName['role']) => {
    const clear = name ? reidentify(name, mapping).trim() : '';
    const key = comparableName(clear);
    if (!key || seen.has(`${role}|${key}`) || (role === 'mentioned' && seenInAnyRole.has(key))) return;
    seen.add(`${role}|${key}`);
    seenInAnyRole.add(key);
    names.push({ name: clear, source, role });
  };
  if (raw) {
    add(senderName(raw.from), 'sender', 'client');
    for (const part of senderEmailParts(raw.from)) add(part, 'sender', 'client');
    for (const client of senderClients) add(client, 'sender', 'client');
    try {
      for (const name of senderSignatureNames(raw.body)) add(name, 'signature', 'client');
    } catch (err) {
      missing.push(`the signature's names (the recognizer failed: ${(err as Error).name})`);
    }
  }
  add(input.client.organization, 'model:client', 'client');
  add(input.client.name, 'model:client', 'client');
  for (const party of input.opposingParties) add(party, 'model:opposing', 'opposing');
  if (raw) for (const name of mentionedNames(raw, mapping)) add(name, 'recognized', 'mentioned');
  return names;
}

interface ClientMail {
  name: string;
  email: string;
}

/**
 * The clients the sender's address says they write for: the client whose e-mail it is, or whose e-mail is on
 * the same domain (a shared mail provider's excepted).
 */
function clientsWriting(from: string | undefined, clients: readonly ClientMail[]): string[] {
  const address = senderAddress(from)?.toLowerCase();
  if (!address) return [];
  const domain = address.split('@')[1];
  const shared = SHARED_MAIL_DOMAINS.has(domainLabel(domain) ?? '');
  return clients
    .filter((client) => {
      const email = client.email.toLowerCase();
      return email === address || (!shared && email.split('@')[1] === domain);
    })
    .map((client) => client.name);
}

/** The label of a domain that names its owner: `acme` in acme.example, acme.com and acme.co.uk. */
function domainLabel(domain: string): string | undefined {
  const labels = domain.split('.').slice(0, -1);
  const label = labels.at(-1);
  return label && GENERIC_LABELS.has(label) && labels.length > 1 ? labels.at(-2) : label;
}

/** The sender's e-mail local part as a name ("daniel.whitaker", "dwhitaker") and its domain's name label. */
function senderEmailParts(from: string | undefined): string[] {
  const address = senderAddress(from);
  if (!address) return [];
  const [local, domain] = address.toLowerCase().split('@');
  const parts = [nameFromEmailPart(local) ?? (/^[a-z]{6,}$/.test(local) ? local : null)];
  const label = domainLabel(domain);
  if (label && !SHARED_MAIL_DOMAINS.has(label)) parts.push(label.replace(/[-_]/g, ' '));
  return parts.filter((part): part is string => !!part);
}

/**
 * The people and organisations of the mapping that the intake itself writes (a token a tool added for a
 * directory row the intake never named is not among them), by their first-written value.
 */
function mentionedNames(raw: IntakeRequest, mapping: PseudonymMapping): string[] {
  const text = intakeText(raw).toLowerCase();
  return Object.entries(mapping.tokens)
    .filter(([token]) => {
      const category = parseToken(token)?.category;
      return category === 'PERSON' || category === 'ORG';
    })
    .filter(([token]) => (mapping.forms[token] ?? []).some((form) => text.includes(form.toLowerCase())))
    .map(([, value]) => value);
}

function intakeText(intake: IntakeRequest): string {
  return [intake.from, intake.subject, intake.body].filter(Boolean).join('\n');
}
