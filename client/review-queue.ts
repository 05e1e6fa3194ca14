/**
 * The review queue, read from Temporal visibility alone: search attributes filter, the review memo gives
 * each row its id and reason codes, and no row costs a query to a worker (so the queue answers with the
 * workers down, and its cost does not grow with one query per item).
 *
 * Temporal's SQL visibility (the dev server, PostgreSQL, MySQL) has no ORDER BY, so "oldest due first" is
 * found with counts: a k-ary search for the due time below which a page's worth of items lies, then one
 * listing of that window, sorted here. Pages are keyset pages on (dueAt, workflowId): an item is listed
 * once while it stays open, whatever is added or decided meanwhile; an item added with a due time before
 * the cursor is seen by the next walk from the first page.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { z } from 'zod';
import {
  DocketMatterType,
  DocketReviewDueAt,
  DocketReviewStage,
  DocketReviewStatus,
  DocketUrgency,
  REVIEW_MEMO,
  type ReviewMemo,
} from '../workflows';

/** `open` is every review waiting for a person: `pending` (not yet due) and `overdue`. */
export const QueueStatus = z.enum(['open', 'pending', 'overdue']);
export type QueueStatus = z.infer<typeof QueueStatus>;

export interface QueueFilter {
  status: QueueStatus;
  stage?: string;
  urgency?: string;
  matterType?: string;
}

export interface QueueItem {
  workflowId: string;
  /** The run's Temporal workflow type. */
  workflowType: string;
  reviewId: string | null;
  stage: string | null;
  urgency: string | null;
  matterType: string | null;
  dueAt: string;
  overdue: boolean;
  reasons: string[];
}

export interface QueuePage {
  items: QueueItem[];
  nextCursor: string | null;
}

/** The search ends at one-second windows; what ties within one is sorted here. */
const PRECISION_MS = 1_000;
/** Counts asked at once per round of the search: 3 splits the window into 4 per round. */
const SPLITS = 3;
/** A window this small is listed in one call (and sorted here) instead of narrowed further. */
const LISTABLE = 1000;
const FAR_PAST = Date.parse('2000-01-01T00:00:00Z');
const HOUR_MS = 3_600_000;
const NEAR_NOW_MS = [-7 * 24, -1, 1, 24, 7 * 24].map((h) => h * HOUR_MS);
const FAR_FUTURE = Date.parse('2200-01-01T00:00:00Z');
/** Temporal's default limit on a workflow id (`limit.maxIDLength`), in bytes. */
const MAX_WORKFLOW_ID_BYTES = 1000;
/**
 * Where a page ends, as `nextCursor` carries it: the last item's due time (ms since 1970, in digits) and
 * workflow id (UTF-8, base64url without padding), joined by a dot. Every string of this form names a place
 * in the queue's order (dueAt, workflowId), so the form is the whole rule: a due time outside the range the
 * queue lists is before the first item or past the last, never an error. The OpenAPI document states it.
 */
export const QueueCursor = z
  .string()
  .max(13 + 1 + Math.ceil((MAX_WORKFLOW_ID_BYTES * 4) / 3))
  .regex(
    /^[0-9]{1,13}\.[A-Za-z0-9_-]{2,}$/,
    'a cursor is the nextCursor of a previous page: <due time in ms>.<workflow id in base64url>',
  );
interface Cursor {
  d: number;
  w: string;
}
/** Visibility values are quoted into queries; these never contain a quote. */
const SAFE_VALUE = /^[A-Za-z0-9._:-]+$/;

export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
}

function encodeCursor({ d, w }: Cursor): string {
  return `${d}.${Buffer.from(w, 'utf8').toString('base64url')}`;
}

function decodeCursor(text: string): Cursor {
  if (!QueueCursor.safeParse(text).success) {
    throw new InvalidCursorError('the cursor is not one this API gave out');
  }
  const [d, w] = text.split('.');
  return { d: Number(d), w: Buffer.from(w, 'base64url').toString('utf8') };
}

/** Where a queue looks: the workflow types it lists (every registered one, or the one asked for) on one task queue. */
export interface QueueScope {
  taskQueue: string;
  workflowTypes: readonly string[];
}

/** The visibility query for the open reviews a filter selects, within a scope. */
export function queueQuery(scope: QueueScope, filter: QueueFilter): string {
  const statuses = filter.status === 'open' ? ['pending', 'overdue'] : [filter.status];
  if (scope.workflowTypes.length === 0)
    throw new RangeError('a review queue needs at least one workflow type');
  const clauses = [
    `WorkflowType IN (${scope.workflowTypes.map(quote).join(', ')})`,
    `ExecutionStatus = 'Running'`,
    `TaskQueue = ${quote(scope.taskQueue)}`,
    `${DocketReviewStatus.name} IN (${statuses.map(quote).join(', ')})`,
  ];
  if (filter.stage) clauses.push(`${DocketReviewStage.name} = ${quote(filter.stage)}`);
  if (filter.urgency) clauses.push(`${DocketUrgency.name} = ${quote(filter.urgency)}`);
  if (filter.matterType) clauses.push(`${DocketMatterType.name} = ${quote(filter.matterType)}`);
  return clauses.join(' AND ');
}

function quote(value: string): string {
  if (!SAFE_VALUE.test(value)) throw new RangeError(`not a visibility value: ${value}`);
  return `'${value}'`;
}

function dueBetween(query: string, fromMs: number, toMs: number): string {
  const due = DocketReviewDueAt.name;
  return `${query} AND ${due} >= '${new Date(fromMs).toISOString()}' AND ${due} < '${new Date(toMs).toISOString()}'`;
}

/** One page of open reviews, oldest due first. */
export async function listReviewQueue(
  client: Client,
  options: QueueScope & {
    filter: QueueFilter;
    limit: number;
    cursor?: string;
    /** Windows up to this many items are listed in one call; default LISTABLE. */
    listable?: number;
  },
): Promise<QueuePage> {
  const query = queueQuery(options, options.filter);
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  // The queue lists due times in [FAR_PAST, FAR_FUTURE): nothing lies past a cursor at its end or beyond.
  if (after && after.d >= FAR_FUTURE) return { items: [], nextCursor: null };
  const fromMs = Math.max(after?.d ?? FAR_PAST, FAR_PAST);
  const count = async (fromInclusive: number, toExclusive: number) =>
    (await client.workflow.count(dueBetween(query, fromInclusive, toExclusive))).count;
  // Items due at exactly the cursor's time come back and are dropped below: ask for that many more.
  const ties = after && after.d >= FAR_PAST ? await count(after.d, after.d + 1) : 0;
  const wanted = options.limit + 1 + ties;
  const untilMs = await dueBound(count, fromMs, wanted, options.listable ?? LISTABLE);

  const rows: QueueItem[] = [];
  for await (const run of client.workflow.list({
    query: dueBetween(query, fromMs, untilMs),
    pageSize: 1000,
  })) {
    const item = queueItem(run);
    if (item) rows.push(item);
  }
  rows.sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.workflowId.localeCompare(b.workflowId));
  const fresh = after ? rows.filter((r) => Date.parse(r.dueAt) > after.d || r.workflowId > after.w) : rows;
  const items = fresh.slice(0, options.limit);
  const last = items.at(-1);
  return {
    items,
    nextCursor:
      fresh.length > options.limit && last
        ? encodeCursor({ d: Date.parse(last.dueAt), w: last.workflowId })
        : null,
  };
}

/**
 * A due time `u` with at least `wanted` items due in [from, u) and few enough to list in one call
 * (`listable`), or FAR_FUTURE when everything from `from` on is that few. A k-ary search over counts: each
 * round asks SPLITS counts at once; it stops as soon as the window can be listed, so a page costs a
 * handful of counts, not a search down to the second.
 */
async function dueBound(
  count: (fromMs: number, toMs: number) => Promise<number>,
  fromMs: number,
  wanted: number,
  listable: number,
): Promise<number> {
  const total = await count(fromMs, FAR_FUTURE);
  if (total < wanted || total <= listable) return FAR_FUTURE;
  let lo = fromMs;
  let hi = FAR_FUTURE;
  // Due times cluster around now (an SLA is hours or days): the first round looks there.
  const now = Date.now();
  let points = NEAR_NOW_MS.map((offset) => now + offset).filter((p) => p > lo && p < hi);
  while (hi - lo > PRECISION_MS) {
    const counts = await Promise.all(points.map((p) => count(fromMs, p)));
    const first = counts.findIndex((c) => c >= wanted);
    if (first === -1) lo = points.at(-1) ?? lo;
    else {
      hi = points[first];
      if (counts[first] <= listable) return hi;
      if (first > 0) lo = points[first - 1];
    }
    const step = (hi - lo) / (SPLITS + 1);
    points = Array.from({ length: SPLITS }, (_, i) => Math.round(lo + step * (i + 1)));
  }
  return hi;
}

function queueItem(run: WorkflowExecutionInfo): QueueItem | null {
  const attributes = run.typedSearchAttributes;
  const due = attributes.get(DocketReviewDueAt);
  if (!due) return null;
  const memo = run.memo?.[REVIEW_MEMO] as ReviewMemo | undefined;
  return {
    workflowId: run.workflowId,
    workflowType: run.type,
    reviewId: memo?.reviewId ?? null,
    stage: attributes.get(DocketReviewStage) ?? null,
    urgency: attributes.get(DocketUrgency) ?? null,
    matterType: attributes.get(DocketMatterType) ?? null,
    dueAt: due.toISOString(),
    overdue: attributes.get(DocketReviewStatus) === 'overdue',
    reasons: memo?.reasons ?? [],
  };
}

export interface QueueCounts {
  open: number;
  pending: number;
  overdue: number;
  /** Open and overdue reviews per stage and per urgency, for a queue's header. */
  byStage: Record<string, { open: number; overdue: number }>;
  byUrgency: Record<string, { open: number; overdue: number }>;
}

/** How many reviews wait, overall, per stage and per urgency: counts only, from visibility. */
export async function reviewQueueCounts(
  client: Client,
  options: QueueScope & { stages: readonly string[]; urgencies: readonly string[] },
): Promise<QueueCounts> {
  const count = async (filter: QueueFilter) =>
    (await client.workflow.count(queueQuery(options, filter))).count;
  const pair = async (filter: Omit<QueueFilter, 'status'>) => {
    const [open, overdue] = await Promise.all([
      count({ ...filter, status: 'open' }),
      count({ ...filter, status: 'overdue' }),
    ]);
    return { open, overdue };
  };
  const [total, stages, urgencies] = await Promise.all([
    pair({}),
    Promise.all(options.stages.map((stage) => pair({ stage }))),
    Promise.all(options.urgencies.map((urgency) => pair({ urgency }))),
  ]);
  return {
    open: total.open,
    pending: total.open - total.overdue,
    overdue: total.overdue,
    byStage: Object.fromEntries(options.stages.map((stage, i) => [stage, stages[i]])),
    byUrgency: Object.fromEntries(options.urgencies.map((urgency, i) => [urgency, urgencies[i]])),
  };
}
