import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const FIXTURE = path.join(ROOT, 'test/fixtures/dependency-rules');

interface Violation {
  rule: { name: string };
  from: string;
  to: string;
}

/** dependency-cruiser's violations of Docket's rules in `folders` under `cwd`. */
function cruise(cwd: string, folders: readonly string[]): Violation[] {
  const run = spawnSync(
    process.execPath,
    [DEPCRUISE, '--config', CONFIG, '--output-type', 'json', ...folders],
    {
      cwd,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    },
  );
  if (run.error) throw run.error;
  // It exits with the number of errors found; the answer is the JSON on stdout either way.
  try {
    return (JSON.parse(run.stdout) as { summary: { violations: Violation[] } }).summary.violations;
  } catch {
    throw new Error(`depcruise gave no report (exit ${run.status}): ${run.stderr}`);
  }
}

/** The folders `npm run deps` checks, read from its script so that this test and CI check the same tree. */
function checkedFolders(): string[] {
  const { scripts } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const words = scripts.deps.trim().split(/\s+/);
  return words.slice(words.indexOf('.dependency-cruiser.cjs') + 1);
}

const found = (violations: readonly Violation[], rule: string) =>
  violations.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`);

describe('the layer rules of .dependency-cruiser.cjs', () => {
  describe('on a tree that breaks each of them (test/fixtures/dependency-rules)', () => {
    let violations: Violation[];
    beforeAll(() => {
      violations = cruise(FIXTURE, ['api', 'audit', 'db', 'domain', 'test', 'workflows']);
    });

    it('reports an import cycle', () => {
      expect(found(violations, 'no-circular')).toEqual(['domain/a.ts → domain/b.ts']);
    });

    it('reports api/ importing the Temporal SDK, even a type, and importing workflow code', () => {
      expect(found(violations, 'api-not-temporal')).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/^api\/start\.ts → .*node_modules\/@temporalio\/client\//),
          'api/start.ts → workflows/messages.ts',
        ]),
      );
      expect(found(violations, 'api-not-temporal')).toHaveLength(2);
    });

    it("reports reaching past another folder's index.ts, but not the index itself nor a test", () => {
      expect(found(violations, 'no-deep-imports').sort()).toEqual([
        'api/start.ts → workflows/messages.ts',
        'audit/trail.ts → db/rows.ts',
      ]);
    });
  });

  it('finds nothing to report in the real tree (npm run deps)', () => {
    expect(cruise(ROOT, checkedFolders()).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });
});
