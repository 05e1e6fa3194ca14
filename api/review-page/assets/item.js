/** One item: why it waits, the original message beside the agents' outputs, the decision, the history. */
import { ApiError, call } from './api.js';
import { decisionSection } from './decision.js';
import { documentSection } from './document.js';
import {
  badge,
  confidenceText,
  focusHeading,
  h,
  humanize,
  labelFor,
  relative,
  setChildren,
  timeEl,
} from './dom.js';
import { daysLeftText, hitsTable, isPipeline, outputsSection, valueEl } from './outputs.js';

export async function renderItem(ctx, { workflowId, reviewId }) {
  const query = reviewId ? `?${new URLSearchParams({ reviewId })}` : '';
  let detail;
  try {
    detail = await call('GET', `/v1/reviews/${encodeURIComponent(workflowId)}${query}`);
  } catch (err) {
    if (!ctx.isCurrent()) return;
    if (err instanceof ApiError && (err.code === 'no_pending_review' || err.status === 404)) {
      renderGone(ctx, workflowId, err);
      return;
    }
    throw err;
  }
  if (!ctx.isCurrent()) return;
  const heading = h(
    'h1',
    {},
    `Review ${detail.review.id}`,
    h('span', { class: 'heading-sub', text: detail.workflowId }),
  );
  setChildren(
    ctx.main,
    h(
      'p',
      { class: 'breadcrumb' },
      h('a', { href: ctx.queueHash(ctx.queueFilters ?? {}), text: '← Back to the queue' }),
    ),
    heading,
    summary(detail),
    detail.stale
      ? h('p', {
          class: 'notice',
          role: 'note',
          text: `Stale queue row: the queue listed review ${reviewId}, which has been decided since. Review ${detail.review.id} is pending now; this page shows it.`,
        })
      : null,
    reasonsSection(detail.review),
    h('div', { class: 'columns' }, messageSection(detail), outputsSection(detail)),
    decisionSection(ctx, detail),
    historySection(detail),
    usageSection(detail.usage),
  );
  focusHeading(heading);
}

function renderGone(ctx, workflowId, err) {
  const heading = h('h1', { text: 'Nothing to decide here' });
  setChildren(
    ctx.main,
    heading,
    h('p', { class: 'notice', text: err.status === 404 ? `There is no intake ${workflowId}.` : err.message }),
    h('p', {}, h('a', { href: ctx.queueHash({}), text: 'Back to the queue' })),
  );
  focusHeading(heading);
}

function summary(detail) {
  const r = detail.review;
  return h(
    'dl',
    { class: 'summary' },
    item('Stage', humanize(r.stage)),
    item(
      'Confidence',
      confidenceText(r.confidence),
      computedConfidenceEl(detail.results?.confidence?.[r.stage]),
    ),
    answeredBy(r.rung, detail.usage),
    item('Requested', timeEl(r.requestedAt)),
    item(
      'Due',
      r.overdue ? badge('⚠ Overdue', 'overdue') : null,
      r.overdue ? ' ' : null,
      timeEl(r.dueAt),
      h('span', { class: 'muted', text: ` (${relative(r.dueAt)})` }),
    ),
    r.escalatesAt ? item('SLA action', timeEl(r.escalatesAt)) : null,
    item('Decisions allowed', r.allowed.join(', ')),
    h(
      'div',
      { class: 'summary-action' },
      h('a', { href: '#decide-heading', 'data-focus': 'decide-heading', text: 'Go to the decision ↓' }),
    ),
  );
}

/**
 * Which model and cascade rung gave the answer under review, and why the call climbed there; nothing when
 * the stage's agent has no cascade. The model is the one usage records for that agent's call on that rung.
 */
function answeredBy(rung, usage) {
  if (!rung) return null;
  const call = (usage?.calls ?? []).findLast((c) => c.agent === rung.agent && c.rung?.index === rung.index);
  const climbed = rung.climbedFor?.length ? `, climbed for ${rung.climbedFor.map(humanize).join(', ')}` : '';
  return item(
    'Answered by',
    `${call?.model ?? 'no recorded call'} (rung ${rung.index + 1} of ${rung.of}${climbed})`,
  );
}

/**
 * How the review's confidence was computed, behind a disclosure for the reviewer who wants it: the formula,
 * what the model said of itself, the logprobs, and each check with its penalty and factor. Runs from before
 * computed confidence have none.
 */
function computedConfidenceEl(computed) {
  if (!computed) return null;
  const { model, logprob, checks } = computed.parts;
  const rows = Object.entries(checks).map(([name, check]) =>
    h(
      'tr',
      {},
      h('th', { scope: 'row', text: humanize(name) }),
      h('td', { text: confidenceText(check.score) }),
      h('td', { text: confidenceText(check.penalty) }),
      h('td', { text: confidenceText(check.factor) }),
      h('td', { text: check.detail }),
    ),
  );
  return h(
    'details',
    { class: 'computed-confidence' },
    h('summary', { text: 'How it was computed' }),
    h('p', { text: computed.formula }),
    h(
      'dl',
      {},
      item("The model's own estimate", confidenceText(model)),
      item(
        'Least probable chosen value (logprobs)',
        logprob === null ? 'not given' : confidenceText(logprob),
      ),
    ),
    rows.length
      ? h(
          'table',
          {},
          h('caption', { text: 'Checks' }),
          h(
            'thead',
            {},
            h(
              'tr',
              {},
              ['check', 'score', 'penalty', 'factor', 'found'].map((t) => h('th', { scope: 'col', text: t })),
            ),
          ),
          h('tbody', {}, rows),
        )
      : null,
  );
}

function item(label, ...value) {
  return h('div', {}, h('dt', { text: label }), h('dd', {}, value));
}

function reasonsSection(review) {
  return h(
    'section',
    { class: 'panel reasons', 'aria-labelledby': 'reasons-heading' },
    h('h2', { id: 'reasons-heading', text: 'Why it needs a person' }),
    review.outputMissing
      ? h('p', {
          class: 'notice',
          text: 'The agent produced no usable output: revise with a complete output, or reject.',
        })
      : null,
    h('ul', { class: 'reason-list' }, review.reasons.map(reasonItem)),
  );
}

function reasonItem(reason) {
  return h(
    'li',
    {},
    h('p', {}, badge(humanize(reason.code), 'reason'), ' ', h('span', { text: reason.message })),
    reason.evidence ? evidenceEl(reason.evidence) : null,
  );
}

/** Evidence of a gate reason: conflict hits as a table, days left in words, anything else as fields. */
function evidenceEl(evidence) {
  const rows = [];
  for (const [key, value] of Object.entries(evidence)) {
    if (key === 'hits' && Array.isArray(value)) {
      rows.push(
        h(
          'div',
          { class: 'evidence-hits' },
          h('dt', { text: 'Conflict hits' }),
          h('dd', {}, hitsTable(value)),
        ),
      );
    } else if (key === 'daysRemaining') {
      rows.push(h('div', {}, h('dt', { text: 'Days left' }), h('dd', { text: daysLeftText(value) })));
    } else if (key === 'missing' && Array.isArray(value)) {
      rows.push(
        h(
          'div',
          {},
          h('dt', { text: 'What the check lacked' }),
          h('dd', { text: value.map(humanize).join(', ') }),
        ),
      );
    } else if (key === 'candidate' && value && typeof value === 'object') {
      const rule =
        value.rule === 'shortest'
          ? 'the shortest period on file for the jurisdiction'
          : "the matter type's period";
      rows.push(
        h(
          'div',
          {},
          h('dt', { text: 'Counted from' }),
          h('dd', {
            text: `${value.date}, a date the message writes (not the classifier's incident date), by ${rule}`,
          }),
        ),
      );
    } else if (key === 'source' && value === 'recognized') {
      rows.push(
        h(
          'div',
          {},
          h('dt', { text: 'Where the names came from' }),
          h('dd', { text: 'named in the message; the classifier gave them no role' }),
        ),
      );
    } else if (key === 'fields' && Array.isArray(value)) {
      rows.push(
        h('div', {}, h('dt', { text: 'Fields to fill in (revise)' }), h('dd', { text: value.join(', ') })),
      );
    } else if (key === 'confidence' || key === 'computed') {
      // The review's one confidence, and how it was computed, are in the summary above.
      continue;
    } else if (key === 'threshold' && typeof value === 'number') {
      rows.push(h('div', {}, h('dt', { text: 'Threshold' }), h('dd', { text: confidenceText(value) })));
    } else if (key === 'check') {
      rows.push(h('div', {}, h('dt', { text: 'Check' }), h('dd', { text: humanize(value) })));
    } else {
      rows.push(h('div', {}, h('dt', { text: labelFor(key) }), h('dd', {}, valueEl(value))));
    }
  }
  return h('dl', { class: 'evidence' }, rows);
}

/** A legal intake's message: the e-mail or form fields a reviewer reads it by, and its text. */
function isMessage(intake) {
  return Boolean(intake && typeof intake === 'object' && typeof intake.body === 'string');
}

function messageSection(detail) {
  const { intake, externalId } = detail;
  if (intake && !isMessage(intake)) return documentSection(intake, externalId);
  const heading = h('h2', { id: 'message-heading', text: 'Original message' });
  if (!intake) {
    return h(
      'section',
      { class: 'panel message', 'aria-labelledby': 'message-heading' },
      heading,
      h('p', {
        class: 'notice',
        text: isPipeline(detail.results)
          ? `What came in for ${externalId} is not available here (its run cannot show it).`
          : `The message of intake ${externalId} is not available here (its run cannot show it). The classification beside this shows what the classifier read from it.`,
      }),
    );
  }
  return h(
    'section',
    // Focusable so a keyboard can scroll it when a long message overflows the pane.
    { class: 'panel message', 'aria-labelledby': 'message-heading', tabindex: '0' },
    heading,
    h(
      'dl',
      { class: 'message-head' },
      item('Channel', humanize(intake.channel)),
      item('From', intake.from ?? h('span', { class: 'muted', text: 'not given' })),
      item('Subject', intake.subject ?? h('span', { class: 'muted', text: 'none' })),
      item(
        'Received',
        intake.receivedAt ? timeEl(intake.receivedAt) : h('span', { class: 'muted', text: 'not given' }),
      ),
      item('External id', intake.externalId ?? externalId),
    ),
    h('div', { class: 'message-body', id: 'message-body', text: intake.body }),
  );
}

function historySection(detail) {
  const history = detail.reviewHistory ?? [];
  const refused = detail.rejectedDecisions ?? [];
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'history-heading' },
    h('h2', { id: 'history-heading', text: 'Review history' }),
    history.length === 0
      ? h('p', { class: 'muted', text: 'No earlier decisions on this item.' })
      : h('ol', { class: 'history' }, history.map(historyItem)),
    refused.length > 0 ? h('h3', { text: 'Refused decisions (signals)' }) : null,
    refused.length > 0
      ? h(
          'ul',
          { class: 'history' },
          refused.map((r) =>
            h(
              'li',
              {},
              `${r.decision ?? 'no decision'} on ${r.reviewId ?? 'no review'} by ${r.reviewer ?? 'unknown'}: `,
              h('span', { text: r.reason }),
              ' (',
              timeEl(r.receivedAt),
              ')',
            ),
          ),
        )
      : null,
  );
}

function historyItem(record) {
  return h(
    'li',
    {},
    h(
      'p',
      {},
      h('strong', { text: `${humanize(record.decision)}` }),
      ` on review ${record.id} (${humanize(record.stage)}) by ${record.reviewer}, `,
      timeEl(record.decidedAt),
      record.via === 'sla' ? ' — taken by the SLA' : '',
    ),
    h('p', {
      class: 'small',
      text: `Why it was asked: ${record.reasons.map((r) => humanize(r.code)).join(', ') || 'no reason recorded'}`,
    }),
    record.comment ? h('p', { class: 'small' }, 'Comment: ', h('span', { text: record.comment })) : null,
    record.corrections ? h('div', { class: 'small' }, 'Corrections: ', valueEl(record.corrections)) : null,
  );
}

function usageSection(usage) {
  const t = usage?.total;
  if (!t) return null;
  return h(
    'section',
    { class: 'panel', 'aria-labelledby': 'usage-heading' },
    h('h2', { id: 'usage-heading', text: 'Model usage so far' }),
    h('p', {
      text: `${t.calls} model call${t.calls === 1 ? '' : 's'}, ${t.inputTokens.toLocaleString()} input and ${t.outputTokens.toLocaleString()} output tokens, US$ ${t.costUsd.toFixed(4)}.`,
    }),
  );
}
