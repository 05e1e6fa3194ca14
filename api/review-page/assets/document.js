/**
 * The document a run started from, for a type whose body is not legal intake's message: shown whatever its
 * shape, every value as text.
 */
import { h, labelFor } from './dom.js';
import { valueEl } from './outputs.js';

/** The panel beside the outputs: each field labelled, nested objects as groups, long text in a reading pane. */
export function documentSection(body, externalId) {
  const heading = h('h2', { id: 'message-heading', text: 'What came in' });
  return h(
    'section',
    { class: 'panel message', 'aria-labelledby': 'message-heading', tabindex: '0' },
    heading,
    body && typeof body === 'object' && !Array.isArray(body)
      ? documentFields(body, 0)
      : h('div', {
          class: 'message-body',
          text: typeof body === 'string' ? body : JSON.stringify(body, null, 2),
        }),
    body?.externalId === undefined
      ? h('p', { class: 'small muted', text: `External id ${externalId}` })
      : null,
  );
}

/** Below this depth a nested object is shown compactly (`valueEl`) rather than as its own group. */
const DOCUMENT_DEPTH = 3;

function documentFields(object, depth) {
  return h(
    'dl',
    { class: 'message-head document' },
    Object.entries(object).map(([key, value]) => documentField(key, value, depth)),
  );
}

function documentField(key, value, depth) {
  const label = labelFor(key);
  if (typeof value === 'string' && (value.includes('\n') || value.length > 80)) {
    return h(
      'div',
      { class: 'document-text' },
      h('dt', { text: label }),
      h('dd', {}, h('div', { class: 'message-body', text: value })),
    );
  }
  if (value && typeof value === 'object' && !Array.isArray(value) && depth < DOCUMENT_DEPTH) {
    return h(
      'div',
      { class: 'document-group' },
      h('dt', { text: label }),
      h('dd', {}, documentFields(value, depth + 1)),
    );
  }
  return h('div', {}, h('dt', { text: label }), h('dd', {}, valueEl(value)));
}
