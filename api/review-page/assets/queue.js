/** The queue: counts, filters, and one page of open reviews, oldest due first. */
import { call, openApi, queueQuery } from './api.js';
import { badge, focusHeading, h, humanize, relative, setChildren, timeEl } from './dom.js';

const PAGE_SIZES = ['10', '25', '50', '100'];
const PAGE_SIZE = '25';
const FILTERS = [
  // Shown when the key may review more than one workflow type (the list items do not say their type).
  { name: 'type', label: 'Workflow type', several: true },
  { name: 'status', label: 'Status' },
  { name: 'stage', label: 'Stage' },
  { name: 'urgency', label: 'Urgency' },
  { name: 'matterType', label: 'Matter type' },
];

/** What the status filter's values mean to a reviewer (the values come from the API). */
const STATUS_LABELS = { open: 'open (all)', pending: 'not yet due', overdue: 'overdue' };

/** The cursors of the pages before the one shown, for "Previous page"; reset when the filters change. */
let pages = { filtersKey: '', cursors: [], cursor: null };

/** Filter choices from `GET /openapi.json` (the query parameters of `GET /v1/reviews`). */
async function filterChoices() {
  const doc = await openApi();
  const parameters = doc.paths['/v1/reviews'].get.parameters;
  return Object.fromEntries(
    parameters.map((p) => [p.name, { values: p.schema.enum ?? [], fallback: p.schema.default }]),
  );
}

export async function renderQueue(ctx, filters) {
  const key = queueQuery(filters);
  if (pages.filtersKey !== key) pages = { filtersKey: key, cursors: [], cursor: null };
  const heading = h('h1', { text: 'Review queue' });
  const [choices, counts, list] = await Promise.all([
    filterChoices(),
    call('GET', '/v1/reviews/counts'),
    call(
      'GET',
      `/v1/reviews?${queueQuery(filters, { limit: PAGE_SIZES.includes(filters.limit) ? filters.limit : PAGE_SIZE, cursor: pages.cursor })}`,
    ),
  ]);
  if (!ctx.isCurrent()) return;
  // The document lists every registered type; the key may be limited to some of them (counts.types).
  if (choices.type) choices.type.values = choices.type.values.filter((t) => counts.types.includes(t));
  setChildren(
    ctx.main,
    heading,
    countsSection(counts),
    filterForm(ctx, filters, choices),
    listSection(ctx, filters, list),
  );
  focusHeading(heading);
}

function countsSection(counts) {
  const stages = Object.entries(counts.byStage).filter(([, c]) => c.open > 0);
  return h(
    'section',
    { class: 'counts', 'aria-labelledby': 'counts-heading' },
    h('h2', { id: 'counts-heading', class: 'visually-hidden', text: 'What waits' }),
    h(
      'dl',
      { class: 'count-tiles' },
      tile('Open', counts.open),
      tile('Not yet due', counts.pending),
      tile('Overdue', counts.overdue, counts.overdue > 0 ? 'overdue' : ''),
    ),
    stages.length > 0
      ? h(
          'p',
          { class: 'muted' },
          'By stage: ',
          stages
            .map(([stage, c]) => `${humanize(stage)} ${c.open}${c.overdue ? ` (${c.overdue} overdue)` : ''}`)
            .join(', '),
        )
      : null,
  );
}

function tile(label, value, kind = '') {
  return h('div', { class: `tile ${kind}` }, h('dt', { text: label }), h('dd', { text: String(value) }));
}

function filterForm(ctx, filters, choices) {
  const shown = FILTERS.filter((f) => !f.several || (choices[f.name]?.values.length ?? 0) > 1);
  const selects = shown.map(({ name, label }) => {
    const choice = choices[name] ?? { values: [] };
    const id = `filter-${name}`;
    const text = (v) => (name === 'status' ? (STATUS_LABELS[v] ?? humanize(v)) : humanize(v));
    const options = choice.values.map((v) => h('option', { value: v, text: text(v) }));
    // A filter with a default (status) always has a value; the others may be left at "Any".
    if (!choice.fallback) options.unshift(h('option', { value: '', text: 'Any' }));
    return h(
      'div',
      { class: 'field field-inline' },
      h('label', { for: id, text: label }),
      h('select', { id, name, value: filters[name] ?? choice.fallback ?? '' }, options),
    );
  });
  const pageSize = h(
    'div',
    { class: 'field field-inline' },
    h('label', { for: 'filter-limit', text: 'Rows per page' }),
    h(
      'select',
      {
        id: 'filter-limit',
        name: 'limit',
        value: PAGE_SIZES.includes(filters.limit) ? filters.limit : PAGE_SIZE,
      },
      PAGE_SIZES.map((n) => h('option', { value: n, text: n })),
    ),
  );
  const form = h(
    'form',
    { class: 'filters', 'aria-labelledby': 'filters-heading' },
    h('h2', { id: 'filters-heading', class: 'visually-hidden', text: 'Filters' }),
    selects,
    pageSize,
    h(
      'div',
      { class: 'filter-actions' },
      h('button', { type: 'submit', class: 'button-primary', text: 'Apply filters' }),
      h('button', {
        type: 'button',
        class: 'button-quiet',
        text: 'Clear filters',
        onclick: () => ctx.navigate(ctx.queueHash({})),
      }),
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const chosen = {};
    for (const { name } of shown) {
      const value = form.elements[name].value;
      // The default status is left out of the URL, so the plain queue stays at `#/`.
      if (value && value !== choices[name]?.fallback) chosen[name] = value;
    }
    if (form.elements.limit.value !== PAGE_SIZE) chosen.limit = form.elements.limit.value;
    ctx.navigate(ctx.queueHash(chosen));
  });
  return form;
}

function listSection(ctx, filters, list) {
  const refresh = h('button', {
    type: 'button',
    class: 'button-quiet',
    text: 'Refresh',
    onclick: () => ctx.navigate(ctx.queueHash(filters)),
  });
  const pageNumber = pages.cursors.length + 1;
  const header = h(
    'div',
    { class: 'list-header' },
    h('h2', { id: 'list-heading', text: `Reviews, oldest due first (page ${pageNumber})` }),
    refresh,
  );
  if (list.items.length === 0) {
    return h(
      'section',
      { 'aria-labelledby': 'list-heading' },
      header,
      h('p', {
        class: 'empty',
        text: pageNumber === 1 ? 'Nothing waits for a review here.' : 'No more reviews.',
      }),
      pager(ctx, filters, list),
    );
  }
  const table = h(
    'table',
    { class: 'queue' },
    h('caption', { class: 'visually-hidden', text: 'Open reviews' }),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        ['Due', 'Item', 'Stage', 'Urgency', 'Matter type', 'Why it needs a person'].map((t) =>
          h('th', { scope: 'col', text: t }),
        ),
      ),
    ),
    h(
      'tbody',
      {},
      list.items.map((row) => queueRow(ctx, row)),
    ),
  );
  return h('section', { 'aria-labelledby': 'list-heading' }, header, table, pager(ctx, filters, list));
}

function queueRow(ctx, row) {
  return h(
    'tr',
    { class: row.overdue ? 'overdue' : '' },
    h(
      'td',
      {},
      row.overdue ? badge('⚠ Overdue', 'overdue') : null,
      ' ',
      timeEl(row.dueAt),
      h('span', { class: 'muted small block', text: relative(row.dueAt) }),
    ),
    h(
      'td',
      {},
      h('a', { href: ctx.itemHash(row.workflowId, row.reviewId), text: row.workflowId }),
      h('span', {
        class: 'muted small block',
        text: row.reviewId ? `review ${row.reviewId}` : 'review id unknown',
      }),
    ),
    h('td', { text: humanize(row.stage) }),
    optionalCell(row.urgency),
    optionalCell(row.matterType),
    h(
      'td',
      {},
      h(
        'ul',
        { class: 'plain' },
        row.reasons.map((code) => h('li', { text: humanize(code) })),
      ),
    ),
  );
}

/** A column a workflow type may not have (legal intake's urgency, matter type): a dash when it is not set. */
function optionalCell(value) {
  if (value === null || value === undefined || value === '') {
    return h(
      'td',
      {},
      h('span', { class: 'muted', 'aria-hidden': 'true', text: '—' }),
      h('span', { class: 'visually-hidden', text: 'not set' }),
    );
  }
  return h('td', { text: humanize(value) });
}

function pager(ctx, filters, list) {
  const previous = h('button', {
    type: 'button',
    text: 'Previous page',
    disabled: pages.cursors.length === 0,
    onclick: () => {
      pages.cursor = pages.cursors.pop() ?? null;
      ctx.navigate(ctx.queueHash(filters));
    },
  });
  const next = h('button', {
    type: 'button',
    text: 'Next page',
    disabled: !list.nextCursor,
    onclick: () => {
      pages.cursors.push(pages.cursor);
      pages.cursor = list.nextCursor;
      ctx.navigate(ctx.queueHash(filters));
    },
  });
  return h('nav', { class: 'pager', 'aria-label': 'Queue pages' }, previous, next);
}
