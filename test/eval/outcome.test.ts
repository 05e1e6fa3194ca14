import type { Assessment, CheckConflictsResult } from '../../agents';
import { conflictSources, deadlineSources, failedItem } from '../../eval/outcome';
import type { CorpusItem } from '../../eval/corpus';
import {
  initialLegalIntakeStatus,
  type ConflictCheckRun,
  type LegalIntakeStatus,
  type LimitationCheckRun,
} from '../../workflows/legal-intake';

const WARNING_DAYS = 30;
type Hit = CheckConflictsResult['hits'][number];

const hit = (changes: Partial<Hit> = {}): Hit => ({
  party: 'Maria Gonzalez',
  matchedName: 'Maria Gonzalez',
  relation: 'adverse_party_is_client',
  matterId: 'M-2002',
  score: 1,
  ...changes,
});

const conflictRun = (hits: Hit[], source: ConflictCheckRun['source'] = 'workflow'): ConflictCheckRun => ({
  source,
  at: '2026-10-01',
  result: { status: hits.length > 0 ? 'potential_conflict' : 'clear', hits, checkedParties: [] },
  missing: [],
});

/** A limitation run on 2026-10-01 whose deadline is `deadline`. */
const limitationRun = (
  deadline: string | null,
  candidate?: LimitationCheckRun['candidate'],
): LimitationCheckRun => ({
  source: 'workflow',
  at: '2026-10-01',
  args: { jurisdiction: 'US-FL', matterType: 'personal_injury', incidentDate: '2024-10-20' },
  result: {
    known: true,
    periodMonths: 24,
    deadline,
    daysRemaining: null,
    basis: 'demo',
    asOf: '2026-10-01',
  },
  missing: [],
  ...(candidate ? { candidate } : {}),
});

function status(
  changes: Partial<Pick<LegalIntakeStatus['results'], 'checks' | 'assessment' | 'gates'>>,
): LegalIntakeStatus {
  const initial = initialLegalIntakeStatus('wf', 'ext');
  return { ...initial, results: { ...initial.results, ...changes } };
}

const assessment = (conflictStatus: Assessment['conflictStatus']) => ({ conflictStatus }) as Assessment;

describe('where a run caught a conflict', () => {
  it('lists the distinct source of every hit of every run, and the reasoner when it did not say clear', () => {
    const seen = status({
      checks: {
        conflicts: [
          conflictRun([hit({ source: 'sender' }), hit({ source: 'recognized' }), hit({ source: 'sender' })]),
          conflictRun([hit({ source: 'model:opposing' }), hit()], 'reasoner'),
        ],
        limitation: [],
      },
      assessment: assessment('potential_conflict'),
    });
    expect(conflictSources(seen)).toEqual([
      'sender',
      'recognized',
      'model:opposing',
      'unlabelled',
      'reasoner:status',
    ]);
  });

  it('lists nothing for clear checks and a clear assessment', () => {
    const clear = status({
      checks: { conflicts: [conflictRun([])], limitation: [] },
      assessment: assessment('clear'),
    });
    expect(conflictSources(clear)).toEqual([]);
    expect(conflictSources(status({ assessment: assessment('conflict') }))).toEqual(['reasoner:status']);
  });
});

describe('where a run caught a deadline', () => {
  const recognized = { date: '2024-10-20', source: 'recognized', rule: 'classified' } as const;
  const flagged = (limitation: LimitationCheckRun[], gated = false) =>
    deadlineSources(
      status({
        checks: { conflicts: [], limitation },
        gates: {
          classify: null,
          reason: gated
            ? { passed: false, reasons: [{ code: 'limitation_imminent', message: 'ends soon' }] }
            : null,
          draft: null,
          file: null,
        },
      }),
      WARNING_DAYS,
    );

  it('says classified for a run from the incident date and recognized for a run from a written date', () => {
    expect(flagged([limitationRun('2026-10-20')])).toEqual(['classified']);
    expect(flagged([limitationRun('2026-10-20', recognized)])).toEqual(['recognized']);
    expect(flagged([limitationRun('2029-01-01'), limitationRun('2026-09-01', recognized)])).toEqual([
      'recognized',
    ]);
    expect(flagged([limitationRun('2026-10-20'), limitationRun('2026-10-25', recognized)], true)).toEqual([
      'classified',
      'recognized',
    ]);
  });

  it('says gate only when no run flags, and nothing when nothing does', () => {
    expect(flagged([limitationRun('2029-01-01')], true)).toEqual(['gate']);
    expect(flagged([], true)).toEqual(['gate']);
    expect(flagged([limitationRun('2029-01-01'), limitationRun(null, recognized)])).toEqual([]);
  });
});

it('gives a failed run empty source lists', () => {
  const item = { id: 'x', expected: { conflict: true } } as unknown as CorpusItem;
  expect(failedItem(item, 'boom').caught).toEqual({
    conflict: null,
    deadline: null,
    conflictSources: [],
    deadlineSources: [],
  });
});
