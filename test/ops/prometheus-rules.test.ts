import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const dir = path.resolve(__dirname, '../../ops/prometheus');
const rulesFile = path.join(dir, 'docket-rules.yml');
const testsFile = path.join(dir, 'docket-rules.test.yml');

/** The five kinds of alert the operators asked for: each is a rule group that must hold tested alerts. */
const ALERT_GROUPS = [
  'docket-provider-errors',
  'docket-escalation-rate',
  'docket-budget',
  'docket-reviews',
  'docket-workflow-failures',
];

interface Run {
  code: number;
  output: string;
}

/** Runs promtool; a missing promtool fails the test with how to install it, never skips it. */
function promtool(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile('promtool', args, { cwd: dir, timeout: 50_000 }, (error, stdout, stderr) => {
      if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') {
        reject(
          new Error(
            "promtool is not on PATH. It comes with Debian's prometheus package: `apt-get update && apt-get install -y --no-install-recommends prometheus` (.ci/run does this when it is missing).",
          ),
        );
        return;
      }
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}` });
    });
  });
}

/** Alert names per rule group, read line by line: `- name:` opens a group, `- alert:` names an alert. */
function alertsByGroup(rules: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of rules.split('\n')) {
    const group = /^\s*- name:\s*(\S+)\s*$/.exec(line);
    if (group) groups.set(group[1], (current = []));
    const alert = /^\s*- alert:\s*(\S+)\s*$/.exec(line);
    if (alert) current?.push(alert[1]);
  }
  return groups;
}

/**
 * What the test file expects of each alert: `firing` when a case lists expected alerts, `silent` when a case
 * expects none (`exp_alerts: []`). The test file keeps `alertname:` on the line before `exp_alerts:`.
 */
function casesByAlert(tests: string): Map<string, Set<'firing' | 'silent'>> {
  const cases = new Map<string, Set<'firing' | 'silent'>>();
  const lines = tests.split('\n');
  lines.forEach((line, i) => {
    const name = /^\s*(?:- )?alertname:\s*(\S+)\s*$/.exec(line)?.[1];
    if (!name) return;
    const expected = lines[i + 1] ?? '';
    const kind = /^\s*exp_alerts:\s*\[\]\s*$/.test(expected)
      ? 'silent'
      : /^\s*exp_alerts:\s*$/.test(expected) && /^\s*- exp_labels:/.test(lines[i + 2] ?? '')
        ? 'firing'
        : undefined;
    if (!kind) throw new Error(`docket-rules.test.yml line ${i + 2}: expected exp_alerts after alertname`);
    cases.set(name, (cases.get(name) ?? new Set()).add(kind));
  });
  return cases;
}

describe('the Prometheus rules in ops/prometheus', () => {
  it('are valid rules', async () => {
    const run = await promtool('check', 'rules', rulesFile);
    expect(run.output).toContain('SUCCESS');
    expect(run.code).toBe(0);
  });

  it('pass their unit tests', async () => {
    const run = await promtool('test', 'rules', testsFile);
    expect(run.output).toContain('SUCCESS');
    expect(run.code).toBe(0);
  });

  it('are loaded by the example scrape configuration', async () => {
    const run = await promtool('check', 'config', path.join(dir, 'prometheus.yml'));
    expect(run.output).toContain('1 rule files found');
    expect(run.code).toBe(0);
  });

  it('have a firing and a silent case for every alert of the five alert groups', async () => {
    const groups = alertsByGroup(await readFile(rulesFile, 'utf8'));
    const cases = casesByAlert(await readFile(testsFile, 'utf8'));
    for (const group of ALERT_GROUPS) {
      expect({ group, hasAlerts: (groups.get(group) ?? []).length > 0 }).toEqual({ group, hasAlerts: true });
    }
    const alerts = [...groups.values()].flat();
    const untested = alerts.filter((alert) => cases.get(alert)?.size !== 2);
    expect(untested).toEqual([]);
    expect(alerts.length).toBeGreaterThanOrEqual(ALERT_GROUPS.length);
  });

  describe('and promtool itself', () => {
    let tmp: string;
    beforeAll(async () => {
      tmp = await mkdtemp(path.join(tmpdir(), 'docket-promtool-'));
    });
    afterAll(async () => {
      await rm(tmp, { recursive: true, force: true });
    });

    it('rejects a rule whose query does not parse', async () => {
      const broken = path.join(tmp, 'broken.yml');
      await writeFile(
        broken,
        [
          'groups:',
          '  - name: broken',
          '    rules:',
          '      - alert: Broken',
          '        expr: sum(rate(docket_model_calls_total[5m]) > 0',
          '        for: 5m',
          '',
        ].join('\n'),
      );
      const run = await promtool('check', 'rules', broken);
      expect(run.code).not.toBe(0);
      expect(run.output).toMatch(/parse error|unclosed/i);
    });

    it('fails a unit test that expects an alert the series do not raise', async () => {
      const wrong = path.join(tmp, 'wrong.test.yml');
      await writeFile(
        wrong,
        [
          'rule_files:',
          `  - ${JSON.stringify(rulesFile)}`,
          'tests:',
          '  - interval: 1m',
          '    input_series:',
          '      - series: \'docket_workflows_total{status="completed"}\'',
          "        values: '0+5x60'",
          '    alert_rule_test:',
          '      - eval_time: 30m',
          '        alertname: DocketWorkflowsFailed',
          '        exp_alerts:',
          '          - exp_labels:',
          '              severity: warning',
          '',
        ].join('\n'),
      );
      const run = await promtool('test', 'rules', wrong);
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('FAILED');
    });
  });
});
