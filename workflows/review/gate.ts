/**
 * The review gate: a reusable building block for any Docket workflow. It opens a review with a
 * deterministic id, answers the `decideReview` update and the `reviewDecision` signal through one set of
 * rules, keeps the history, and runs the SLA: overdue after the due time, then the configured action.
 * The workflow owns the status object; the gate writes its review fields.
 */
import { ApplicationFailure, condition, log, setHandler } from '@temporalio/workflow';
import type { z } from 'zod';
import {
  SLA_REVIEWER,
  type GateReason,
  type PendingReview,
  type ReviewDecision,
  type ReviewRecord,
  type ReviewState,
  type SlaAction,
  type WorkflowStatus,
} from '../../domain';
import { INVALID_DECISION, REVIEW_NOT_PENDING, decideReviewUpdate, reviewDecisionSignal } from '../messages';
import { allowedDecisions, checkDecision, type DecisionCheck, type OpenReview } from './rules';
import { reviewDueMs } from './sla';

export interface ReviewSettings {
  /** Due time by key (see `reviewDueMs`), in milliseconds. */
  slaMs: Record<string, number>;
  /** How long after the due time `escalateAction` is taken; null: never. */
  escalateAfterMs: number | null;
  escalateAction: SlaAction;
}

export type ReviewEventType = 'review.requested' | 'review.overdue' | 'review.decided';

export interface ReviewGateHooks {
  /** The review's state changed; search attributes follow it. */
  onReviewStatus(status: 'pending' | 'overdue' | 'decided', review: PendingReview): void;
  /** An event for notification receivers. */
  notify(type: ReviewEventType, review: PendingReview | ReviewRecord): void;
}

export interface ReviewRequest<T> {
  stage: string;
  reasons: GateReason[];
  confidence: number | null;
  /** The output under review; null when the stage produced none. */
  output: T | null;
  /** The output's schema, for revisions; null when the stage cannot be revised. */
  schema: z.ZodType<T> | null;
  urgency?: string | null;
  /** The cascade rung that answered (stage runner), shown with the review. */
  rung?: PendingReview['rung'];
}

export interface ReviewOutcome<T> {
  record: ReviewRecord;
  /** What to continue with: the output approved or revised; null when rejected. */
  output: T | null;
}

/** Refused signals kept in the status, newest last; a flood of junk must not grow it without bound. */
const MAX_REJECTED_KEPT = 50;

export class ReviewGate {
  private open: OpenReview | null = null;
  private outcome: ReviewOutcome<unknown> | null = null;
  private readonly counts = new Map<string, number>();

  constructor(
    private readonly state: ReviewState & { status: WorkflowStatus },
    private readonly settings: ReviewSettings,
    private readonly hooks: ReviewGateHooks,
  ) {}

  /** Registers the decision handlers; call once, before the first `request`. */
  install(): void {
    setHandler(decideReviewUpdate, (decision) => this.decide(this.check(decision), 'update'), {
      validator: (decision) => void this.check(decision),
    });
    setHandler(reviewDecisionSignal, (decision) => {
      try {
        this.decide(this.check(decision), 'signal');
      } catch (err) {
        this.refused(decision, err instanceof Error ? err.message : String(err));
      }
    });
  }

  /**
   * How long a review of `stage` may wait for a person: its SLA for the item's urgency, or, while the urgency
   * is not known yet, the shortest any urgency would give it.
   */
  shortestDueMs(stage: string, urgency: string | null): number {
    if (urgency !== null) return reviewDueMs(this.settings.slaMs, stage, urgency);
    const keys = Object.keys(this.settings.slaMs).filter(
      (key) => !key.includes('.') || key.startsWith(`${stage}.`),
    );
    return Math.min(...keys.map((key) => this.settings.slaMs[key]));
  }

  /** True once any review was opened: the item waited for a person at least once. */
  get reviewed(): boolean {
    return this.counts.size > 0;
  }

  /** Opens a review and waits for its decision (a person's, or the SLA action's). */
  async request<T>(request: ReviewRequest<T>): Promise<ReviewOutcome<T>> {
    const n = (this.counts.get(request.stage) ?? 0) + 1;
    this.counts.set(request.stage, n);
    const now = new Date();
    const dueMs = reviewDueMs(this.settings.slaMs, request.stage, request.urgency);
    const { escalateAfterMs, escalateAction } = this.settings;
    const escalatesIn = escalateAction !== 'keep_waiting' ? escalateAfterMs : null;
    const pending: PendingReview = {
      id: `${request.stage}-${n}`,
      stage: request.stage,
      reasons: request.reasons,
      confidence: request.confidence,
      requestedAt: now.toISOString(),
      dueAt: new Date(now.getTime() + dueMs).toISOString(),
      escalatesAt: escalatesIn === null ? null : new Date(now.getTime() + dueMs + escalatesIn).toISOString(),
      overdue: false,
      outputMissing: request.output === null,
      allowed: allowedDecisions(request.output !== null, request.schema !== null),
      ...(request.rung ? { rung: request.rung } : {}),
    };
    this.open = { pending, output: request.output, schema: request.schema as z.ZodType<unknown> | null };
    this.outcome = null;
    this.state.review = pending;
    this.state.status = 'awaiting_review';
    this.hooks.onReviewStatus('pending', pending);
    this.hooks.notify('review.requested', pending);
    log.info('review requested', { reviewId: pending.id, reasons: pending.reasons.map((r) => r.code) });

    await this.waitForDecision(pending, dueMs, escalatesIn);
    const outcome = this.outcome as unknown as ReviewOutcome<T>;
    this.hooks.onReviewStatus('decided', outcome.record);
    this.hooks.notify('review.decided', outcome.record);
    return outcome;
  }

  private async waitForDecision(pending: PendingReview, dueMs: number, escalatesIn: number | null) {
    const decided = () => this.outcome !== null;
    if (await condition(decided, dueMs)) return;
    pending.overdue = true;
    this.hooks.onReviewStatus('overdue', pending);
    this.hooks.notify('review.overdue', pending);
    log.warn('review overdue', { reviewId: pending.id, dueAt: pending.dueAt });
    if (escalatesIn !== null) {
      if (await condition(decided, escalatesIn)) return;
      this.slaAction();
    }
    await condition(decided);
  }

  /** The configured action once a review is overdue past `escalateAfter`; a person's decision came first if any. */
  private slaAction(): void {
    const open = this.open;
    if (!open || this.outcome) return;
    const action = this.settings.escalateAction;
    const onlyConfidence = open.pending.reasons.every((r) => r.code === 'low_confidence');
    let decision: ReviewDecision['decision'] | null = null;
    if (action === 'reject') decision = 'reject';
    if (action === 'approve_if_only_low_confidence' && onlyConfidence && open.output !== null)
      decision = 'approve';
    if (!decision) {
      log.warn('SLA action does not apply; the review stays open', { reviewId: open.pending.id, action });
      return;
    }
    this.decide(
      this.check({
        reviewId: open.pending.id,
        decision,
        reviewer: SLA_REVIEWER,
        comment: `no decision by ${open.pending.dueAt}: ${decision === 'reject' ? 'rejected' : 'approved'} by review.escalateAction ${action}`,
      }),
      'sla',
    );
  }

  /** Runs the rules; a refused decision throws the failure the update's caller receives. */
  private check(decision: unknown): Extract<DecisionCheck<unknown>, { ok: true }> {
    const check = checkDecision(this.open, this.state.reviewHistory, decision);
    if (check.ok) return check;
    if (check.kind === 'not_pending') {
      throw ApplicationFailure.create({
        type: REVIEW_NOT_PENDING,
        message: check.message,
        nonRetryable: true,
        details: [{ pendingReviewId: check.pendingReviewId }],
      });
    }
    throw ApplicationFailure.create({
      type: INVALID_DECISION,
      message: `${check.message}: ${check.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      nonRetryable: true,
      details: [{ issues: check.issues }],
    });
  }

  /** Closes the open review with a decision the rules accepted, and records it. */
  private decide(
    check: Extract<DecisionCheck<unknown>, { ok: true }>,
    via: ReviewRecord['via'],
  ): ReviewRecord {
    const pending = this.open!.pending;
    const { decision, reviewer, comment, corrections } = check.decision;
    const record: ReviewRecord = {
      ...pending,
      reasons: [...pending.reasons],
      decision,
      reviewer,
      comment: comment ?? null,
      corrections: corrections ?? null,
      decidedAt: new Date().toISOString(),
      via,
    };
    this.state.reviewHistory.push(record);
    this.state.review = null;
    this.state.status = 'running';
    this.open = null;
    this.outcome = { record, output: check.output };
    log.info('review decided', { reviewId: record.id, decision, via });
    return record;
  }

  private refused(raw: unknown, reason: string): void {
    const field = (key: string): string | null => {
      const value = (raw as Record<string, unknown> | null)?.[key];
      return typeof value === 'string' ? value.slice(0, 200) : null;
    };
    const list = this.state.rejectedDecisions;
    list.push({
      reviewId: field('reviewId'),
      decision: field('decision'),
      reviewer: field('reviewer'),
      reason: reason.slice(0, 1000),
      receivedAt: new Date().toISOString(),
    });
    if (list.length > MAX_REJECTED_KEPT) list.splice(0, list.length - MAX_REJECTED_KEPT);
    log.warn('review decision signal refused', { reason: reason.slice(0, 200) });
  }
}
