/**
 * A pipeline type's check results (`results.checks`), shown from their shape alone: the page knows no
 * type's checks by name. Each result is headed by its name; inside it, an array of objects is a table (one
 * row per element, a column per key), other scalars are one line above it, and arrays of plain values are
 * labelled lists.
 */
import { badge, h, humanize, labelFor } from './dom.js';

/** Row keys that mark a row for the reviewer's eye when true or non-empty (found problems, out of range). */
const MARKS = ['flags', 'critical', 'overdue'];

/** The checks beside a pipeline type's outputs; null when its stages ran none. */
export function checksBlock(checks) {
  const results = isObject(checks) ? Object.entries(checks) : [];
  if (results.length === 0) return null;
  return h(
    'section',
    { class: 'output', 'aria-labelledby': 'checks-heading' },
    h('h3', { id: 'checks-heading', text: 'Checks' }),
    results.map(([name, result]) =>
      h('section', { class: 'check-result' }, h('h4', { text: labelFor(name) }), resultEl(result)),
    ),
  );
}

/**
 * Facts measured on the text the last stage wrote, beside its outputs' fields: a check result with a
 * numeric `grade` (a type's `measure` keeps it with the checks) is the reading grade of that stage's
 * longest string field, shown as "Reading grade N" next to it. Returns `{ field: [note] }`.
 */
export function measuredNotes(checks, output) {
  if (!isObject(checks) || !isObject(output)) return {};
  const grades = Object.values(checks)
    .filter((result) => isObject(result) && typeof result.grade === 'number')
    .map((result) => `Reading grade ${result.grade}`);
  const [longest] = Object.entries(output)
    .filter(([, value]) => typeof value === 'string')
    .sort(([, a], [, b]) => b.length - a.length);
  return grades.length && longest ? { [longest[0]]: grades } : {};
}

function resultEl(result) {
  if (isTableRows(result)) return tableEl(result, null);
  if (!isObject(result)) return h('p', { text: cellText(result) });
  const entries = Object.entries(result);
  const facts = entries.filter(([, value]) => !Array.isArray(value));
  return [
    facts.length
      ? h(
          'p',
          { class: 'small check-facts' },
          facts.map(([key, value], i) => [i ? ' · ' : '', `${labelFor(key)}: `, h('span', cellEl(value))]),
        )
      : null,
    entries
      .filter(([, value]) => Array.isArray(value))
      .map(([key, value]) => (isTableRows(value) ? tableEl(value, key) : listEl(key, value))),
  ];
}

/** An array of plain values with its label; "none" when empty. */
function listEl(key, values) {
  return h(
    'div',
    { class: 'small check-list' },
    h('span', { text: `${labelFor(key)}: ` }),
    values.length === 0
      ? h('span', { class: 'muted', text: 'none' })
      : h(
          'ul',
          { class: 'values' },
          values.map((value) => h('li', { text: cellText(value) })),
        ),
  );
}

/** One row per element; columns are the elements' keys in the order they first appear. */
function tableEl(rows, key) {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return h(
    'div',
    { class: 'table-scroll' },
    h(
      'table',
      { class: 'evidence-table check-table' },
      key ? h('caption', { text: labelFor(key) }) : null,
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          columns.map((column) => h('th', { scope: 'col', text: labelFor(column).toLowerCase() })),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            { class: MARKS.some((mark) => marked(row[mark])) ? 'marked' : null },
            columns.map((column) => h('td', {}, cellContent(row[column]))),
          ),
        ),
      ),
    ),
  );
}

function marked(value) {
  return value === true || (Array.isArray(value) && value.length > 0);
}

/** `{code, detail}` items (what a check found) as badges; anything else as compact text. */
function cellContent(value) {
  if (Array.isArray(value) && value.length > 0 && value.every(isFinding)) {
    return value.map((finding) => {
      const code = badge(humanize(finding.code), 'reason');
      if (finding.detail) code.title = String(finding.detail);
      return h('div', { class: 'finding' }, code, ' ', h('span', { text: finding.detail ?? '' }));
    });
  }
  return h('span', cellEl(value));
}

function isFinding(item) {
  return isObject(item) && typeof item.code === 'string';
}

function cellEl(value) {
  const text = cellText(value);
  return text === '—' ? { class: 'muted', text } : { text };
}

/**
 * A value in one short line: yes/no, lists joined by commas, an object's values joined by ` · ` with a
 * number and the unit key after it as one (`{dose: 500, unit: 'mg', status: 'new'}` → `500 mg · new`);
 * nothing at all → `—`.
 */
function cellText(value) {
  return compact(value) || '—';
}

function compact(value) {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return value.map(compact).filter(Boolean).join(', ');
  if (!isObject(value)) return String(value);
  const entries = Object.entries(value);
  const parts = [];
  entries.forEach(([key, item], i) => {
    const before = entries[i - 1]?.[1];
    // A unit belongs to the number before it (and goes with it when that number is missing).
    if (isUnitKey(key) && (typeof before === 'number' || before === null)) return;
    const next = entries[i + 1];
    const unit = typeof item === 'number' && next && isUnitKey(next[0]) ? compact(next[1]) : '';
    const text = compact(item);
    if (text) parts.push(unit ? `${text} ${unit}` : text);
  });
  return parts.join(' · ');
}

function isUnitKey(key) {
  return /units?$/i.test(key);
}

function isTableRows(value) {
  return Array.isArray(value) && value.length > 0 && value.every(isObject);
}

function isObject(value) {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
