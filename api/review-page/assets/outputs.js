/**
 * What the agents produced and what the checks found, as a reviewer reads it: every field with its
 * confidence where the agent gave one, the rationale, conflict hits and limitation deadlines. Legal intake's
 * results are named outputs and checks; a pipeline type's are `outputs` and `gates` by stage and its
 * `checks` by name, shown generically.
 */
import { checksBlock as pipelineChecksBlock, measuredNotes } from './checks.js';
import { badge, confidenceText, h, humanize, labelFor } from './dom.js';

/** Which output a review stage is about. */
export const STAGE_OUTPUT = { classify: 'classification', reason: 'assessment', draft: 'draft' };

const OUTPUTS = [
  { key: 'classification', title: 'Classification', agent: 'classifier' },
  { key: 'assessment', title: 'Assessment', agent: 'reasoner' },
  { key: 'draft', title: 'Draft', agent: 'drafter' },
];

/**
 * Keys shown apart from the other fields (or beside them, for fieldConfidence). The agent's own overall
 * confidence is not shown here: the review's one confidence, computed from it and the checks, is in the
 * summary, with the model's estimate behind its disclosure.
 */
const APART = new Set(['confidence', 'rationale', 'fieldConfidence']);

/** A pipeline type's results (`{ outputs, gates }` by stage), as opposed to legal intake's named results. */
export function isPipeline(results) {
  return Boolean(results && typeof results.outputs === 'object' && results.outputs !== null);
}

/**
 * The output a review is about: what the revise form calls it and its current value (null when the agent
 * produced none, or when the stage has no output, like legal intake's `file`).
 */
export function outputUnderReview(detail) {
  const stage = detail.review.stage;
  const results = detail.results ?? {};
  if (isPipeline(results)) {
    return { name: `${humanize(stage)} output`, output: results.outputs[stage] ?? null };
  }
  const key = STAGE_OUTPUT[stage];
  return { name: humanize(key), output: key ? (results[key] ?? null) : null };
}

export function outputsSection(detail) {
  if (isPipeline(detail.results)) return stageOutputsSection(detail);
  const underReview = STAGE_OUTPUT[detail.review.stage];
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'outputs-heading' },
    h('h2', { id: 'outputs-heading', text: "The agents' outputs" }),
    // The output under review first, then the others in pipeline order.
    [...OUTPUTS]
      .sort((a, b) => Number(b.key === underReview) - Number(a.key === underReview))
      .map((o) =>
        outputBlock(
          {
            id: `output-${o.key}`,
            title: o.title,
            missing: `Not produced yet (the ${o.agent} has not run or produced nothing usable).`,
          },
          detail.results[o.key],
          o.key === underReview,
        ),
      ),
    checksBlock(detail.results.checks),
    clientLookupBlock(detail.results.clientLookup),
  );
}

/**
 * A pipeline type's outputs: each stage's, the one under review first, then the others in stage order; the
 * facts measured on the last stage's text beside its fields; then the checks.
 */
function stageOutputsSection(detail) {
  const { outputs, gates = {}, checks } = detail.results;
  const underReview = detail.review.stage;
  const stages = Object.keys(outputs);
  const last = stages.at(-1);
  if (!stages.includes(underReview)) stages.unshift(underReview);
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'outputs-heading' },
    h('h2', { id: 'outputs-heading', text: "The agents' outputs" }),
    stages
      .sort((a, b) => Number(b === underReview) - Number(a === underReview))
      .map((stage, index) =>
        outputBlock(
          {
            id: `output-stage-${index}`,
            title: `${labelFor(stage)} output`,
            missing: 'Not produced yet (this stage has not run or produced nothing usable).',
            after: gateEl(gates?.[stage]),
            notes: stage === last ? measuredNotes(checks, shownFields(outputs[stage])) : {},
          },
          outputs[stage],
          stage === underReview,
        ),
      ),
    pipelineChecksBlock(checks),
  );
}

/** An output's fields as the field list shows them (the rationale and confidences are apart). */
function shownFields(output) {
  if (!output || typeof output !== 'object' || Array.isArray(output)) return output;
  return Object.fromEntries(Object.entries(output).filter(([name]) => !APART.has(name)));
}

/** A stage's gate in words: passed, or the reasons it went to a person (their messages are above). */
function gateEl(gate) {
  if (!gate || typeof gate !== 'object') return null;
  const reasons = Array.isArray(gate.reasons) ? gate.reasons.map((r) => humanize(r?.code)) : [];
  return h('p', {
    class: 'small muted',
    text: gate.passed
      ? 'Gate: passed.'
      : `Gate: sent to a person${reasons.length ? ` (${reasons.join(', ')})` : ''}.`,
  });
}

/** `notes`: short texts shown beside a field's value, by field name. */
function outputBlock({ id, title, missing, after = null, notes = {} }, output, underReview) {
  const heading = h('h3', { id }, title, underReview ? badge('under review', 'focus') : null);
  if (!output) {
    return h(
      'section',
      { class: 'output', 'aria-labelledby': id },
      heading,
      h('p', { class: 'muted', text: missing }),
      after,
    );
  }
  if (typeof output !== 'object' || Array.isArray(output)) {
    // Not the object a schema promises: shown as it is rather than not at all.
    return h(
      'section',
      { class: `output${underReview ? ' under-review' : ''}`, 'aria-labelledby': id },
      heading,
      valueEl(output),
      after,
    );
  }
  const fieldConfidence =
    output.fieldConfidence && typeof output.fieldConfidence === 'object' ? output.fieldConfidence : {};
  const rows = Object.entries(output)
    .filter(([name]) => !APART.has(name))
    .map(([name, value]) =>
      h(
        'div',
        { class: 'field-row' },
        h('dt', {}, labelFor(name)),
        h(
          'dd',
          {},
          valueEl(value),
          typeof fieldConfidence[name] === 'number'
            ? h('span', { class: 'confidence', text: `confidence ${confidenceText(fieldConfidence[name])}` })
            : null,
          (notes[name] ?? []).map((note) => h('span', { class: 'confidence measured', text: note })),
        ),
      ),
    );
  return h(
    'section',
    { class: `output${underReview ? ' under-review' : ''}`, 'aria-labelledby': id },
    heading,
    h('dl', { class: 'fields' }, rows),
    output.rationale ? h('h4', { text: 'Rationale' }) : null,
    output.rationale ? h('p', { class: 'prose', text: valueText(output.rationale) }) : null,
    after,
  );
}

/** A rationale is a string by contract; anything else is shown as JSON rather than "[object Object]". */
function valueText(value) {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2);
}

/** Any JSON value as readable text: lists for arrays, nested definitions for objects. */
export function valueEl(value) {
  if (value === null || value === undefined) return h('span', { class: 'muted', text: 'none' });
  if (typeof value === 'boolean') return h('span', { text: value ? 'yes' : 'no' });
  if (typeof value === 'number') return h('span', { text: String(value) });
  if (typeof value === 'string') {
    return h('span', { class: value.includes('\n') || value.length > 160 ? 'prose block' : '', text: value });
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'muted', text: 'none' });
    return h(
      'ul',
      { class: 'values' },
      value.map((v) => h('li', {}, valueEl(v))),
    );
  }
  return h(
    'dl',
    { class: 'nested' },
    Object.entries(value).map(([k, v]) =>
      h('div', { class: 'nested-row' }, h('dt', { text: labelFor(k) }), h('dd', {}, valueEl(v))),
    ),
  );
}

const RELATIONS = {
  adverse_party_is_client: 'an opposing party is (or was) a client of the firm',
  client_is_adverse_party: 'the prospective client is the other side in an open matter',
};

/** Why a hit is a conflict, from the matched row. */
const GROUNDS = {
  adverse_in_open_matter: 'adverse party in an open matter',
  current_client: 'a current client of the firm',
  former_client: 'a former client of the firm',
};

/** Where the checked name came from. */
const SOURCES = {
  sender: 'the sender (From: line or address)',
  signature: "the sender's signature",
  'model:client': "the classifier's client",
  'model:opposing': "the classifier's opposing party",
  recognized: 'named in the message, no role given',
};

/** How the name matched: exact, nickname, initials or a similar spelling with its score. */
function matchText(hit) {
  const score = typeof hit.score === 'number' ? hit.score.toFixed(2) : '';
  if (hit.match === 'fuzzy') return `similar spelling (${score})`;
  if (hit.match) return hit.match === 'exact' ? 'exact' : `${hit.match} (${score})`;
  if (typeof hit.score !== 'number') return '';
  return hit.score >= 1 ? 'exact' : `similar (${score})`;
}

/** The directory row a hit matched: its id, and the matter when there is one. */
function rowText(hit) {
  const row = hit.row ? `${hit.row.table === 'clients' ? 'client' : 'adverse party'} ${hit.row.id}` : '';
  return [row, hit.matterId ? `matter ${hit.matterId}` : ''].filter(Boolean).join(', ') || 'none';
}

/** Conflict hits as a table: who was checked and where the name came from, whom they matched, how, why. */
export function hitsTable(hits) {
  return h(
    'table',
    { class: 'evidence-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Party checked', 'From', 'Matched name', 'Directory row', 'Match', 'Why it conflicts'].map((t) =>
          h('th', { scope: 'col', text: t }),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      hits.map((hit) =>
        h(
          'tr',
          {},
          h('td', { text: hit.party }),
          h('td', { text: hit.source ? (SOURCES[hit.source] ?? humanize(hit.source)) : 'a check' }),
          h('td', { text: hit.matchedName }),
          h('td', { text: rowText(hit) }),
          h('td', { text: matchText(hit) }),
          h('td', {
            text: hit.ground
              ? (GROUNDS[hit.ground] ?? humanize(hit.ground))
              : (RELATIONS[hit.relation] ?? humanize(hit.relation)),
          }),
        ),
      ),
    ),
  );
}

/** "15 days left" / "ended 3 days ago". */
export function daysLeftText(days) {
  if (typeof days !== 'number') return 'unknown';
  if (days < 0) return `ended ${-days} day${days === -1 ? '' : 's'} ago`;
  if (days === 0) return 'ends today';
  return `${days} day${days === 1 ? '' : 's'} left`;
}

function checksBlock(checks) {
  const conflictRuns = checks?.conflicts ?? [];
  const limitationRuns = checks?.limitation ?? [];
  return h(
    'section',
    { class: 'output', 'aria-labelledby': 'checks-heading' },
    h('h3', { id: 'checks-heading', text: 'Checks' }),
    h('h4', { text: 'Conflict of interest' }),
    conflictRuns.length === 0
      ? h('p', { class: 'muted', text: 'Not run yet.' })
      : h('ul', { class: 'runs' }, conflictRuns.map(conflictRun)),
    h('h4', { text: 'Limitation period' }),
    limitationRuns.length === 0
      ? h('p', { class: 'muted', text: 'Not run yet.' })
      : h('ul', { class: 'runs' }, limitationRuns.map(limitationRun)),
  );
}

function runSource(run) {
  return `${run.source === 'workflow' ? 'Workflow check' : 'Asked by the reasoner'}, ${run.at}`;
}

function lacked(run) {
  return run.missing?.length
    ? h('p', { class: 'warning-text', text: `Could not run in full: no ${run.missing.join(', no ')}.` })
    : null;
}

function conflictRun(run) {
  const result = run.result;
  return h(
    'li',
    {},
    h('p', {}, h('strong', { text: runSource(run) }), ': ', result ? humanize(result.status) : 'did not run'),
    result
      ? h('p', { class: 'small' }, 'Parties checked: ', result.checkedParties.join(', ') || 'none')
      : null,
    result && result.hits.length > 0 ? hitsTable(result.hits) : null,
    lacked(run),
  );
}

function limitationRun(run) {
  const r = run.result;
  const args = run.args;
  return h(
    'li',
    {},
    h(
      'p',
      {},
      h('strong', { text: runSource(run) }),
      ': ',
      !r
        ? 'did not run'
        : !r.known
          ? 'no rule for this jurisdiction and matter type'
          : `deadline ${r.deadline ?? 'unknown'} (${daysLeftText(r.daysRemaining)} as of ${r.asOf})`,
    ),
    args
      ? h('p', {
          class: 'small',
          text: `For ${args.jurisdiction ?? 'no jurisdiction'}, ${humanize(args.matterType)}, incident ${args.incidentDate ?? 'date unknown'}`,
        })
      : null,
    r?.basis ? h('p', { class: 'small muted', text: r.basis }) : null,
    lacked(run),
  );
}

function clientLookupBlock(lookup) {
  if (!lookup) return null;
  return h(
    'section',
    { class: 'output', 'aria-labelledby': 'lookup-heading' },
    h('h3', { id: 'lookup-heading', text: 'Client directory' }),
    lookup.matches.length === 0
      ? h('p', { text: 'No existing client matched.' })
      : h(
          'ul',
          { class: 'values' },
          lookup.matches.map((m) =>
            h('li', {
              text: `${m.name} (${m.kind}, ${m.clientId}${m.email ? `, ${m.email}` : ''}), ${m.score >= 1 ? 'exact match' : `similar (${m.score.toFixed(2)})`}`,
            }),
          ),
        ),
  );
}
