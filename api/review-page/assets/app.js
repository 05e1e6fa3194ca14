/**
 * The review page: sign-in, then the queue (`#/`) and one item (`#/item/<workflowId>`). Routes live in
 * the URL fragment, so the server serves one page; the reviewer key never appears in a URL.
 */
import { ApiError, NoAnswerError, call, queueQuery, session, whenUnauthorized } from './api.js';
import { focusHeading, h, setChildren } from './dom.js';
import { renderItem } from './item.js';
import { renderQueue } from './queue.js';

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const flashRegion = document.getElementById('flash');

/** A message that survives one navigation (e.g. "decision recorded", shown on the next item). */
let pendingFlash = null;

function flash(message) {
  pendingFlash = message;
}

function showFlash() {
  flashRegion.replaceChildren();
  if (pendingFlash) flashRegion.append(h('p', { text: pendingFlash }));
  pendingFlash = null;
}

/** `#/?stage=reason` → { view: 'queue', filters }, `#/item/<id>?reviewId=…` → { view: 'item', … }. */
function parseRoute(hash) {
  const [path, query = ''] = hash.replace(/^#/, '').split('?');
  const params = new URLSearchParams(query);
  const item = /^\/item\/(.+)$/.exec(path);
  if (item) {
    return { view: 'item', workflowId: decodeURIComponent(item[1]), reviewId: params.get('reviewId') };
  }
  const filters = {};
  for (const name of ['type', 'status', 'stage', 'urgency', 'matterType', 'limit']) {
    const value = params.get(name);
    if (value) filters[name] = value;
  }
  return { view: 'queue', filters };
}

/** The queue filters last used, so "next item" after a decision follows the reviewer's queue. */
let queueFilters = {};

function queueHash(filters) {
  const query = queueQuery(filters);
  return query ? `#/?${query}` : '#/';
}

function itemHash(workflowId, reviewId) {
  const query = reviewId ? `?${new URLSearchParams({ reviewId })}` : '';
  return `#/item/${encodeURIComponent(workflowId)}${query}`;
}

function navigate(hash) {
  if (location.hash === hash) void render();
  else location.hash = hash;
}

/** After a decision: the next item in the reviewer's queue, or the queue when nothing else waits. */
async function nextAfterDecision(decided, message) {
  let next;
  try {
    const page = await call('GET', `/v1/reviews?${queueQuery(queueFilters, { limit: 25 })}`);
    // Visibility trails the workflow by moments: the item just decided may still be listed.
    next = page.items.find((row) => row.workflowId !== decided);
  } catch {
    // The decision is recorded either way; the queue view says itself why it cannot be read.
    next = undefined;
  }
  flash(next ? `${message} Next item in the queue:` : `${message} Nothing else waits in this queue.`);
  navigate(next ? itemHash(next.workflowId, next.reviewId) : queueHash(queueFilters));
}

function renderSignIn(message) {
  nav.hidden = true;
  const error = h('p', { id: 'sign-in-error', class: 'error-text', role: 'alert' });
  const input = h('input', {
    id: 'reviewer-key',
    name: 'reviewer-key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'reviewer-key-hint sign-in-error',
  });
  const button = h('button', { type: 'submit', class: 'button-primary', text: 'Sign in' });
  const form = h(
    'form',
    { class: 'sign-in', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'reviewer-key', text: 'Reviewer key' }), input),
    h('p', {
      id: 'reviewer-key-hint',
      class: 'hint',
      text: 'The API key you were given with the reviewer role. It is kept in this tab only, until you sign out or close it.',
    }),
    error,
    button,
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    error.textContent = '';
    input.removeAttribute('aria-invalid');
    if (!key) {
      error.textContent = 'Enter your reviewer key.';
      input.setAttribute('aria-invalid', 'true');
      input.focus();
      return;
    }
    button.disabled = true;
    try {
      // The counts endpoint needs the reviewer role and is cheap: the key is tried before it is kept.
      await call('GET', '/v1/reviews/counts', { key });
      session.signIn(key);
      await render();
    } catch (err) {
      error.textContent = signInRefusal(err);
      input.setAttribute('aria-invalid', 'true');
      input.focus();
    } finally {
      button.disabled = false;
    }
  });
  const heading = h('h1', { text: 'Sign in to review' });
  setChildren(
    main,
    h(
      'section',
      { class: 'narrow' },
      heading,
      message ? h('p', { class: 'notice', text: message }) : null,
      form,
    ),
  );
  input.focus();
}

function signInRefusal(err) {
  if (err instanceof ApiError && err.status === 401)
    return 'That key was refused: it is not a known API key.';
  if (err instanceof ApiError && err.status === 403)
    return 'That key is known but has no reviewer role: use a reviewer key.';
  if (err instanceof NoAnswerError) return err.message;
  return `Signing in failed: ${err.message}`;
}

whenUnauthorized(() => {
  session.signOut();
  renderSignIn('Your key was refused (it may have been withdrawn). Sign in again.');
});

let renders = 0;

async function render() {
  if (!session.key) {
    renderSignIn();
    return;
  }
  nav.hidden = false;
  const route = parseRoute(location.hash || '#/');
  // A slow answer for a page the reviewer already left must not replace the page they went to.
  const mine = ++renders;
  const isCurrent = () => mine === renders;
  const context = { main, navigate, flash, queueHash, itemHash, nextAfterDecision, queueFilters, isCurrent };
  try {
    if (route.view === 'item') {
      await renderItem(context, route);
    } else {
      queueFilters = route.filters;
      await renderQueue(context, route.filters);
    }
    // Shown with the view it belongs to, not while the previous one is still on screen.
    if (isCurrent()) showFlash();
  } catch (err) {
    if (!isCurrent() || (err instanceof ApiError && err.status === 401)) return; // left, or back at sign-in
    showFlash();
    const heading = h('h1', { text: 'Something went wrong' });
    setChildren(
      main,
      heading,
      h('p', { class: 'error-text', role: 'alert', text: err.message }),
      h('p', {}, h('a', { href: queueHash(queueFilters), text: 'Back to the queue' })),
    );
    focusHeading(heading);
  }
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  flashRegion.replaceChildren();
  renderSignIn('You are signed out.');
});

document.addEventListener('click', (event) => {
  // In-page links (`data-focus="<id>"`) move focus themselves: the fragment is the page's route.
  const link = event.target.closest?.('a[data-focus]');
  if (!link) return;
  event.preventDefault();
  const target = document.getElementById(link.dataset.focus);
  target?.focus();
  target?.scrollIntoView({ block: 'start' });
});

window.addEventListener('hashchange', () => void render());
void render();
