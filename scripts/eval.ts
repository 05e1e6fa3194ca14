/**
 * `npm run eval [-- --workflow TYPE --corpus FILE ... --config OVERLAY.json --out DIR --concurrency N --limit N
 * --compare OLD.json]`:
 * a workflow type's corpus through the real pipeline (eval/run.ts for legal intake, eval/clinical/run.ts for
 * the clinical summary), scored into report.json and report.html (and for the clinical summary report.txt), with a short summary.
 * Exit 0 when the run completed (failed items are counted in the report), 2 on bad usage or a bad corpus,
 * 1 when the run itself could not go on.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, createLogger, loadConfig } from '../config';
import { LEGAL_INTAKE_REST_NAME } from '../domain';
import {
  CLINICAL_CORPUS_DIR,
  CLINICAL_SUMMARY_REST_NAME,
  CORPUS_DIR,
  CorpusError,
  EVAL_AGENTS,
  SCORED_FIELDS,
  buildClinicalReport,
  buildReport,
  compareReports,
  formatClinicalSummary,
  formatComparison,
  loadClinicalCorpus,
  loadCorpus,
  type ClinicalCorpusItem,
  type CorpusItem,
  readReport,
  renderClinicalReportHtml,
  renderReportHtml,
  runClinicalEvaluation,
  runEvaluation,
  type EvalProgress,
  type EvalReport,
} from '../eval';
import { installTemporalLogging } from '../worker';
import { workflowRegistry } from '../workflows/registry';

const USAGE = `usage: npm run eval -- [options]

  --workflow TYPE          the workflow type to evaluate: legal-intake (default) or clinical-summary
  --corpus FILE            a corpus file (JSON Lines, DESIGN.md "Evaluation corpus format"); repeatable;
                           default: eval/corpus/dev.jsonl, test.jsonl and identity.jsonl (legal intake),
                           eval/corpus/clinical/dev.jsonl and test.jsonl (clinical summary)
  --split dev|test|identity
                           only the shipped dev (tuning), test (held-out) or identity (conflicts and
                           dates found anywhere in an intake; a dev file; legal intake only) file
  --config OVERLAY.json    run under a config overlay: its keys replace the config file's (a tier's models,
                           an agent's threshold); compare its report with one run without it (--compare)
  --out DIR                where report.json and report.html (clinical: also report.txt) go;
                           default eval/out/<timestamp>
  --concurrency N          items in flight at once (default 4)
  --limit N                only the first N items
  --compare OLD.json       afterwards, print what got better or worse against an earlier report.json
                           (legal intake only)
  --temporal-address H:P   use this running Temporal server (env DOCKET_EVAL_TEMPORAL_ADDRESS) instead of
                           starting a dev server; it needs Docket's search attributes
  --temporal-namespace NS  its namespace (env DOCKET_EVAL_TEMPORAL_NAMESPACE; default "default")
  -h, --help               this text

Models: the offline simulator, unless OPENAI_API_KEY (or OPENAI_BASE_URL) is set: then the configured
provider and models, at their prices. Exit 0 when the run completed (failed items are counted in the
report), 2 on bad usage or a bad corpus, 1 when the run could not go on.`;

/**
 * The workflow types with an eval: where each one's shipped corpus lives (eval/corpus/README.md), each file
 * `<split>.jsonl`, all of them by default.
 */
const EVALS: Readonly<Record<string, { dir: string; splits: readonly string[] }>> = {
  [LEGAL_INTAKE_REST_NAME]: { dir: CORPUS_DIR, splits: ['dev', 'test', 'identity'] },
  [CLINICAL_SUMMARY_REST_NAME]: { dir: CLINICAL_CORPUS_DIR, splits: ['dev', 'test'] },
};

/** Bad usage: the message, then the usage text, exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface EvalArgs {
  /** The REST name of the workflow type evaluated. */
  workflow: string;
  corpus: string[];
  /** A config overlay file (`--config`), or null. */
  configOverlay: string | null;
  out: string;
  concurrency: number;
  limit: number | null;
  compare: string | null;
  temporal: { address: string; namespace: string } | null;
  help: boolean;
}

/** The command line, checked; relative paths resolve against `cwd`. Throws UsageError. */
export function parseEvalArgs(
  argv: readonly string[],
  env: Record<string, string | undefined>,
  cwd: string,
  now: Date = new Date(),
): EvalArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        workflow: { type: 'string' },
        corpus: { type: 'string', multiple: true },
        split: { type: 'string' },
        config: { type: 'string' },
        out: { type: 'string' },
        concurrency: { type: 'string' },
        limit: { type: 'string' },
        compare: { type: 'string' },
        'temporal-address': { type: 'string' },
        'temporal-namespace': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const workflow = values.workflow ?? LEGAL_INTAKE_REST_NAME;
  const registered = workflowRegistry.restNames;
  if (!registered.includes(workflow)) {
    throw new UsageError(
      `--workflow must be a registered workflow type (${registered.join(', ')}), not "${workflow}"`,
    );
  }
  const shipped = EVALS[workflow];
  if (!shipped) {
    throw new UsageError(
      `--workflow ${workflow} has no eval yet; evals exist for ${Object.keys(EVALS).join(', ')}`,
    );
  }
  if (values.split !== undefined && values.corpus !== undefined) {
    throw new UsageError('--split picks one of the shipped files: give --split or --corpus, not both');
  }
  if (values.split !== undefined && !shipped.splits.includes(values.split)) {
    throw new UsageError(
      `--split for ${workflow} must be ${shipped.splits.join(', ')}, not "${values.split}"`,
    );
  }
  if (values.compare !== undefined && workflow !== LEGAL_INTAKE_REST_NAME) {
    throw new UsageError(`--compare reads ${LEGAL_INTAKE_REST_NAME} reports only`);
  }
  const corpus = values.split
    ? [path.join(shipped.dir, `${values.split}.jsonl`)]
    : (values.corpus?.map((file) => path.resolve(cwd, file)) ??
      shipped.splits.map((split) => path.join(shipped.dir, `${split}.jsonl`)));
  const address = values['temporal-address'] ?? env.DOCKET_EVAL_TEMPORAL_ADDRESS;
  const namespace = values['temporal-namespace'] ?? env.DOCKET_EVAL_TEMPORAL_NAMESPACE ?? 'default';
  if (values['temporal-namespace'] !== undefined && !address) {
    throw new UsageError('--temporal-namespace needs --temporal-address (or DOCKET_EVAL_TEMPORAL_ADDRESS)');
  }
  const stamp = now
    .toISOString()
    .replace(/:/g, '-')
    .replace(/\.\d+Z$/, 'Z');
  return {
    workflow,
    corpus,
    configOverlay: values.config ? path.resolve(cwd, values.config) : null,
    out: values.out ? path.resolve(cwd, values.out) : path.join(CORPUS_DIR, '..', 'out', stamp),
    concurrency: positiveInteger('--concurrency', values.concurrency) ?? 4,
    limit: positiveInteger('--limit', values.limit),
    compare: values.compare ? path.resolve(cwd, values.compare) : null,
    temporal: address ? { address, namespace } : null,
    help: values.help ?? false,
  };
}

function positiveInteger(flag: string, value: string | undefined): number | null {
  if (value === undefined) return null;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < 1) {
    throw new UsageError(`${flag} must be a whole number of at least 1, not "${value}"`);
  }
  return n;
}

async function main(): Promise<number> {
  // npm runs scripts in the package root; paths on the command line are the caller's.
  const cwd = process.env.INIT_CWD ?? process.cwd();
  let args: EvalArgs;
  try {
    args = parseEvalArgs(process.argv.slice(2), process.env, cwd);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`eval: ${err.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const clinical = args.workflow === CLINICAL_SUMMARY_REST_NAME;
  let previous: EvalReport | null = null;
  let legalItems: CorpusItem[] = [];
  let clinicalItems: ClinicalCorpusItem[] = [];
  try {
    // Before anything runs (and, with real models, costs): a bad corpus or an unreadable old report.
    if (args.compare) previous = readPreviousReport(args.compare);
    if (clinical) clinicalItems = loadClinicalCorpus(args.corpus).slice(0, args.limit ?? undefined);
    else legalItems = loadCorpus(args.corpus).slice(0, args.limit ?? undefined);
  } catch (err) {
    if (!(err instanceof CorpusError || err instanceof UsageError)) throw err;
    process.stderr.write(`eval: ${err.message}\n`);
    return 2;
  }
  const count = clinical ? clinicalItems.length : legalItems.length;
  if (count === 0) {
    process.stderr.write(`eval: no items in ${args.corpus.map(shown).join(', ')}\n`);
    return 2;
  }

  let config;
  try {
    // Before anything runs: an overlay that names a key the config does not have, or a bad value.
    config = loadConfig({
      overlay: args.configOverlay ?? undefined,
      overrides: { logging: { level: 'warn' } },
    });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    process.stderr.write(`eval: ${err.message}\n`);
    return 2;
  }
  installTemporalLogging(createLogger(config, { process: 'eval' }));
  const simulator = !config.provider.apiKey && !config.provider.baseURL;
  const where = args.temporal ? `Temporal at ${args.temporal.address}` : 'a Temporal dev server of its own';
  const models = simulator
    ? 'the offline simulator (not a model)'
    : `real models, at their prices (${Object.entries(config.models)
        .map(
          ([tier, entries]) => `${tier}: ${entries.map((m) => `${m.model} from ${m.provider}`).join(' → ')}`,
        )
        .join('; ')})`;
  process.stderr.write(
    `eval: ${args.workflow}, ${count} items from ${args.corpus.map(shown).join(', ')}` +
      `${args.configOverlay ? ` under ${shown(args.configOverlay)}` : ''}; ${models}; ${where}; ` +
      `concurrency ${args.concurrency}\n`,
  );
  process.stderr.write('eval: starting Temporal, the database, the worker and the models…\n');

  const abort = new AbortController();
  process.once('SIGINT', () => {
    process.stderr.write('\neval: interrupted, stopping…\n');
    abort.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  const options = {
    temporal: args.temporal ?? undefined,
    configOverlay: args.configOverlay ?? undefined,
    concurrency: args.concurrency,
    onProgress: progressBar(process.stderr),
    signal: abort.signal,
  };
  const corpusFiles = args.corpus.map(shown);
  const configOverlay = args.configOverlay ? shown(args.configOverlay) : null;
  const jsonFile = path.join(args.out, 'report.json');

  if (clinical) {
    const result = await runClinicalEvaluation(clinicalItems, options);
    const report = buildClinicalReport(result.items, { ...result.run, corpusFiles, configOverlay });
    const summary = formatClinicalSummary(report, result.wallMs);
    const textFile = path.join(args.out, 'report.txt');
    const htmlFile = path.join(args.out, 'report.html');
    mkdirSync(args.out, { recursive: true });
    writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
    writeFileSync(textFile, `${summary.trimStart()}\n`);
    writeFileSync(htmlFile, renderClinicalReportHtml(report, result.wallMs));
    process.stdout.write(
      `${summary}\n\nreport.json  ${jsonFile}\nreport.txt   ${textFile}\nreport.html  ${htmlFile}\n`,
    );
    return 0;
  }

  const result = await runEvaluation(legalItems, options);
  const report = buildReport(result.items, { ...result.run, corpusFiles, configOverlay });
  mkdirSync(args.out, { recursive: true });
  const htmlFile = path.join(args.out, 'report.html');
  writeFileSync(jsonFile, `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(htmlFile, renderReportHtml(report));

  process.stdout.write(
    `${formatSummary(report, result.wallMs)}\n\nreport.json  ${jsonFile}\nreport.html  ${htmlFile}\n`,
  );
  if (previous) process.stdout.write(`\n${formatComparison(compareReports(previous, report))}\n`);
  return 0;
}

function readPreviousReport(file: string): EvalReport {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--compare ${file}: ${(err as Error).message}`);
  }
  try {
    return readReport(json);
  } catch (err) {
    throw new UsageError(`--compare ${file}: not a report.json of this format (${(err as Error).message})`);
  }
}

/** A path as the report names it: relative to the repository when inside it. */
function shown(file: string): string {
  const relative = path.relative(path.join(CORPUS_DIR, '..', '..'), file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : relative;
}

/**
 * Progress on stderr: a bar redrawn in place on a terminal; otherwise (CI logs) a line at each tenth.
 */
function progressBar(
  stream: NodeJS.WriteStream,
): (p: Pick<EvalProgress, 'done' | 'total' | 'escalated' | 'failed' | 'elapsedMs'>) => void {
  let lastTenth = 0;
  return (p) => {
    const line =
      `${p.done}/${p.total} items, ${p.escalated} escalated, ${p.failed} failed, ` +
      `${clock(p.elapsedMs)} elapsed`;
    if (stream.isTTY) {
      const width = 30;
      const filled = Math.round((p.done / p.total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}\x1b[K`);
      if (p.done === p.total) stream.write('\n');
      return;
    }
    const tenth = Math.floor((p.done / p.total) * 10);
    if (tenth > lastTenth || p.done === p.total) {
      lastTenth = tenth;
      stream.write(`eval: ${line}\n`);
    }
  };
}

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const dec = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));
const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(4)}`);

/** Which models answered an agent, and the share of its items each one answered: `o1-2024-12-17 100%`. */
function answeredBy(shares: Record<string, number>): string {
  const entries = Object.entries(shares).sort(([, a], [, b]) => b - a);
  return entries.length === 0 ? 'n/a' : entries.map(([model, share]) => `${model} ${pct(share)}`).join(', ');
}

/** The share of each cascade agent's items answered at each rung: `reasoner 0 88.3%, 1 11.7%`; none without cascades. */
function rungLine(r: EvalReport, label: string): string[] {
  const agents = EVAL_AGENTS.filter((a) => Object.keys(r.cost.perAgent[a].answeredAtRung ?? {}).length > 0);
  if (agents.length === 0) return [];
  const shares = (a: (typeof agents)[number]) =>
    Object.entries(r.cost.perAgent[a].answeredAtRung)
      .map(([rung, share]) => `${rung} ${pct(share)}`)
      .join(', ');
  return [`  ${label}${agents.map((a) => `${a} ${shares(a)}`).join('; ')}`];
}

/** The figures a person checks first, as `npm run eval` prints them; the rest is in the reports. */
export function formatSummary(r: EvalReport, wallMs: number): string {
  const c = r.meta.counts;
  const failed = r.items.filter((i) => i.error !== undefined);
  const label = (s: string) => s.padEnd(26);
  const fields = SCORED_FIELDS.map((f) => {
    const a = r.fields[f];
    return `  ${label(f)}${pct(a.accuracy).padStart(6)}  (${a.correct}/${a.total})`;
  });
  const parties = r.fields.opposingParties;
  const policy = (name: 'conflict' | 'deadline') => {
    const p = r.policy[name];
    return `${p.caught}/${p.expected} caught, ${p.falseAlarms} false alarm${p.falseAlarms === 1 ? '' : 's'}`;
  };
  const alarms = r.policy.conflictAlarms;
  const latency = Object.entries(r.latency)
    .map(([stage, l]) => `${stage} ${l.p50Ms ?? 'n/a'}`)
    .join(', ');
  const lines = [
    '',
    `${c.items} items in ${clock(wallMs)} (${r.meta.simulator ? 'simulator: not a model' : 'real models'})`,
    `  ${label('escalated')}${pct(c.escalatedShare)} (${c.escalated})`,
    `  ${label('needed a correction')}${pct(c.errorRate)}`,
    `  ${label('failed runs')}${failed.length}`,
    ...failed.slice(0, 10).map((i) => `    ${i.id}: ${i.error}`),
    '',
    'field accuracy',
    ...fields,
    `  ${label('opposing parties P/R/F1')}${dec(parties.precision)} / ${dec(parties.recall)} / ${dec(parties.f1)}`,
    `  ${label('matter type macro-F1')}${dec(r.matterType.macroF1)}`,
    '',
    'calibration, policy, cost, latency',
    `  ${label('ECE')}${EVAL_AGENTS.map((a) => `${a} ${dec(r.calibration[a].ece)}`).join(', ')}`,
    `  ${label('policy checks')}conflicts ${policy('conflict')}; deadlines ${policy('deadline')}`,
    `  ${label('conflict false alarms')}${alarms.fromRoles} from roles, ${alarms.recognizedOnly} recognized only`,
    `  ${label('cost per item')}${usd(r.cost.perItemUsd)} vs naive baseline ` +
      `${usd(r.cost.naiveBaselinePerItemUsd)} (ratio ${dec(r.cost.ratio, 2)}); total ${usd(r.cost.totalUsd)}`,
    `  ${label('answered by')}${EVAL_AGENTS.map((a) => `${a} ${answeredBy(r.cost.perAgent[a].answeredBy)}`).join('; ')}`,
    ...rungLine(r, label('answered at rung')),
    `  ${label('latency p50 (ms)')}${latency}`,
  ];
  return lines.join('\n');
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      const aborted = err instanceof Error && err.name === 'AbortError';
      process.stderr.write(
        aborted ? 'eval: stopped\n' : `eval failed: ${err instanceof Error ? err.stack : String(err)}\n`,
      );
      process.exit(aborted ? 130 : 1);
    },
  );
}
