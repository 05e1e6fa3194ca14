/**
 * report.html: one self-contained page (inline CSS and SVG, no scripts, nothing fetched) that reads offline.
 * Items carry untrusted text from intakes, so every string goes through `esc`, and a CSP forbids scripts anyway.
 */
import type { AgentName } from '../agents';
import {
  EVAL_AGENTS,
  SCORED_FIELDS,
  type AgentCalibration,
  type EscalationPoint,
  type PolicyCheck,
} from './metrics';
import type { EvalReport, ReportItem } from './report';

/** Text made safe for HTML content and quoted attributes (inline SVG included). */
export function esc(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const pct = (v: number | null) => (v === null ? 'n/a' : `${(v * 100).toFixed(1)}%`);
const dec = (v: number | null, digits = 3) => (v === null ? 'n/a' : v.toFixed(digits));
const usd = (v: number | null) => (v === null ? 'n/a' : `$${v.toFixed(Math.abs(v) >= 1 ? 2 : 5)}`);
const ms = (v: number | null) =>
  v === null ? 'n/a' : v >= 1000 ? `${(v / 1000).toFixed(2)} s` : `${Math.round(v)} ms`;
const label = (s: string) => s.replace(/_/g, ' ');
/** SVG colours (literal: presentation attributes do not read CSS variables everywhere). */
const COLOR = { accent: '#2f5fb3', bad: '#c23b3b', good: '#1a7f4b', mark: '#e08a00', grey: '#8a93a3' };

export function renderReportHtml(report: EvalReport): string {
  const { meta } = report;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Docket evaluation ${esc(meta.generatedAt)}</title>
<style>${CSS}</style>
</head>
<body>
<h1>Docket evaluation</h1>
<p class="muted">${esc(meta.generatedAt)} · corpus ${meta.corpusFiles.map((f) => `<code>${esc(f)}</code>`).join(', ') || 'n/a'} ·
models ${
    Object.entries(meta.models)
      .map(([tier, model]) => `${esc(tier)}: <code>${esc(model)}</code>`)
      .join(', ') || 'n/a'
  }</p>
${meta.simulator ? '<p class="banner">Run on the offline simulator, which is not a model: these figures test the pipeline and the scoring, not model quality.</p>' : ''}
${summary(report)}
<h2>Fields</h2>${fieldsTable(report)}
<h2>Matter type</h2><p>Macro-F1 <b>${dec(report.matterType.macroF1)}</b>. Rows: expected; columns: predicted; the diagonal is right.</p>
${confusionSvg(report)}
<h2>Calibration</h2><div class="charts">${EVAL_AGENTS.map((a) => reliabilitySvg(a, report.calibration[a])).join('')}</div>
<h2>Escalation curve</h2><p>Escalating every item whose lowest recorded confidence is below the threshold, from the recorded runs (no re-run).</p>
${curveSvg(report.escalationCurve, meta.confidenceThresholds ?? {})}
<h2>Policy checks</h2>${policyTable(report)}
<h3>Where conflicts and deadlines were caught</h3>${sourcesTable(report)}
<h2>Cost</h2>${costSvg(report)}${tokensTable(report)}
<h2>Latency per stage</h2>${latencyTable(report)}
<h2>Items</h2><p>Wrong values are red, with the expected value under them.</p>${itemsTable(report.items)}
</body>
</html>
`;
}

const CSS = `
:root{--ink:#1d2433;--muted:#5b6475;--line:#dde2ea;--good:#1a7f4b;--bad:#c23b3b;--accent:#2f5fb3;--mark:#e08a00}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);max-width:1160px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:32px 0 8px;border-bottom:2px solid var(--line);padding-bottom:4px}
.muted,.cap{color:var(--muted)}.cap{font-size:12px;max-width:300px}code{font-size:12px}
.banner{background:#fff6e0;border:1px solid #f0c36d;border-radius:6px;padding:8px 12px}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(165px,1fr));gap:10px}
.card{border:1px solid var(--line);border-radius:8px;padding:8px 12px}.card b{display:block;font-size:22px}
table{border-collapse:collapse;width:100%;margin:6px 0}th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f4f6f9;font-weight:600}th.n,td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.wrong{background:#fde8e8}.exp{display:block;color:var(--bad);font-size:12px}.small{font-size:12px;color:var(--muted)}
.bar{background:var(--accent);height:8px;border-radius:2px;display:inline-block;vertical-align:middle}
.charts{display:flex;flex-wrap:wrap;gap:18px}figure{margin:0}
svg{max-width:100%;height:auto}svg text{font:11px system-ui,sans-serif;fill:var(--ink)}
.items td{font-size:12.5px}.tag{border-radius:4px;padding:0 5px;font-size:12px}.esc{background:#fff1d6}.fail{background:#fde8e8}.ok{background:#e3f4ea}
`;

function summary(r: EvalReport): string {
  const c = r.meta.counts;
  const caught = (p: PolicyCheck) => `${p.caught} / ${p.expected}`;
  const cards: [string, string][] = [
    ['items', String(c.items)],
    ['error rate (needed a correction)', pct(c.errorRate)],
    ['escalated to a reviewer', pct(c.escalatedShare)],
    ['failed runs', String(c.failed)],
    ['matter type macro-F1', dec(r.matterType.macroF1)],
    ['conflicts caught', caught(r.policy.conflict)],
    ['deadlines caught', caught(r.policy.deadline)],
    ['cost per item', usd(r.cost.perItemUsd)],
    ['naive baseline per item', usd(r.cost.naiveBaselinePerItemUsd)],
    ['cost as share of baseline', pct(r.cost.ratio)],
  ];
  return `<div class="cards">${cards.map(([k, v]) => `<div class="card"><b>${esc(v)}</b>${esc(k)}</div>`).join('')}</div>`;
}

function fieldsTable(r: EvalReport): string {
  const rows = SCORED_FIELDS.map((f) => {
    const a = r.fields[f];
    const bar =
      a.accuracy === null ? '' : `<span class="bar" style="width:${(a.accuracy * 160).toFixed(0)}px"></span>`;
    return `<tr><td>${esc(f)}</td><td class="n">${a.correct} / ${a.total}</td><td class="n">${pct(a.accuracy)}</td><td>${bar}</td></tr>`;
  }).join('');
  const op = r.fields.opposingParties;
  return `<table><tr><th>field</th><th class="n">right</th><th class="n">accuracy</th><th></th></tr>${rows}</table>
<p>Opposing parties as sets of names (micro over items): precision <b>${dec(op.precision)}</b>, recall <b>${dec(op.recall)}</b>,
F1 <b>${dec(op.f1)}</b> (${op.truePositives} found, ${op.falsePositives} extra, ${op.falseNegatives} missed). Names are compared
ignoring case, accents, punctuation, a leading "the" and company forms such as Inc. or LLC.</p>`;
}

function confusionSvg(r: EvalReport): string {
  const { labels, confusion, noPrediction } = r.matterType;
  const withNone = noPrediction.some((n) => n > 0);
  const cols = [...labels.map(label), ...(withNone ? ['no answer'] : [])];
  const rows = confusion.map((row, i) => [...row, ...(withNone ? [noPrediction[i]] : [])]);
  const [cell, left, top] = [44, 150, 125];
  const max = Math.max(1, ...rows.flat());
  const cells = rows.flatMap((row, i) =>
    row.map((v, j) => {
      const alpha = v === 0 ? 0 : 0.12 + (0.8 * v) / max;
      const fill =
        v === 0
          ? '#f4f6f9'
          : i === j
            ? `rgba(26,127,75,${alpha.toFixed(2)})`
            : `rgba(194,59,59,${alpha.toFixed(2)})`;
      const [x, y] = [left + j * cell, top + i * cell];
      return `<rect x="${x}" y="${y}" width="${cell - 2}" height="${cell - 2}" fill="${fill}"><title>expected ${esc(cols[i])}, predicted ${esc(cols[j])}: ${v}</title></rect>
<text x="${x + cell / 2 - 1}" y="${y + cell / 2 + 4}" text-anchor="middle"${alpha > 0.55 ? ' style="fill:#fff"' : v === 0 ? ' style="fill:#b3bac6"' : ''}>${v}</text>`;
    }),
  );
  const rowLabels = labels.map(
    (l, i) =>
      `<text x="${left - 8}" y="${top + i * cell + cell / 2 + 4}" text-anchor="end">${esc(label(l))}</text>`,
  );
  const colLabels = cols.map(
    (l, j) =>
      `<text transform="translate(${left + j * cell + cell / 2},${top - 8}) rotate(-40)">${esc(l)}</text>`,
  );
  const [w, h] = [left + cols.length * cell + 20, top + labels.length * cell + 10];
  return `<svg class="confusion" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" role="img" aria-label="matter type confusion matrix">
<text x="8" y="${top - 8}" style="fill:var(--muted)">expected ↓ predicted →</text>${rowLabels.join('')}${colLabels.join('')}${cells.join('')}</svg>`;
}

function reliabilitySvg(agent: AgentName, c: AgentCalibration): string {
  const [x0, y0, pw, ph] = [40, 28, 220, 200];
  const x = (v: number) => x0 + v * pw;
  const y = (v: number) => y0 + ph - v * ph;
  const bars = c.bins.flatMap((b) => {
    if (b.count === 0 || b.accuracy === null || b.meanConfidence === null) return [];
    const bw = (b.upper - b.lower) * pw - 3;
    return [
      `<rect x="${x(b.lower) + 1.5}" y="${y(b.accuracy)}" width="${bw}" height="${b.accuracy * ph}" fill="${COLOR.accent}" opacity="0.8"><title>${pct(b.lower)}–${pct(b.upper)}: ${b.count} items, mean confidence ${dec(b.meanConfidence)}, accuracy ${pct(b.accuracy)}</title></rect>`,
      `<line x1="${x(b.lower) + 1.5}" x2="${x(b.lower) + 1.5 + bw}" y1="${y(b.meanConfidence)}" y2="${y(b.meanConfidence)}" stroke="${COLOR.mark}" stroke-width="2.5"/>`,
      `<text x="${x(b.lower) + 1.5 + bw / 2}" y="${y(b.accuracy) - 3}" text-anchor="middle" style="font-size:9px">${b.count}</text>`,
    ];
  });
  return `<figure><svg class="reliability" width="280" height="262" viewBox="0 0 280 262" role="img" aria-label="${esc(agent)} reliability diagram">
<text x="${x0}" y="14" style="font-weight:600">${esc(agent)} · ECE ${dec(c.ece)} · n=${c.count}</text>
${axes(x0, y0, pw, ph, [0, 0.5, 1], [0, 0.5, 1])}
<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9aa3b2" stroke-dasharray="4 3"/>${bars.join('')}
<text x="${x0 + pw / 2}" y="${y0 + ph + 30}" text-anchor="middle">confidence</text>
<text transform="translate(11,${y0 + ph / 2}) rotate(-90)" text-anchor="middle">accuracy</text></svg>
<figcaption class="cap">Bars: accuracy per confidence bin (count on top); orange: the bin's mean confidence. Correct means ${esc(c.correctWhen)}.</figcaption></figure>`;
}

function axes(x0: number, y0: number, pw: number, ph: number, xTicks: number[], yTicks: number[]): string {
  const grid = yTicks.map(
    (t) =>
      `<line x1="${x0}" x2="${x0 + pw}" y1="${y0 + ph - t * ph}" y2="${y0 + ph - t * ph}" stroke="#e6e9ef"/><text x="${x0 - 5}" y="${y0 + ph - t * ph + 4}" text-anchor="end">${t}</text>`,
  );
  const ticks = xTicks.map(
    (t) => `<text x="${x0 + t * pw}" y="${y0 + ph + 14}" text-anchor="middle">${t}</text>`,
  );
  return `${grid.join('')}${ticks.join('')}<rect x="${x0}" y="${y0}" width="${pw}" height="${ph}" fill="none" stroke="#9aa3b2"/>`;
}

function curveSvg(points: EscalationPoint[], thresholds: Partial<Record<AgentName, number>>): string {
  const [x0, y0, pw, ph] = [50, 30, 560, 220];
  const line = (key: 'escalationRate' | 'errorRateOfPassed', color: string) => {
    let d = '';
    let pen = 'M';
    const dots: string[] = [];
    for (const p of points) {
      const v = p[key];
      if (v === null) {
        pen = 'M';
        continue;
      }
      const [px, py] = [x0 + p.threshold * pw, y0 + ph - v * ph];
      d += `${pen}${px.toFixed(1)},${py.toFixed(1)} `;
      pen = 'L';
      dots.push(
        `<circle cx="${px.toFixed(1)}" cy="${py.toFixed(1)}" r="2.5" fill="${color}"><title>threshold ${p.threshold}: ${pct(v)}</title></circle>`,
      );
    }
    return `<path d="${d.trim()}" fill="none" stroke="${color}" stroke-width="2"/>${dots.join('')}`;
  };
  // The configured thresholds, labelled along their lines so that close ones do not collide.
  const marks = Object.entries(thresholds).map(([agent, t]) => {
    const px = x0 + (t ?? 0) * pw;
    return `<line x1="${px}" x2="${px}" y1="${y0}" y2="${y0 + ph}" stroke="#9aa3b2" stroke-dasharray="3 3"/><text transform="translate(${px - 3},${y0 + ph - 4}) rotate(-90)" style="font-size:10px;fill:#5b6475">${esc(agent)} ${esc(t)}</text>`;
  });
  return `<svg class="curve" width="640" height="300" viewBox="0 0 640 300" role="img" aria-label="escalation curve">
${axes(x0, y0, pw, ph, [0, 0.2, 0.4, 0.6, 0.8, 1], [0, 0.25, 0.5, 0.75, 1])}${marks.join('')}
${line('escalationRate', COLOR.accent)}${line('errorRateOfPassed', COLOR.bad)}
<rect x="${x0}" y="6" width="12" height="4" fill="${COLOR.accent}"/><text x="${x0 + 16}" y="12">share escalated</text>
<rect x="${x0 + 130}" y="6" width="12" height="4" fill="${COLOR.bad}"/><text x="${x0 + 146}" y="12">error rate of the items that pass</text>
<text x="${x0 + pw / 2}" y="${y0 + ph + 32}" text-anchor="middle">threshold: escalate when any agent's confidence is below it</text></svg>`;
}

function policyTable(r: EvalReport): string {
  const rows = (
    [
      ['conflicts', r.policy.conflict],
      ['imminent deadlines', r.policy.deadline],
      ['must be reviewed (escalated)', r.policy.mustReview],
    ] as const
  ).map(
    ([name, p]) =>
      `<tr><td>${name}</td><td class="n">${p.expected}</td><td class="n">${p.caught}</td><td class="n">${p.missed}</td><td class="n">${p.falseAlarms}</td><td class="n">${p.notChecked}</td><td class="n">${pct(p.recall)}</td><td class="n">${pct(p.precision)}</td></tr>`,
  );
  return `<table><tr><th>check</th><th class="n">expected</th><th class="n">caught</th><th class="n">missed</th><th class="n">false alarms</th><th class="n">not checked</th><th class="n">recall</th><th class="n">precision</th></tr>${rows.join('')}</table>`;
}

/** What each source of a conflict or a deadline flag is, for a reader who has not seen eval/outcome.ts. */
const SOURCE_NAMES: Record<string, string> = {
  'conflict:sender': "the sender's name or e-mail address",
  'conflict:signature': "the message's signature",
  'conflict:model:client': "the classifier's client",
  'conflict:model:opposing': "the classifier's opposing parties",
  'conflict:recognized': 'a name found in the text, with no role',
  'conflict:unlabelled': 'a hit that names no source (older runs)',
  'conflict:reasoner:status': "the reasoner's conflict status",
  'deadline:classified': "a limitation check from the classifier's incident date",
  'deadline:recognized': 'a limitation check from a date the intake writes',
  'deadline:gate': "only a gate's limitation reason",
};

function sourcesTable(r: EvalReport): string {
  const p = r.policy;
  const rows = (
    [
      ['conflict', p.conflictBySource],
      ['deadline', p.deadlineBySource],
    ] as const
  ).flatMap(([check, bySource]) =>
    Object.entries(bySource).map(
      ([source, n]) =>
        `<tr><td>${check}</td><td><code>${esc(source)}</code> <span class="small">${esc(SOURCE_NAMES[`${check}:${source}`] ?? '')}</span></td><td class="n">${n.caught}</td><td class="n">${n.falseAlarms}</td></tr>`,
    ),
  );
  const body =
    rows.length > 0
      ? rows.join('')
      : '<tr><td colspan="4" class="small">no flag recorded a source (none raised, or a report from before sources were recorded)</td></tr>';
  const a = p.conflictAlarms;
  const unrecorded = a.notRecorded > 0 ? `; with no source recorded: ${a.notRecorded}` : '';
  return `<table class="sources"><tr><th>check</th><th>source</th><th class="n">caught</th><th class="n">false alarms</th></tr>${body}</table>
<p class="small">An item flagged by several sources counts once under each.</p>
<p>Conflict false alarms from the model's parties and the sender: <b>${a.fromRoles}</b>; from recognized names only: <b>${a.recognizedOnly}</b> (each one's review says why)${unrecorded}.</p>`;
}

function costSvg(r: EvalReport): string {
  const rows: [string, number | null, string][] = [
    ...EVAL_AGENTS.map((a): [string, number | null, string] => [
      a,
      r.cost.perAgent[a].perItemUsd,
      COLOR.accent,
    ]),
    ['Docket, all agents', r.cost.perItemUsd, COLOR.good],
    ['naive baseline', r.cost.naiveBaselinePerItemUsd, COLOR.grey],
  ];
  const max = Math.max(Number.EPSILON, ...rows.map(([, v]) => v ?? 0));
  const [left, width, rowH] = [160, 380, 26];
  const bars = rows.map(([name, v, color], i) => {
    const w = ((v ?? 0) / max) * width;
    return `<text x="${left - 8}" y="${i * rowH + 17}" text-anchor="end">${esc(name)}</text><rect x="${left}" y="${i * rowH + 6}" width="${w.toFixed(1)}" height="16" fill="${color}"/><text x="${left + w + 6}" y="${i * rowH + 18}">${usd(v)}</text>`;
  });
  return `<p>Mean cost per item; Docket costs <b>${pct(r.cost.ratio)}</b> of the naive baseline (every call on the drafting tier with the whole document). Total ${usd(r.cost.totalUsd)} against ${usd(r.cost.naiveBaselineTotalUsd)}.</p>
<svg class="cost" width="640" height="${rows.length * rowH + 10}" viewBox="0 0 640 ${rows.length * rowH + 10}" role="img" aria-label="cost per item">${bars.join('')}</svg>`;
}

function tokensTable(r: EvalReport): string {
  const rows = EVAL_AGENTS.map((a) => {
    const c = r.cost.perAgent[a];
    const models = Object.entries(c.answeredBy)
      .sort(([, x], [, y]) => y - x)
      .map(([model, share]) => `${esc(model)} ${pct(share)}`)
      .join(', ');
    const rungs = Object.entries(c.answeredAtRung ?? {})
      .map(([rung, share]) => `${esc(rung)}: ${pct(share)}`)
      .join(', ');
    return `<tr><td>${a}</td><td class="n">${c.items}</td><td class="n">${dec(c.inputTokensPerItem, 0)}</td><td class="n">${dec(c.outputTokensPerItem, 0)}</td><td class="n">${c.inputTokens}</td><td class="n">${c.outputTokens}</td><td class="n">${usd(c.costUsd)}</td><td>${models || 'n/a'}</td><td>${rungs || 'no cascade'}</td></tr>`;
  });
  return `<table><tr><th>agent</th><th class="n">items run</th><th class="n">input tokens / item</th><th class="n">output tokens / item</th><th class="n">input tokens</th><th class="n">output tokens</th><th class="n">cost</th><th>answered by (share of items)</th><th>answered at rung (share)</th></tr>${rows.join('')}</table>`;
}

function latencyTable(r: EvalReport): string {
  const stages = Object.entries(r.latency);
  const max = Math.max(1, ...stages.map(([, s]) => s.p95Ms ?? 0));
  const rows = stages.map(
    ([stage, s]) =>
      `<tr><td>${esc(stage)}</td><td class="n">${s.count}</td><td class="n">${ms(s.p50Ms)}</td><td class="n">${ms(s.p95Ms)}</td><td class="n">${ms(s.maxMs)}</td><td><span class="bar" style="width:${(((s.p95Ms ?? 0) / max) * 200).toFixed(0)}px"></span></td></tr>`,
  );
  return `<table><tr><th>stage</th><th class="n">items</th><th class="n">p50</th><th class="n">p95</th><th class="n">max</th><th>p95</th></tr>${rows.join('')}</table>`;
}

function itemsTable(items: readonly ReportItem[]): string {
  const flag = (v: boolean | null, sources: readonly string[] | undefined) =>
    v === null
      ? 'not checked'
      : v
        ? `flagged${sources?.length ? ` <span class="small">${sources.map(esc).join(', ')}</span>` : ''}`
        : 'clear';
  const cell = (right: boolean, shown: string, expected: string) =>
    right
      ? `<td>${shown}</td>`
      : `<td class="wrong">${shown}<span class="exp">expected: ${expected}</span></td>`;
  // undefined: the run failed, so there is no value; null: the value is "none" (no jurisdiction, no client).
  const text = (v: string | null | undefined) =>
    v === undefined ? '—' : v === null ? 'none' : esc(label(v));
  const list = (v: readonly string[] | undefined) =>
    v === undefined ? '—' : v.length ? v.map(esc).join('; ') : 'none';
  const rows = items.map((i) => {
    const p = i.predicted;
    const outcome = !p
      ? `<span class="tag fail">failed</span> <span class="small">${esc(i.error ?? '')}</span>`
      : i.escalated
        ? `<span class="tag esc">escalated</span> <span class="small">${i.escalationReasons.map(esc).join(', ')}</span>`
        : '<span class="tag ok">passed</span>';
    const conf = EVAL_AGENTS.map((a) => dec(i.confidence[a] ?? null, 2)).join(' / ');
    return `<tr><td>${esc(i.id)}</td><td>${outcome}</td>${cell(i.correct.matterType, text(p?.matterType), text(i.expected.matterType))}${cell(i.correct.urgency, text(p?.urgency), text(i.expected.urgency))}${cell(i.correct.jurisdiction, text(p?.jurisdiction), text(i.expected.jurisdiction))}${cell(i.correct.clientName, text(p?.clientName), text(i.expected.clientName))}${cell(i.correct.opposingParties, list(p?.opposingParties), list(i.expected.opposingParties))}${cell(i.correct.conflict, flag(i.caught.conflict, i.caught.conflictSources), i.expected.conflict ? 'flagged' : 'clear')}${cell(i.correct.deadline, flag(i.caught.deadline, i.caught.deadlineSources), i.expected.deadline ? 'flagged' : 'clear')}<td class="n">${conf}</td><td class="n">${usd(i.costUsd)}</td></tr>`;
  });
  return `<table class="items"><tr><th>id</th><th>outcome</th><th>matter type</th><th>urgency</th><th>jurisdiction</th><th>client</th><th>opposing parties</th><th>conflict</th><th>deadline</th><th class="n">confidence c / r / d</th><th class="n">cost</th></tr>${rows.join('')}</table>`;
}
