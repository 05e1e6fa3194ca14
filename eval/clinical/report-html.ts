/**
 * The clinical report as one self-contained page: the text summary and a row per document (where it settled,
 * the codes expected and raised, the extraction's score, cost). No scripts, nothing fetched; document-derived
 * strings go through `esc`, and a CSP forbids scripts anyway.
 */
import { esc } from '../report-html';
import type { ClinicalReport } from './report';
import { formatClinicalSummary } from './report';

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}
pre{background:#f4f6fa;padding:1rem;overflow:auto}table{border-collapse:collapse;width:100%}
th,td{border-bottom:1px solid #dde2ea;padding:.3rem .5rem;text-align:left;vertical-align:top}
.bad{color:#c23b3b}.muted{color:#5b6473}.banner{background:#fff4e0;padding:.5rem 1rem}`;

export function renderClinicalReportHtml(report: ClinicalReport, wallMs: number): string {
  const { meta } = report;
  const rows = report.items.map((item) => {
    const { codes, medications: m } = item.score;
    const o = item.observed;
    return `<tr><td><code>${esc(item.id)}</code></td><td>${esc(item.kind)}</td>
<td>${esc(o ? `${o.status} (${o.stage})` : 'not run')}${item.error ? `<div class="bad">${esc(item.error)}</div>` : ''}</td>
<td>${esc(item.expected.reasonCodes.join(', ') || '–')}</td><td>${esc(o?.reasonCodes.join(', ') || '–')}</td>
<td class="${codes.missed.length || codes.falseAlarms.length ? 'bad' : ''}">${esc(
      [...codes.missed.map((c) => `missed ${c}`), ...codes.falseAlarms.map((c) => `false ${c}`)].join(', ') ||
        'ok',
    )}</td>
<td>${m.truePositives} right, ${m.falsePositives} extra, ${m.falseNegatives} missed</td>
<td>$${(o?.costUsd ?? 0).toFixed(4)}</td></tr>`;
  });
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>Docket clinical evaluation ${esc(meta.generatedAt)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Docket clinical summary evaluation</h1>
<p class="muted">${esc(meta.generatedAt)} · corpus ${meta.corpusFiles.map((f) => `<code>${esc(f)}</code>`).join(', ') || 'n/a'}</p>
${meta.simulator ? '<p class="banner">Run on the offline simulator, which is not a model: these figures test the pipeline and the checks, not model quality.</p>' : ''}
<pre>${esc(formatClinicalSummary(report, wallMs).trim())}</pre>
<h2>Documents</h2>
<table><thead><tr><th>id</th><th>kind</th><th>settled</th><th>expected codes</th><th>raised</th><th>codes</th><th>medications</th><th>cost</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>
</body>
</html>
`;
}
