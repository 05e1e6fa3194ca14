/**
 * The batch lane on a real stack: a legal intake's model calls sent through the simulator's Batch API, the
 * workflow waiting on a timer and polling (no worker slot held), the answers checked, screened and priced at
 * the batch price; a batch that expires falls back to the normal lane; and config's SLA rule batches only the
 * stages whose review may wait that long.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { History } from '@temporalio/common/lib/proto-utils';
import { startWorkflowRun } from '../../client';
import type { ModelUsage } from '../../domain';
import type { LegalIntakeStatus } from '../../workflows/legal-intake';
import { workflowRegistry } from '../../workflows/registry';
import { exampleIntake, startLegalIntake, waitForStatus } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';
import { serveApi, type RunningApi } from '../api/http';

let stack: TestStack;
let api: RunningApi;
const legal = workflowRegistry.byRestName('legal-intake')!;

beforeAll(async () => {
  stack = await startTestStack({
    configOverrides: { modelCalls: { batch: { pollEvery: '1s' } }, logging: { level: 'error' } },
  });
  api = await serveApi(stack.config, stack.client, stack.db);
});
afterEach(() => stack.simulator.setBatches({ fate: 'complete', completesAfterMs: 0 }));
afterAll(async () => {
  await api?.close();
  await stack?.close();
});

/** What a run scheduled, in order: activities by type, and its timers. */
function scheduled(history: History): string[] {
  return (history.events ?? []).flatMap((event) => {
    const activity = event.activityTaskScheduledEventAttributes?.activityType?.name;
    if (activity) return [activity];
    return event.timerStartedEventAttributes ? ['timer'] : [];
  });
}

/** A call's cost at its model's standard price, from the stack's config. */
function livePrice(call: ModelUsage): number {
  const entry = Object.values(stack.config.models)
    .flat()
    .find((model) => model.model === call.model)!;
  const { inputPerMTokUsd, cachedInputPerMTokUsd, outputPerMTokUsd } = entry.pricing;
  const cached = call.cachedInputTokens ?? 0;
  return (
    ((call.inputTokens - cached) * inputPerMTokUsd +
      cached * cachedInputPerMTokUsd +
      call.outputTokens * outputPerMTokUsd) /
    1e6
  );
}

async function runToEnd(workflowId: string) {
  const handle = stack.client.workflow.getHandle(workflowId);
  const status: LegalIntakeStatus = await handle.result();
  return { status, history: await handle.fetchHistory() };
}

it('sends a bulk import’s calls through the Batch API, waits on timers, and prices them at the batch price', async () => {
  // Each batch answers a second and a half after it is made: the first poll finds it still in progress.
  stack.simulator.setBatches({ completesAfterMs: 1_500 });
  const batchesBefore = stack.simulator.batches();
  const { workflowId } = await startWorkflowRun(stack, legal, exampleIntake('clear-personal-injury'), {
    lane: 'batch',
  });
  const { status, history } = await runToEnd(workflowId);
  expect(status.status).toBe('completed');
  const steps = scheduled(history);
  expect(steps).not.toContain('callModel');
  // Every turn: submitted, then at least one wait and poll that found it in progress, then the answer.
  const turns = status.usage.calls.length;
  expect(steps.filter((s) => s === 'submitModelBatch')).toHaveLength(turns);
  expect(steps.filter((s) => s === 'pollModelBatch').length).toBeGreaterThanOrEqual(2 * turns);
  expect(steps.filter((s) => s === 'timer').length).toBeGreaterThanOrEqual(2 * turns);
  expect(stack.simulator.batches() - batchesBefore).toBe(turns);
  for (const call of status.usage.calls) {
    expect(call.lane).toBe('batch');
    expect(call.costUsd).toBeGreaterThan(0);
    expect(call.costUsd).toBeCloseTo(livePrice(call) * 0.5, 7);
  }
  expect(status.usage.total.costUsd).toBeCloseTo(
    status.usage.calls.reduce((sum, call) => sum + call.costUsd, 0),
    7,
  );
});

it('falls back to the normal lane when a batch expires', async () => {
  stack.simulator.setBatches({ fate: 'expire' });
  const { workflowId } = await startWorkflowRun(stack, legal, exampleIntake('clear-personal-injury'), {
    lane: 'batch',
  });
  const { status, history } = await runToEnd(workflowId);
  expect(status.status).toBe('completed');
  const steps = scheduled(history);
  // Each turn: a batch submitted, found expired at its first poll, then the same turn called live.
  const turns = status.usage.calls.length;
  expect(steps.filter((s) => s === 'submitModelBatch')).toHaveLength(turns);
  expect(steps.filter((s) => s === 'callModel')).toHaveLength(turns);
  expect(steps.indexOf('pollModelBatch')).toBeLessThan(steps.indexOf('callModel'));
  for (const call of status.usage.calls) {
    expect(call.lane).toBeUndefined();
    expect(call.costUsd).toBeCloseTo(livePrice(call), 7);
  }
});

it('sends no batch that would cross the run’s budget, even at the batch price: the stage goes to a person', async () => {
  // The classifier's prompt alone (about 1,500 tokens at half of $0.15 per million) costs more than $0.00005.
  const config = { ...stack.config, budget: { perWorkflowUsd: 0.00005 } };
  const batchesBefore = stack.simulator.batches();
  const requestsBefore = stack.simulator.stats().requests;
  const { workflowId } = await startWorkflowRun(
    { ...stack, config },
    legal,
    exampleIntake('clear-personal-injury'),
    { lane: 'batch' },
  );
  const status = await waitForStatus(stack.client, workflowId, (s) => s.status === 'awaiting_review');
  expect(status.stage).toBe('classify');
  expect(status.review?.reasons.map((r) => r.code)).toEqual(['budget_exceeded']);
  expect(status.usage.calls).toEqual([]);
  expect(stack.simulator.batches()).toBe(batchesBefore);
  expect(stack.simulator.stats().requests).toBe(requestsBefore);
  // Refused once, in the lane: no live call was tried after it.
  const steps = scheduled(await stack.client.workflow.getHandle(workflowId).fetchHistory());
  expect(steps.filter((step) => step === 'submitModelBatch' || step === 'callModel')).toEqual([
    'submitModelBatch',
  ]);
  await stack.client.workflow.getHandle(workflowId).terminate('test done');
});

it('batches, under config’s rule, only the stages whose review may wait long enough', async () => {
  // Reviews: default 24h, critical 2h. A rule of 20 hours: the classification (its urgency not known yet, so
  // as urgent as any) is called live; the clear intake's reasoner and drafter (urgency normal) are batched.
  const config = structuredClone(stack.config);
  config.modelCalls.batch.whenReviewSlaAtLeast = '20h';
  config.review.sla = { default: '24h', critical: '2h' };
  const { workflowId } = await startLegalIntake({ ...stack, config }, exampleIntake('clear-personal-injury'));
  const { status } = await runToEnd(workflowId);
  expect(status.status).toBe('completed');
  const lanes = Object.fromEntries(
    ['classifier', 'reasoner', 'drafter'].map((agent) => [
      agent,
      [...new Set(status.usage.calls.filter((c) => c.agent === agent).map((c) => c.lane ?? 'live'))],
    ]),
  );
  expect(lanes).toEqual({ classifier: ['live'], reasoner: ['batch'], drafter: ['batch'] });
});

it('imports a folder in the batch lane with npm run submit -- --batch, a line per body, and says what was refused', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-bulk-'));
  const bodies = [exampleIntake('clear-personal-injury'), exampleIntake('clear-personal-injury')];
  bodies.forEach((body, i) => writeFileSync(path.join(dir, `${i + 1}.json`), JSON.stringify(body)));
  writeFileSync(path.join(dir, '3.json'), JSON.stringify({ externalId: 'no-body' }));
  // Not spawnSync: the API answering the script runs in this process.
  const run = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'scripts/submit.ts', '--batch', dir],
      {
        cwd: path.join(__dirname, '../..'),
        timeout: 60_000,
        env: { ...process.env, DOCKET_API_URL: api.url, DOCKET_API_KEY: stack.keys.operator },
      },
      (err, stdout, stderr) => resolve({ status: err ? ((err.code as number) ?? null) : 0, stdout, stderr }),
    );
  });
  expect(run.stderr).toBe('');
  expect(run.status).toBe(1);
  const lines = run.stdout.trim().split('\n');
  const ids = bodies.map((body) => `legal-intake-${body.externalId}`);
  expect(lines).toEqual([
    `[1/3] 1.json: 202 ${ids[0]}`,
    `[2/3] 2.json: 202 ${ids[1]}`,
    expect.stringMatching(/^\[3\/3\] 3\.json: 400 the legal-intake body is invalid/),
    '2 started in the batch lane, 1 refused',
  ]);
  for (const id of ids) {
    const { status } = await runToEnd(id);
    expect(status.status).toBe('completed');
    expect(new Set(status.usage.calls.map((call) => call.lane))).toEqual(new Set(['batch']));
  }
  // Any other lane is refused, naming the parameter.
  const refused = await api.call('POST', '/v1/workflows/legal-intake?lane=fast', {
    key: stack.keys.operator,
    json: exampleIntake('clear-personal-injury'),
  });
  expect(refused.status).toBe(400);
  expect(JSON.stringify(refused.body)).toContain('lane');
});
