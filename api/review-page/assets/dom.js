/**
 * Building the page from API data without ever parsing that data as HTML: everything from the API (model
 * output, intake text) goes in through text nodes and attributes, never innerHTML.
 */

/**
 * `h('p', { class: 'x', text: 'hello' }, child, 'more text')`. Function props starting with `on` are
 * listeners; boolean `true` sets an empty attribute; `value` is set after the children (for selects).
 */
export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  let value;
  for (const [name, prop] of Object.entries(props)) {
    if (prop === undefined || prop === null || prop === false) continue;
    if (name === 'value') value = prop;
    else if (name === 'text') el.textContent = String(prop);
    else if (name === 'class') el.className = prop;
    else if (name.startsWith('on') && typeof prop === 'function') el.addEventListener(name.slice(2), prop);
    else if (name === 'checked' || name === 'selected' || name === 'hidden' || name === 'disabled')
      el[name] = Boolean(prop);
    else el.setAttribute(name, prop === true ? '' : String(prop));
  }
  append(el, children);
  if (value !== undefined) el.value = value;
  return el;
}

/** Appends nodes and strings (as text); null, undefined and false are skipped, arrays flattened. */
export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
  return el;
}

/** `commercial_contract` → `commercial contract`; codes stay readable without a table of labels. */
export function humanize(code) {
  if (code === null || code === undefined) return 'none';
  return String(code).replace(/[_-]+/g, ' ');
}

/** `fieldConfidence` → `field confidence`. */
export function labelFor(key) {
  return String(key)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase()
    .replace(/^./, (c) => c.toUpperCase());
}

const TIME = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** A `<time>` element showing the local date and time of an ISO instant. */
export function timeEl(iso) {
  if (!iso) return h('span', { class: 'muted', text: 'not set' });
  const date = new Date(iso);
  return h('time', {
    datetime: iso,
    title: iso,
    text: Number.isNaN(date.getTime()) ? iso : TIME.format(date),
  });
}

/** "in 3 h 20 min", "2 days ago": how far an instant is from now. */
export function relative(iso, now = Date.now()) {
  const ms = new Date(iso).getTime() - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  let text;
  if (minutes < 1) text = 'less than a minute';
  else if (minutes < 60) text = `${minutes} min`;
  else if (minutes < 48 * 60) {
    const hours = Math.floor(minutes / 60);
    const rest = minutes % 60;
    text = rest ? `${hours} h ${rest} min` : `${hours} h`;
  } else text = `${Math.round(minutes / 1440)} days`;
  return ms >= 0 ? `in ${text}` : `${text} ago`;
}

/** A confidence as the number the gates compare, two decimals. */
export function confidenceText(value) {
  return typeof value === 'number' ? value.toFixed(2) : 'not given';
}

/** A text badge (never colour alone): `kind` picks the style. */
export function badge(text, kind = 'neutral') {
  return h('span', { class: `badge badge-${kind}`, text });
}

/** Moves focus to `el` for keyboard and screen-reader users, e.g. a view's heading after navigation. */
export function focusHeading(el) {
  if (!el) return;
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: false });
}

/** Replaces `el`'s children like `append` (null, undefined and false are skipped, strings are text). */
export function setChildren(el, ...children) {
  el.replaceChildren();
  return append(el, children);
}
