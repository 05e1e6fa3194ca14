/**
 * The decision form: only the decisions the review allows; reject needs a reason (checked here and by
 * the API); revise sends the changed fields of a form generated from the stage's JSON Schema. Each
 * attempt carries an Idempotency-Key, reused while the same decision is sent again, so a double click
 * or a retry after a lost answer records one decision.
 */
import { ApiError, NoAnswerError, call, newIdempotencyKey } from './api.js';
import { h, humanize, labelFor, setChildren } from './dom.js';
import { isPipeline, outputUnderReview } from './outputs.js';
import { sameJson, schemaForm } from './schema-form.js';

const SAFE_AGAIN = 'Sending the same decision again is safe: it is recorded once.';

const CHOICES = {
  approve: { label: 'Approve', hint: "Continue with the agent's output as it is." },
  reject: { label: 'Reject', hint: 'End this intake: no case is filed. Give the reason in the comment.' },
  revise: { label: 'Revise', hint: 'Correct fields of the output below, then continue.' },
};

/** Reject's hint for a type other than legal intake, whose rejection files no case. */
const REJECT_ANY_TYPE = 'End this run: it does not complete. Give the reason in the comment.';

export function decisionSection(ctx, detail) {
  const review = detail.review;
  const { name: outputName, output: current } = outputUnderReview(detail);
  const hintFor = (kind) =>
    kind === 'reject' && isPipeline(detail.results) ? REJECT_ANY_TYPE : CHOICES[kind].hint;
  const canRevise = review.allowed.includes('revise') && detail.outputSchema;
  const revise = canRevise ? schemaForm(detail.outputSchema, current ?? {}, 'fix') : null;

  // Revise needs a schema to build its form from ('file' reviews have none, and allow no revise).
  const offered = review.allowed.filter((kind) => kind !== 'revise' || revise);
  const summary = h('div', { class: 'error-summary', role: 'alert', tabindex: '-1', hidden: true });
  const radios = offered.map((kind) =>
    h(
      'div',
      { class: 'choice' },
      h('input', {
        type: 'radio',
        name: 'decision',
        id: `decision-${kind}`,
        value: kind,
        checked: offered.length === 1,
        'aria-describedby': `decision-${kind}-hint`,
      }),
      h('label', { for: `decision-${kind}`, text: CHOICES[kind].label }),
      h('p', { id: `decision-${kind}-hint`, class: 'hint', text: hintFor(kind) }),
    ),
  );
  const decisionError = h('ul', { id: 'decision-error', class: 'field-errors', hidden: true });
  const comment = h('textarea', {
    id: 'decision-comment',
    name: 'comment',
    rows: 3,
    maxlength: 5000,
    'aria-describedby': 'decision-comment-hint decision-comment-error',
  });
  const commentError = h('ul', { id: 'decision-comment-error', class: 'field-errors', hidden: true });
  const reviseError = h('ul', { id: 'revise-error', class: 'field-errors', hidden: true });
  const reviseBlock = revise
    ? h(
        'fieldset',
        {
          class: 'revise',
          id: 'revise-fields',
          hidden: true,
          'aria-describedby': 'revise-hint revise-error',
        },
        h('legend', { text: `Corrections to the ${outputName}` }),
        h('p', {
          id: 'revise-hint',
          class: 'hint',
          text: review.outputMissing
            ? 'The agent produced no usable output: fill in the whole output.'
            : "Fields you leave as they are keep the agent's value; only changed fields are sent.",
        }),
        reviseError,
        revise.element,
      )
    : null;
  const submit = h('button', { type: 'submit', class: 'button-primary', text: 'Record decision' });

  const form = h(
    'form',
    { id: 'decision-form', novalidate: true },
    summary,
    h(
      'fieldset',
      { class: 'choices', 'aria-describedby': 'decision-error' },
      h('legend', { text: `Your decision on review ${review.id}` }),
      radios,
      decisionError,
    ),
    h(
      'div',
      { class: 'field' },
      h('label', { for: 'decision-comment', text: 'Comment' }),
      comment,
      h('p', {
        id: 'decision-comment-hint',
        class: 'hint',
        text: 'Recorded in the review history. Required when you reject: it is the reason.',
      }),
      commentError,
    ),
    reviseBlock,
    submit,
  );

  const chosen = () => form.querySelector('input[name=decision]:checked')?.value ?? '';
  form.addEventListener('change', () => {
    if (reviseBlock) reviseBlock.hidden = chosen() !== 'revise';
  });

  const slots = { decision: decisionError, comment: commentError, corrections: reviseError };
  const controls = { decision: () => form.querySelector('input[name=decision]'), comment: () => comment };

  function clearErrors() {
    summary.hidden = true;
    summary.replaceChildren();
    for (const slot of Object.values(slots)) {
      slot.replaceChildren();
      slot.hidden = true;
    }
    comment.removeAttribute('aria-invalid');
    revise?.clearErrors();
  }

  /** Shows each error next to its field and lists them all at the top, linked to the fields. */
  function showErrors(issues) {
    const links = [];
    for (const issue of issues) {
      const [top, ...rest] = issue.path.map(String);
      let control = null;
      if (top === 'corrections' && revise && rest.length > 0) {
        const unplaced = revise.showErrors([{ path: rest, message: issue.message }]);
        control = revise.controlFor(rest);
        if (unplaced.length) addTo(reviseError, `${rest.map(labelFor).join(', ')}: ${issue.message}`);
      } else if (slots[top]) {
        addTo(slots[top], issue.message);
        control = controls[top]?.() ?? null;
        if (top === 'comment') comment.setAttribute('aria-invalid', 'true');
      }
      const text = issue.path.length
        ? `${
            issue.path
              .filter((p) => p !== 'corrections')
              .map(String)
              .map(labelFor)
              .join(', ') || 'Corrections'
          }: ${issue.message}`
        : issue.message;
      links.push(
        control
          ? h('li', {}, h('a', { href: `#${control.id}`, 'data-focus': control.id, text }))
          : h('li', { text }),
      );
    }
    summary.replaceChildren(h('h3', { text: 'The decision was not recorded' }), h('ul', {}, links));
    summary.hidden = false;
    summary.focus();
  }

  function showMessage(message, ...extra) {
    setChildren(
      summary,
      h('h3', { text: 'The decision was not recorded' }),
      h('p', { text: message }),
      extra,
    );
    summary.hidden = false;
    summary.focus();
  }

  /** Same decision sent again → same key; a changed decision is a new attempt. */
  let attempt = null;
  let busy = false;

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (busy) return;
    clearErrors();
    const decision = chosen();
    const text = comment.value.trim();
    const issues = [];
    if (!decision) issues.push({ path: ['decision'], message: `Choose ${offered.join(', ')}.` });
    if (decision === 'reject' && !text)
      issues.push({ path: ['comment'], message: 'Give the reason for rejecting: a rejection needs one.' });
    const body = { reviewId: review.id, decision };
    if (text) body.comment = text;
    if (decision === 'revise' && revise) {
      const { value, errors } = revise.read();
      for (const e of errors) issues.push({ path: ['corrections', ...e.path], message: e.message });
      if (errors.length === 0) {
        const corrections =
          review.outputMissing || !current
            ? value
            : Object.fromEntries(Object.entries(value).filter(([k, v]) => !sameJson(v, current[k])));
        if (Object.keys(corrections).length === 0)
          issues.push({
            path: ['corrections'],
            message: 'Change at least one field to revise, or approve instead.',
          });
        body.corrections = corrections;
      }
    }
    if (issues.length > 0) {
      showErrors(issues);
      return;
    }
    const json = JSON.stringify(body);
    if (!attempt || attempt.json !== json) attempt = { json, key: newIdempotencyKey() };
    busy = true;
    submit.disabled = true;
    submit.textContent = 'Recording…';
    try {
      const answer = await call('POST', `/v1/reviews/${encodeURIComponent(detail.workflowId)}/decision`, {
        json: body,
        headers: { 'Idempotency-Key': attempt.key },
      });
      const recorded = answer.recorded;
      await ctx.nextAfterDecision(
        detail.workflowId,
        `Recorded: ${humanize(recorded.decision)} on review ${recorded.id} of ${detail.workflowId}.`,
      );
    } catch (err) {
      refused(err);
    } finally {
      busy = false;
      submit.disabled = false;
      submit.textContent = 'Record decision';
    }
  });

  function refused(err) {
    if (err instanceof ApiError) {
      if (err.status === 401) return;
      if (err.code === 'invalid_request' && Array.isArray(err.details) && err.details.length > 0) {
        showErrors(err.details.map((d) => ({ path: d.path ?? [], message: d.message })));
        return;
      }
      if (err.code === 'review_not_pending') {
        const pending = err.details?.pendingReviewId;
        showMessage(
          pending
            ? `Review ${review.id} is no longer pending (someone decided it): review ${pending} is pending now.`
            : `Review ${review.id} is no longer pending: someone decided it.`,
          h('p', {}, reloadButton(ctx, detail.workflowId)),
        );
        return;
      }
      if (err.code === 'no_pending_review') {
        showMessage(err.message, h('p', {}, h('a', { href: ctx.queueHash({}), text: 'Back to the queue' })));
        return;
      }
      showMessage(err.status >= 500 ? `${err.message}. ${SAFE_AGAIN}` : err.message);
      return;
    }
    if (err instanceof NoAnswerError) {
      showMessage(`${err.message} ${SAFE_AGAIN}`);
      return;
    }
    showMessage(String(err?.message ?? err));
  }

  return h(
    'section',
    { class: 'panel decide', id: 'decide', 'aria-labelledby': 'decide-heading' },
    h('h2', { id: 'decide-heading', tabindex: '-1', text: 'Decide' }),
    form,
  );
}

/** Re-reads the item (the same route may be showing: `navigate` renders it again). */
function reloadButton(ctx, workflowId) {
  return h('button', {
    type: 'button',
    text: 'Show what is pending now',
    onclick: () => ctx.navigate(ctx.itemHash(workflowId, null)),
  });
}

function addTo(slot, message) {
  slot.append(h('li', { text: message }));
  slot.hidden = false;
}
