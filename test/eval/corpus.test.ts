import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { matchNames, nameFromEmailPart } from '../../activities/tools/name-match';
import { normalizeName } from '../../db';
import { SEED_ADVERSE_PARTIES, SEED_CLIENTS, SEED_MATTERS } from '../../db/seed-data';
import { SEED_LIMITATION_RULES } from '../../db/seed-limitation-rules';
import { Jurisdiction, MatterType, Urgency, addMonths, daysBetween } from '../../domain';
import { CORPUS_DIR, CorpusError, loadCorpus, type CorpusItem } from '../../eval/corpus';

/** The policy's warning window (config `policy.limitationWarningDays` in temporal.config.json). */
const WARNING_DAYS = 30;

const files = readdirSync(CORPUS_DIR)
  .filter((name) => name.endsWith('.jsonl'))
  .sort()
  .map((name) => path.join(CORPUS_DIR, name));
const corpus = loadCorpus(files);
const dev = loadCorpus([path.join(CORPUS_DIR, 'dev.jsonl')]);
const heldOut = loadCorpus([path.join(CORPUS_DIR, 'test.jsonl')]);
/** Written after the identity checks' issue, before any run on it: a dev file (see the README). */
const identity = loadCorpus([path.join(CORPUS_DIR, 'identity.jsonl')]);

const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
const ids = (items: readonly CorpusItem[]) => items.map((item) => item.id);

describe('the evaluation corpus', () => {
  it('holds at least 150 intakes, each id once across all files', () => {
    expect(files.map((f) => path.basename(f))).toEqual(['dev.jsonl', 'identity.jsonl', 'test.jsonl']);
    expect(corpus.length).toBeGreaterThanOrEqual(150);
    expect(new Set(ids(corpus)).size).toBe(corpus.length);
  });

  it('covers every matter type, urgency and jurisdiction, and intakes from outside them', () => {
    const present = (pick: (item: CorpusItem) => string | null) => new Set(corpus.map(pick));
    expect([...present((i) => i.expected.matterType)].sort()).toEqual([...MatterType.options].sort());
    expect([...present((i) => i.expected.urgency)].sort()).toEqual([...Urgency.options].sort());
    const jurisdictions = present((i) => i.expected.jurisdiction);
    for (const j of Jurisdiction.options) expect(jurisdictions).toContain(j);
    expect(corpus.filter((i) => i.expected.jurisdiction === null).length).toBeGreaterThanOrEqual(15);
    expect(
      corpus.filter((i) => /\bOut of area\b/.test(i.expected.notes ?? '')).length,
    ).toBeGreaterThanOrEqual(8);
    for (const channel of ['email', 'web', 'phone']) {
      expect(corpus.filter((i) => i.intake.channel === channel).length).toBeGreaterThanOrEqual(10);
    }
  });

  it('keeps a held-out test split apart from dev that still covers every matter type', () => {
    expect(dev.length + heldOut.length + identity.length).toBe(corpus.length);
    expect(heldOut.length).toBeGreaterThanOrEqual(45);
    const tuning = [...dev, ...identity];
    expect(ids(heldOut).filter((id) => ids(tuning).includes(id))).toEqual([]);
    const devBodies = new Set(tuning.map((i) => i.intake.body));
    expect(heldOut.filter((i) => devBodies.has(i.intake.body)).map((i) => i.id)).toEqual([]);
    const types = new Set(heldOut.map((i) => i.expected.matterType));
    expect([...types].sort()).toEqual([...MatterType.options].sort());
    expect(new Set(heldOut.map((i) => i.expected.urgency)).size).toBe(Urgency.options.length);
  });

  it('names opposing parties as plain, distinct strings that are never the client', () => {
    for (const { id, expected } of corpus) {
      const names = expected.opposingParties.map((p) => [id, typeof p, p.trim() === p && p.length > 0]);
      expect(names).toEqual(expected.opposingParties.map(() => [id, 'string', true]));
      const keys = expected.opposingParties.map(normalizeName);
      expect(new Set(keys).size).toBe(keys.length);
      if (expected.clientName) expect(keys).not.toContain(normalizeName(expected.clientName));
    }
    expect(corpus.filter((i) => i.expected.opposingParties.length >= 2).length).toBeGreaterThanOrEqual(15);
  });

  it('labels a conflict exactly where the firm conflict rule finds one in the demo directory', () => {
    // The rule of activities/tools/conflicts.ts over the expected client and opposing parties, nicknames,
    // initials and spelling slips included (matchNames).
    const openMatters = new Set(SEED_MATTERS.filter((m) => m.status === 'open').map((m) => m.matterId));
    const adverseInOpen = SEED_ADVERSE_PARTIES.filter((a) => openMatters.has(a.matterId)).map((a) => ({
      name: a.name,
      kind: undefined,
    }));
    const clients = SEED_CLIENTS.map((c) => ({ name: c.name, kind: c.kind }));
    const hit = (name: string, directory: readonly { name: string; kind?: 'person' | 'organization' }[]) =>
      directory.filter((d) => matchNames(name, d.name, d.kind) !== null).map((d) => d.name);

    const hits = corpus.map(({ id, expected }) => ({
      id,
      clientIsAdverse: expected.clientName ? hit(expected.clientName, adverseInOpen) : [],
      adverseIsClient: expected.opposingParties.flatMap((p) => hit(p, clients)),
    }));
    const disagreements = corpus
      .map((item, i) => ({
        id: item.id,
        labelled: item.expected.conflict === true,
        rule: hits[i].clientIsAdverse.length + hits[i].adverseIsClient.length > 0,
      }))
      .filter((d) => d.labelled !== d.rule);
    expect(disagreements).toEqual([]);
    expect(hits.filter((h) => h.clientIsAdverse.length > 0).length).toBeGreaterThanOrEqual(5);
    expect(hits.filter((h) => h.adverseIsClient.length > 0).length).toBeGreaterThanOrEqual(5);
  });

  it('includes existing clients and near misses that are not conflicts', () => {
    const clientNames = new Set(SEED_CLIENTS.map((c) => normalizeName(c.name)));
    const fromClients = corpus.filter(
      (i) => i.expected.clientName && clientNames.has(normalizeName(i.expected.clientName)),
    );
    expect(fromClients.length).toBeGreaterThanOrEqual(8);
    expect(fromClients.filter((i) => !i.expected.conflict).length).toBe(fromClients.length);
    const closedOnly = ['Lone Star Title Co.', 'Metro Grocers Inc.'].map(normalizeName);
    const nearMisses = corpus.filter(
      (i) => i.expected.clientName && closedOnly.includes(normalizeName(i.expected.clientName)),
    );
    expect(nearMisses.length).toBeGreaterThanOrEqual(3);
    expect(nearMisses.filter((i) => i.expected.conflict).map((i) => i.id)).toEqual([]);
  });

  it('flags each limitation deadline within the warning window, with dates that follow the rule on file', () => {
    const flagged = corpus.filter((i) => i.expected.deadline);
    expect(flagged.length).toBeGreaterThanOrEqual(10);
    expect(corpus.filter((i) => /\bLimitation:/.test(i.expected.notes ?? '')).map((i) => i.id)).toEqual(
      ids(flagged),
    );
    for (const { id, intake, expected } of flagged) {
      const [incident, deadline] = expected.notes!.match(/\d{4}-\d{2}-\d{2}/g)!;
      const rule = SEED_LIMITATION_RULES.find(
        (r) => r.matterType === expected.matterType && r.jurisdiction === expected.jurisdiction,
      );
      const left = daysBetween(intake.receivedAt!.slice(0, 10), deadline);
      expect({ id, deadline: addMonths(incident, rule!.periodMonths), near: left <= WARNING_DAYS }).toEqual({
        id,
        deadline,
        near: true,
      });
      if (left >= 0) expect(expected.notes).toContain(`${left} days after receipt`);
      expect(expected.mustReview).toBe(true);
    }
    expect(flagged.some((i) => /before receipt/.test(i.expected.notes!))).toBe(true);
  });

  it('sends hostile, vague and out-of-area intakes to a reviewer and says why', () => {
    const hostile = corpus.filter((i) => HOSTILE.some((pattern) => pattern.test(i.intake.body)));
    expect(hostile.length).toBeGreaterThanOrEqual(8);
    expect(ids(hostile)).toEqual(ids(corpus.filter((i) => /Hostile:/.test(i.expected.notes ?? ''))));
    const vague = corpus.filter((i) => /^Vague:/.test(i.expected.notes ?? ''));
    expect(vague.length).toBeGreaterThanOrEqual(8);
    const nowhere = corpus.filter((i) => i.expected.jurisdiction === null);
    for (const item of [...hostile, ...vague, ...nowhere]) {
      expect({ id: item.id, mustReview: item.expected.mustReview }).toEqual({
        id: item.id,
        mustReview: true,
      });
    }
  });

  it('includes other languages, long letters, forwarded threads and phone notes', () => {
    const foreign = corpus.filter((i) => looksNonEnglish(i.intake.body));
    expect(foreign.length).toBeGreaterThanOrEqual(12);
    expect(
      foreign.filter((i) => /[\p{Script=Han}\p{Script=Hangul}]/u.test(i.intake.body)).length,
    ).toBeGreaterThan(3);
    expect(corpus.filter((i) => words(i.intake.body) >= 2000).length).toBeGreaterThanOrEqual(3);
    expect(corpus.filter((i) => FORWARDED.test(i.intake.body)).length).toBeGreaterThanOrEqual(4);
  });
});

describe('identity.jsonl: conflicts and dates wherever an intake writes them', () => {
  const kind = (prefix: string) => identity.filter((i) => i.id.startsWith(`id-${prefix}-`));
  const localPart = (from: string | undefined) => (from ?? '').replace(/^.*</, '').replace(/>.*$/, '');
  /** Any word of four letters or more of the name in the text (case and accents aside). */
  const mentions = (text: string, name: string) =>
    normalizeName(name)
      .split(' ')
      .filter((w) => w.length >= 4)
      .some((w) => normalizeName(text).includes(w));

  it('covers each way an identity or a date hides at least twice, and three items that are no conflict', () => {
    for (const prefix of ['sig', 'addr', 'narr', 'nick', 'es', 'date']) {
      expect({ prefix, items: kind(prefix).length >= 2 }).toEqual({ prefix, items: true });
    }
    const conflicts = ['sig', 'addr', 'narr', 'nick', 'es'].flatMap(kind);
    expect(conflicts.filter((i) => !i.expected.conflict).map((i) => i.id)).toEqual([]);
    expect(
      kind('date')
        .filter((i) => !i.expected.deadline)
        .map((i) => i.id),
    ).toEqual([]);
    const clear = [...kind('near'), ...kind('mention')];
    expect(clear.length).toBeGreaterThanOrEqual(3);
    expect(clear.filter((i) => i.expected.conflict).map((i) => i.id)).toEqual([]);
    expect(kind('mention').every((i) => /^Mention: /.test(i.expected.notes ?? ''))).toBe(true);
    expect(identity.length).toBe(
      ['sig', 'addr', 'narr', 'nick', 'es', 'date', 'near', 'mention'].flatMap(kind).length,
    );
  });

  it('names the signer only in the signature, and the sender only in the address', () => {
    for (const { id, intake, expected } of kind('sig')) {
      expect({ id, bare: !intake.from!.includes('<') }).toEqual({ id, bare: true });
      const fromAddress = nameFromEmailPart(localPart(intake.from));
      expect({ id, address: fromAddress && matchNames(fromAddress, expected.clientName!) }).toEqual({
        id,
        address: null,
      });
      const lines = intake.body.trimEnd().split('\n');
      expect({ id, signed: lines.slice(-6).some((l) => l.includes(expected.clientName!)) }).toEqual({
        id,
        signed: true,
      });
      expect({ id, once: intake.body.split(expected.clientName!).length - 1 }).toEqual({ id, once: 1 });
    }
    for (const { id, intake, expected } of kind('addr')) {
      expect({ id, inBody: mentions(intake.body, expected.clientName!) }).toEqual({ id, inBody: false });
      expect({ id, inFrom: mentions(intake.from!.replace(/[._@-]/g, ''), expected.clientName!) }).toEqual({
        id,
        inFrom: true,
      });
    }
  });

  it('uses a short form of a directory name in every nickname item', () => {
    const directory = [
      ...SEED_CLIENTS.map((c) => ({ name: c.name, kind: c.kind })),
      ...SEED_ADVERSE_PARTIES.map((a) => ({ name: a.name, kind: undefined })),
    ];
    for (const { id, expected } of kind('nick')) {
      const names = [expected.clientName ?? '', ...expected.opposingParties];
      const kinds = names.flatMap((n) => directory.map((d) => matchNames(n, d.name, d.kind)?.kind));
      expect({ id, nickname: kinds.includes('nickname') }).toEqual({ id, nickname: true });
    }
  });

  it('writes each incident date only in words, never as YYYY-MM-DD, in Spanish or a long letter', () => {
    for (const { id, intake, expected } of kind('date')) {
      const [incident] = expected.notes!.match(/\d{4}-\d{2}-\d{2}/g)!;
      expect({ id, iso: intake.body.includes(incident) }).toEqual({ id, iso: false });
      expect({ id, spanishOrLong: looksNonEnglish(intake.body) || words(intake.body) >= 600 }).toEqual({
        id,
        spanishOrLong: true,
      });
    }
    expect(kind('es').every((i) => looksNonEnglish(i.intake.body))).toBe(true);
  });
});

describe('loadCorpus', () => {
  let dir: string;
  const good = corpus[0];
  const line = (value: unknown) => JSON.stringify(value);

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'docket-corpus-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, lines: string[]): string {
    const file = path.join(dir, name);
    writeFileSync(file, `${lines.join('\n')}\n`);
    return file;
  }

  it.each([
    [
      'an urgency outside the enum',
      { ...good, expected: { ...good.expected, urgency: 'urgent' } },
      'expected.urgency',
    ],
    [
      'an opposing party that is not a string',
      { ...good, expected: { ...good.expected, opposingParties: ['Acme Freight Inc.', 42] } },
      'expected.opposingParties[1]',
    ],
    [
      'a misspelt field',
      { ...good, expected: { ...good.expected, mustreview: true } },
      'expected.mustreview',
    ],
    ['a channel it does not know', { ...good, intake: { ...good.intake, channel: 'fax' } }, 'intake.channel'],
    [
      'a conflict no reviewer would see',
      { ...good, expected: { ...good.expected, conflict: true, mustReview: false } },
      'expected.mustReview',
    ],
  ])('names the file, line and field of %s', (_what, bad, field) => {
    const file = write('bad.jsonl', [line(good), '', line(bad)]);
    const err = thrownBy(() => loadCorpus([file]));
    expect(err).toBeInstanceOf(CorpusError);
    expect(err).toMatchObject({ file, line: 3, field });
    expect((err as Error).message.startsWith(`${file}:3: ${field}: `)).toBe(true);
  });

  it('names the line that is not JSON', () => {
    const file = write('broken.jsonl', [line(good), '{"id": "x", "intake": ']);
    expect(() => loadCorpus([file])).toThrow(new RegExp(`^${escape(file)}:2: not valid JSON`));
  });

  it('rejects an id used again in another file, naming both places', () => {
    const first = write('a.jsonl', [line(good)]);
    const second = write('b.jsonl', [
      line({ ...corpus[1], id: 'other' }),
      line({ ...corpus[2], id: good.id }),
    ]);
    expect(() => loadCorpus([first, second])).toThrow(
      `${second}:2: id: duplicate id "${good.id}", first used at ${first}:1`,
    );
  });
});

/** Text addressed to the model rather than to the firm. */
const HOSTILE = [
  /ignore (?:all |the )?(?:previous|prior|above)/i,
  /\b(?:note|reminder|instructions?)\b.{0,20}\b(?:to|for)\b.{0,10}\b(?:AI|assistant|automated system|classification model)\b/i,
  /\[assistant\b/i,
  /^SYSTEM\b/m,
  /\bto the AI\b/i,
];

const FORWARDED = /Forwarded message|Original Message|Begin forwarded message/;

/** Common English words; text in another language has almost none of them. */
const ENGLISH = new Set(
  'the and of to my is was with that have for this you it at we i he she they are be not'.split(' '),
);

function looksNonEnglish(text: string): boolean {
  const letters = text.match(/\p{L}/gu) ?? [];
  const nonLatin = letters.filter((c) => !/\p{Script=Latin}/u.test(c)).length;
  if (nonLatin > letters.length * 0.3) return true;
  const tokens = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  return tokens.filter((t) => ENGLISH.has(t)).length < tokens.length * 0.04;
}

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error, none was thrown');
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
