/**
 * The clinical eval's report: report.json (the run, every item with its labels, what its run showed and its
 * score, and every figure, recomputable from the items) and the text summary `npm run eval` prints.
 */
import { CLINICAL_REASON_CODES } from './corpus';
import {
  clinicalFigures,
  scoreClinicalItem,
  type ClinicalEvaluatedItem,
  type ClinicalFigures,
  type ClinicalItemScore,
} from './metrics';
import { CLINICAL_AGENTS } from './outcome';
import type { ClinicalRunInfo } from './run';

export const CLINICAL_REPORT_FORMAT = 1;

export interface ClinicalReport extends ClinicalFigures {
  meta: ClinicalRunInfo & {
    format: typeof CLINICAL_REPORT_FORMAT;
    workflow: 'clinical-summary';
    corpusFiles: string[];
    /** The config overlay the run used (`--config`), or null for the config file alone. */
    configOverlay?: string | null;
  };
  items: Array<ClinicalEvaluatedItem & { score: ClinicalItemScore }>;
}

export function buildClinicalReport(
  items: readonly ClinicalEvaluatedItem[],
  run: ClinicalRunInfo & { corpusFiles: string[]; configOverlay?: string | null },
): ClinicalReport {
  return {
    meta: { format: CLINICAL_REPORT_FORMAT, workflow: 'clinical-summary', ...run },
    items: items.map((item) => ({ ...item, score: scoreClinicalItem(item) })),
    ...clinicalFigures(items),
  };
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const dec = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));
const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(4)}`);

function clock(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/** The figures a person checks first, as `npm run eval -- --workflow clinical-summary` prints them. */
export function formatClinicalSummary(r: ClinicalReport, wallMs: number): string {
  const label = (s: string) => s.padEnd(28);
  const c = r.counts;
  const failed = r.items.filter((i) => i.error !== undefined);
  const settled = Object.entries(c.byStatus)
    .map(([status, n]) => `${status} ${n}`)
    .join(', ');
  const m = r.medications;
  const must = r.escalation.mustReview;
  const codes = CLINICAL_REASON_CODES.map((code) => {
    const s = r.codes[code];
    const unchecked =
      s.missedUnchecked > 0
        ? ` (${s.caught}/${s.checked} where the check ran; ${s.missedUnchecked} stopped before it)`
        : '';
    // The bar of a deterministic check is its own record: every labelled item it got to see, caught.
    const bar = s.deterministic && s.checked > 0 ? (s.caught === s.checked ? '  ok' : '  MUST BE 100%') : '';
    return (
      `  ${label(code)}${`${s.caught}/${s.expected}`.padStart(6)} caught, ` +
      `${s.falseAlarms} false alarm${s.falseAlarms === 1 ? '' : 's'}${unchecked}${bar}`
    );
  });
  const cost = Object.entries(r.cost.perAgent)
    .map(([agent, a]) => `${agent} ${usd(a.perItemUsd)}`)
    .join(', ');
  const lines = [
    '',
    `${c.items} documents in ${clock(wallMs)} (${r.meta.simulator ? 'simulator: not a model' : 'real models'})`,
    `  ${label('settled')}${settled}`,
    `  ${label('filed to the EHR')}${c.filed}`,
    `  ${label('asked a person')}${pct(r.escalation.rate)} (${r.escalation.escalated})`,
    `  ${label('mustReview that asked')}${must.caught}/${must.expected}; ${must.unneeded} asked without needing to`,
    `  ${label('needed a correction')}${pct(c.errorRate)}`,
    `  ${label('failed runs')}${failed.length}`,
    ...failed.slice(0, 10).map((i) => `    ${i.id}: ${i.error}`),
    '',
    'extraction',
    `  ${label('medications P/R/F1')}${dec(m.precision)} / ${dec(m.recall)} / ${dec(m.f1)}` +
      `  (${m.truePositives} right, ${m.falsePositives} extra, ${m.falseNegatives} missed)`,
    `  ${label('allergy recall')}${dec(r.allergies.recall)} (${r.allergies.found}/${r.allergies.expected})`,
    '',
    'clinical checks (caught against the labels)',
    ...codes,
    '',
    'calibration and cost',
    `  ${label('ECE')}${CLINICAL_AGENTS.map((a) => `${a} ${dec(r.calibration[a].ece)}`).join(', ')}`,
    `  ${label('cost per document')}${usd(r.cost.perItemUsd)} (${cost}); total ${usd(r.cost.totalUsd)}`,
  ];
  return lines.join('\n');
}
