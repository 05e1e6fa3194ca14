/**
 * A form for a stage's output, generated from its JSON Schema (`outputSchema` of the review detail):
 * objects become fieldsets, enums selects, strings inputs (long ones textareas), numbers number inputs,
 * booleans checkboxes, arrays of strings one-per-line textareas, anything else a JSON textarea. Nullable
 * fields take "none" (an empty input or the "none" option). Current values are filled in.
 */
import { h, humanize, labelFor } from './dom.js';

/** The parts of a property schema the form needs: its kind, whether null is allowed, its limits. */
function describe(schema) {
  let nullable = false;
  let s = schema ?? {};
  if (Array.isArray(s.anyOf)) {
    const others = s.anyOf.filter((option) => option.type !== 'null');
    nullable = others.length < s.anyOf.length;
    if (others.length !== 1) return { kind: 'json', nullable, schema: s };
    s = { ...others[0], description: s.description ?? others[0].description };
  }
  let type = s.type;
  if (Array.isArray(type)) {
    nullable = nullable || type.includes('null');
    const others = type.filter((t) => t !== 'null');
    if (others.length !== 1) return { kind: 'json', nullable, schema: s };
    type = others[0];
  }
  if (Array.isArray(s.enum)) return { kind: 'enum', nullable, schema: s };
  if (type === 'string') return { kind: 'string', nullable, schema: s };
  if (type === 'number' || type === 'integer')
    return { kind: 'number', nullable, integer: type === 'integer', schema: s };
  if (type === 'boolean') return { kind: 'boolean', nullable, schema: s };
  if (type === 'object' && s.properties) return { kind: 'object', nullable, schema: s };
  if (type === 'array' && describe(s.items).kind === 'string' && !describe(s.items).nullable)
    return { kind: 'lines', nullable, schema: s };
  return { kind: 'json', nullable, schema: s };
}

/**
 * Builds the fields for `schema` (an object schema) filled with `values`. Returns the element, `read()`
 * → `{ value, errors: [{ path, message }] }`, `showErrors([{ path, message }])` and `clearErrors()`.
 */
export function schemaForm(schema, values, idPrefix) {
  /** path ('client.name') → the field's error slot and control. */
  const fields = new Map();
  const root = objectFields(schema, values ?? {}, [], idPrefix, fields);

  function read() {
    const errors = [];
    const value = readObject(root, errors);
    return { value, errors };
  }

  /** Puts each message next to the field its path names (or the nearest enclosing one). */
  function showErrors(issues) {
    const unplaced = [];
    for (const issue of issues) {
      const path = issue.path.map(String);
      let placed = false;
      for (let n = path.length; n > 0; n--) {
        const field = fields.get(path.slice(0, n).join('.'));
        if (!field) continue;
        const where = path.slice(n);
        field.addError(
          where.length
            ? `${where.map((p) => (/^\d+$/.test(p) ? `item ${Number(p) + 1}` : labelFor(p))).join(', ')}: ${issue.message}`
            : issue.message,
        );
        placed = true;
        break;
      }
      if (!placed) unplaced.push(issue);
    }
    return unplaced;
  }

  function clearErrors() {
    for (const field of fields.values()) field.clearErrors();
  }

  /** The control of a field path, to focus it from an error summary. */
  function controlFor(path) {
    const parts = path.map(String);
    for (let n = parts.length; n > 0; n--) {
      const field = fields.get(parts.slice(0, n).join('.'));
      if (field) return field.control;
    }
    return null;
  }

  return { element: root.element, read, showErrors, clearErrors, controlFor };
}

function objectFields(schema, values, path, idPrefix, fields) {
  const required = new Set(schema.required ?? []);
  const children = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const childPath = [...path, name];
    const d = describe(property);
    const current = values?.[name];
    if (d.kind === 'object' && !d.nullable) {
      const nested = objectFields(d.schema, current ?? {}, childPath, idPrefix, fields);
      const legendId = `${idPrefix}-${childPath.join('-')}-legend`;
      const fieldset = h(
        'fieldset',
        { class: 'nested-fields', 'aria-labelledby': legendId },
        h('legend', { id: legendId, text: labelFor(name) }),
        nested.element,
      );
      return { name, kind: 'object', nested, element: fieldset, required: required.has(name) };
    }
    return { name, ...leafField(d, current, childPath, idPrefix, fields), required: required.has(name) };
  });
  return {
    element: h(
      'div',
      { class: 'schema-fields' },
      children.map((c) => c.element),
    ),
    children,
  };
}

function readObject(group, errors) {
  const out = {};
  for (const child of group.children) {
    out[child.name] = child.kind === 'object' ? readObject(child.nested, errors) : child.read(errors);
  }
  return out;
}

function leafField(d, current, path, idPrefix, fields) {
  const id = `${idPrefix}-${path.join('-')}`;
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const label = labelFor(path.at(-1));
  const hints = [];
  if (d.schema.description) hints.push(d.schema.description);
  const control = controlFor(d, current, id);
  if (d.kind === 'lines') hints.push('One per line.');
  if (d.kind === 'json') {
    const item = d.schema.type === 'array' ? d.schema.items?.properties : null;
    hints.push(item ? `JSON: a list of objects with ${Object.keys(item).join(', ')}.` : 'JSON.');
  }
  if (d.nullable && (d.kind === 'string' || d.kind === 'number' || d.kind === 'lines'))
    hints.push('Leave empty for none.');
  control.setAttribute('aria-describedby', `${hintId} ${errorId}`);
  const error = h('ul', { id: errorId, class: 'field-errors', hidden: true });
  const wrapper = h(
    'div',
    { class: `field field-${d.kind}`, 'data-path': path.join('.') },
    d.kind === 'boolean' && !d.nullable
      ? h('div', { class: 'checkbox' }, control, h('label', { for: id, text: label }))
      : [h('label', { for: id, text: label }), control],
    h('p', { id: hintId, class: 'hint', text: hints.join(' ') }),
    error,
  );
  const field = {
    control,
    addError(message) {
      error.append(h('li', { text: message }));
      error.hidden = false;
      control.setAttribute('aria-invalid', 'true');
      wrapper.classList.add('has-error');
    },
    clearErrors() {
      error.replaceChildren();
      error.hidden = true;
      control.removeAttribute('aria-invalid');
      wrapper.classList.remove('has-error');
    },
  };
  fields.set(path.join('.'), field);
  return {
    kind: d.kind,
    element: wrapper,
    read(errors) {
      const result = readControl(d, control);
      if (result.error) errors.push({ path, message: result.error });
      return result.value;
    },
  };
}

const NONE = '__none__';

function controlFor(d, current, id) {
  const s = d.schema;
  switch (d.kind) {
    case 'enum': {
      const options = s.enum.map((v) => h('option', { value: String(v), text: humanize(v) }));
      if (d.nullable) options.unshift(h('option', { value: NONE, text: 'none' }));
      return h(
        'select',
        {
          id,
          name: id,
          value: current === null || current === undefined ? (d.nullable ? NONE : '') : String(current),
        },
        options,
      );
    }
    case 'string': {
      const text = current ?? '';
      const long = (s.maxLength ?? 0) >= 1000 || String(text).includes('\n');
      const props = { id, name: id, value: text, maxlength: s.maxLength, spellcheck: 'true' };
      return long
        ? h('textarea', {
            ...props,
            rows: Math.min(12, Math.max(3, Math.ceil(String(text).length / 90) + 1)),
          })
        : h('input', { ...props, type: 'text' });
    }
    case 'number':
      return h('input', {
        id,
        name: id,
        type: 'number',
        step: d.integer ? '1' : 'any',
        min: s.minimum,
        max: s.maximum,
        inputmode: d.integer ? 'numeric' : 'decimal',
        value: current === null || current === undefined ? '' : String(current),
      });
    case 'boolean':
      if (!d.nullable) return h('input', { id, name: id, type: 'checkbox', checked: Boolean(current) });
      return h(
        'select',
        { id, name: id, value: current === true ? 'true' : current === false ? 'false' : NONE },
        [
          h('option', { value: NONE, text: 'none' }),
          h('option', { value: 'true', text: 'yes' }),
          h('option', { value: 'false', text: 'no' }),
        ],
      );
    case 'lines':
      return h('textarea', {
        id,
        name: id,
        rows: Math.max(3, (current?.length ?? 0) + 1),
        value: Array.isArray(current) ? current.join('\n') : '',
      });
    default:
      return h('textarea', {
        id,
        name: id,
        rows: 6,
        class: 'code',
        spellcheck: 'false',
        value: current === undefined ? '' : JSON.stringify(current, null, 2),
      });
  }
}

/** The control's value as JSON, or an error message when it cannot be one. */
function readControl(d, control) {
  const raw = control.value;
  switch (d.kind) {
    case 'enum':
      return { value: raw === NONE ? null : raw };
    case 'string':
      return { value: d.nullable && raw.trim() === '' ? null : raw };
    case 'number': {
      if (raw.trim() === '')
        return d.nullable ? { value: null } : { value: undefined, error: 'Enter a number.' };
      const n = Number(raw);
      if (!Number.isFinite(n)) return { value: undefined, error: 'Enter a number.' };
      if (d.integer && !Number.isInteger(n)) return { value: undefined, error: 'Enter a whole number.' };
      return { value: n };
    }
    case 'boolean':
      if (!d.nullable) return { value: control.checked };
      return { value: raw === NONE ? null : raw === 'true' };
    case 'lines': {
      const lines = raw
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l !== '');
      return { value: d.nullable && lines.length === 0 ? null : lines };
    }
    default:
      if (raw.trim() === '')
        return d.nullable ? { value: null } : { value: undefined, error: 'Enter a JSON value.' };
      try {
        return { value: JSON.parse(raw) };
      } catch {
        return { value: undefined, error: 'This is not valid JSON.' };
      }
  }
}

/** Deep equality of JSON values (key order ignored), to send only the fields a reviewer changed. */
export function sameJson(a, b) {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length &&
    ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && sameJson(a[k], b[k]))
  );
}
