/**
 * The review queue over some 170 open items, many pages of it: filters, oldest-due-first order and paging
 * that lists every open item exactly once while items are added and decided, all from Temporal visibility (no
 * worker needed). `npm run bench:reviews` measures it at 10,000.
 */
import { listReviewQueue, type QueueItem } from '../../client';
import type { IntakeRequest } from '../../domain';
import { decideReviewUpdate } from '../../workflows/messages';
import { workflowRegistry } from '../../workflows/registry';
import { exampleIntake, type ExampleName, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { pollUntil, serveApi, type RunningApi } from './http';

jest.setTimeout(240_000);

const AMBIGUOUS = 150;
const CONFLICTS = 12;

let stack: TestStack;
let api: RunningApi;

type Row = QueueItem;

async function startMany(example: ExampleName, n: number, tweak?: (i: IntakeRequest) => IntakeRequest) {
  const ids: string[] = [];
  for (let i = 0; i < n; i += 25) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(25, n - i) }, async () => {
        const intake = tweak ? tweak(exampleIntake(example)) : exampleIntake(example);
        return (await startLegalIntake(stack, intake)).workflowId;
      }),
    );
    ids.push(...batch);
  }
  return ids;
}

async function openCount(): Promise<number> {
  return (await api.call('GET', '/v1/reviews/counts', { key: stack.keys.reviewer })).body.open;
}

/** Every page of a listing, in order. */
async function walk(query: string, onPage?: (page: number) => Promise<void>, limit = 100): Promise<Row[]> {
  const rows: Row[] = [];
  let cursor: string | null = null;
  for (let page = 0; ; page++) {
    const sep = query ? '&' : '';
    const path: string = `/v1/reviews?${query}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const answer: { status: number; body: { items: Row[]; nextCursor: string | null } } = await api.call(
      'GET',
      path,
      { key: stack.keys.reviewer },
    );
    const { status, body } = answer;
    expect(status).toBe(200);
    rows.push(...body.items);
    cursor = body.nextCursor;
    if (!cursor) return rows;
    await onPage?.(page);
  }
}

function inDueOrder(rows: Row[]): boolean {
  return rows.every(
    (row, i) =>
      i === 0 ||
      rows[i - 1].dueAt < row.dueAt ||
      (rows[i - 1].dueAt === row.dueAt && rows[i - 1].workflowId < row.workflowId),
  );
}

let ambiguous: string[];
let conflicts: string[];
let critical: string[];

beforeAll(async () => {
  stack = await startTestStack();
  api = await serveApi(stack.config, stack.client, stack.db);
  ambiguous = await startMany('ambiguous', AMBIGUOUS);
  // Same vague text, marked urgent by a deadline tomorrow: the classifier calls it critical (2h SLA).
  critical = await startMany('ambiguous', 5, (i) => ({
    ...i,
    body: `${i.body} URGENT: the court hearing is tomorrow and I have a deadline.`,
  }));
  conflicts = await startMany('conflict-adverse-client', CONFLICTS);
  const total = ambiguous.length + critical.length + conflicts.length;
  await pollUntil(openCount, (n) => n === total, { timeoutMs: 120_000, intervalMs: 500 });
});

afterAll(async () => {
  await api?.close();
  await stack?.close();
});

describe('the review queue', () => {
  it('pages through every open review once, oldest due first, with what a row shows', async () => {
    const rows = await walk('');
    const expected = [...ambiguous, ...critical, ...conflicts];
    expect(rows).toHaveLength(expected.length);
    expect(new Set(rows.map((r) => r.workflowId))).toEqual(new Set(expected));
    expect(inDueOrder(rows)).toBe(true);

    const conflictRow = rows.find((r) => r.workflowId === conflicts[0]);
    expect(conflictRow).toMatchObject({
      reviewId: 'reason-1',
      stage: 'reason',
      matterType: 'commercial_contract',
      overdue: false,
    });
    expect(conflictRow?.reasons).toContain('potential_conflict');
    const vague = rows.find((r) => r.workflowId === ambiguous[0]);
    // Vague, and approved as it is the checks would lack a client identity and a state: asked here, once.
    expect(vague).toMatchObject({
      reviewId: 'classify-1',
      stage: 'classify',
      reasons: ['low_confidence', 'check_incomplete'],
    });
    // Critical items are due in 2 hours, the rest in 24 (high: 8): they come first.
    const urgencies = rows.map((r) => r.urgency);
    expect(urgencies.slice(0, critical.length)).toEqual(critical.map(() => 'critical'));
  });

  it('finds the same pages by counting when the queue is too long to list in one call', async () => {
    const viaApi = await walk('');
    const viaSearch: Row[] = [];
    let cursor: string | undefined;
    do {
      const page = await listReviewQueue(stack.client, {
        taskQueue: stack.config.temporal.taskQueue,
        workflowTypes: workflowRegistry.workflowTypes,
        filter: { status: 'open' },
        limit: 100,
        cursor,
        listable: 40,
      });
      viaSearch.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(viaSearch.map((r) => r.workflowId)).toEqual(viaApi.map((r) => r.workflowId));
  });

  it('filters by stage, urgency and matter type', async () => {
    const byStage = await walk('stage=reason');
    expect(byStage.map((r) => r.workflowId).sort()).toEqual([...conflicts].sort());
    const byUrgency = await walk('urgency=critical');
    expect(byUrgency.map((r) => r.workflowId).sort()).toEqual([...critical].sort());
    const byMatter = await walk('matterType=commercial_contract&stage=reason');
    expect(byMatter).toHaveLength(conflicts.length);
    const none = await walk('status=overdue');
    expect(none).toEqual([]);
  });

  it('lists each item once while items are added and decided during the walk', async () => {
    const decided = new Set<string>();
    const added: string[] = [];
    const seen = await walk(
      'stage=classify',
      async (page) => {
        if (page > 2) return;
        // Someone decides items further down the queue, and new intakes arrive (due later than all).
        const tail = ambiguous.slice(-(page + 1) * 5, ambiguous.length - page * 5);
        for (const workflowId of tail) {
          await stack.client.workflow.getHandle(workflowId).executeUpdate(decideReviewUpdate, {
            args: [{ reviewId: 'classify-1', decision: 'reject', reviewer: 'other', comment: 'duplicate' }],
          });
          decided.add(workflowId);
        }
        added.push(...(await startMany('ambiguous', 3)));
      },
      // Small pages, so the changes land between many of them.
      25,
    );
    const ids = seen.map((r) => r.workflowId);
    expect(new Set(ids).size).toBe(ids.length);
    expect(inDueOrder(seen)).toBe(true);
    // Every item open from start to end is listed; an item decided before its page was read may be gone.
    const stayedOpen = [...ambiguous, ...critical].filter((id) => !decided.has(id));
    expect(ids).toEqual(expect.arrayContaining(stayedOpen));
    for (const workflowId of ids) expect(ambiguous.concat(critical, added)).toContain(workflowId);
  });

  it('answers from visibility with no worker running', async () => {
    stack.worker?.shutdown();
    // A listing that asked each workflow for its status would find no worker to answer and list nothing.
    const { status, body } = await api.call('GET', '/v1/reviews?limit=20', { key: stack.keys.reviewer });
    expect(status).toBe(200);
    expect(body.items).toHaveLength(20);
    expect(body.nextCursor).toEqual(expect.any(String));
  });

  it('takes any cursor of the documented form as a place in the queue', async () => {
    const first = await api.call('GET', '/v1/reviews?limit=5', { key: stack.keys.reviewer });
    expect(first.body.nextCursor).toMatch(/^[0-9]{1,13}\.[A-Za-z0-9_-]{2,}$/);
    const last = first.body.items.at(-1) as Row;
    const [due, id] = first.body.nextCursor.split('.');
    expect([Number(due), Buffer.from(id, 'base64url').toString('utf8')]).toEqual([
      Date.parse(last.dueAt),
      last.workflowId,
    ]);
    const page = async (cursor: string) =>
      (await api.call('GET', `/v1/reviews?limit=5&cursor=${cursor}`, { key: stack.keys.reviewer })).body;
    const name = Buffer.from('x').toString('base64url');
    // Before the first due time the queue lists (2000-01-01): the first page.
    expect(await page(`0.${name}`)).toEqual(first.body);
    // At or past the last (2200-01-01), nothing follows.
    for (const end of [7258118400000, 9999999999999]) {
      expect(await page(`${end}.${name}`)).toEqual({ items: [], nextCursor: null });
    }
  });

  it('refuses a cursor it did not give out and an unknown filter value', async () => {
    const bad = await api.call('GET', '/v1/reviews?cursor=not-a-cursor', { key: stack.keys.reviewer });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].path).toEqual(['cursor']);
    const stage = await api.call('GET', '/v1/reviews?stage=nowhere', { key: stack.keys.reviewer });
    expect(stage.status).toBe(400);
    const type = await api.call('GET', '/v1/reviews?type=memo-check', { key: stack.keys.reviewer });
    expect([type.status, type.body.error.details[0].path]).toEqual([400, ['type']]);
  });

  it('filters by workflow type, and lists every registered type without the filter', async () => {
    const all = await walk('');
    expect(all.length).toBeGreaterThan(0);
    expect(await walk('type=legal-intake')).toEqual(all);
  });
});
