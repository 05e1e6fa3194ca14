import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { CORPUS_DIR } from '../../eval/corpus';
import { CLINICAL_CORPUS_DIR } from '../../eval/clinical/corpus';
import { CLINICAL_SUMMARY_REST_NAME } from '../../eval/clinical/run';
import { UsageError, parseEvalArgs } from '../../scripts/eval';
import { CLINICAL_SUMMARY_REST_NAME as WORKFLOW_REST_NAME } from '../../workflows/clinical-summary';

const ROOT = path.join(__dirname, '../..');
const cwd = '/somewhere';

describe('npm run eval -- --workflow', () => {
  it('evaluates legal intake unless told otherwise', () => {
    expect(parseEvalArgs([], {}, cwd).workflow).toBe('legal-intake');
    expect(parseEvalArgs(['--workflow', 'legal-intake', '--split', 'identity'], {}, cwd).corpus).toEqual([
      path.join(CORPUS_DIR, 'identity.jsonl'),
    ]);
  });

  it('runs the clinical corpus, both files by default, or one split', () => {
    expect(CLINICAL_SUMMARY_REST_NAME).toBe(WORKFLOW_REST_NAME);
    const args = parseEvalArgs(['--workflow', 'clinical-summary'], {}, cwd);
    expect(args).toMatchObject({ workflow: 'clinical-summary', concurrency: 4, limit: null, compare: null });
    expect(args.corpus).toEqual([
      path.join(CLINICAL_CORPUS_DIR, 'dev.jsonl'),
      path.join(CLINICAL_CORPUS_DIR, 'test.jsonl'),
    ]);
    expect(parseEvalArgs(['--workflow', 'clinical-summary', '--split', 'test'], {}, cwd).corpus).toEqual([
      path.join(CLINICAL_CORPUS_DIR, 'test.jsonl'),
    ]);
  });

  it('names the registered types when the one asked for is not one of them', () => {
    expect(() => parseEvalArgs(['--workflow', 'discharge'], {}, cwd)).toThrow(UsageError);
    expect(() => parseEvalArgs(['--workflow', 'discharge'], {}, cwd)).toThrow(
      '--workflow must be a registered workflow type (legal-intake, clinical-summary), not "discharge"',
    );
  });

  it.each([
    [['--workflow', 'clinical-summary', '--split', 'identity']],
    [['--workflow', 'clinical-summary', '--compare', 'old.json']],
    [['--workflow']],
  ])('refuses %j', (argv) => {
    expect(() => parseEvalArgs(argv, {}, cwd)).toThrow(UsageError);
  });

  it('exits 2 with the registered types before starting anything', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/eval.ts', '--workflow', 'nope'], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(
      'eval: --workflow must be a registered workflow type (legal-intake, clinical-summary)',
    );
    expect(run.stderr).toContain('--workflow TYPE');
    expect(run.stdout).toBe('');
  });
});
