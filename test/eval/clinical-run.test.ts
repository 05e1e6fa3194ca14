import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { createLogger, loadConfig } from '../../config';
import { CLINICAL_CORPUS_DIR, loadClinicalCorpus } from '../../eval/clinical/corpus';
import type { ClinicalEvaluatedItem } from '../../eval/clinical/metrics';
import { runClinicalEvaluation, type ClinicalRunResult } from '../../eval/clinical/run';
import type { EvalProgress } from '../../eval/runner';
import { workflowBundle } from '../support/bundle';
import { quietTemporalLogs, temporalTestAddress } from '../support/stack';

describe('the clinical eval runner on the real pipeline (simulator, the jest dev server)', () => {
  // A clean discharge summary, an allergy conflict, and a lab report with a critical platelet count.
  const picked = ['cl-009', 'cl-002', 'cl-032'];
  const corpus = loadClinicalCorpus(
    ['dev.jsonl', 'test.jsonl'].map((f) => path.join(CLINICAL_CORPUS_DIR, f)),
  );
  const items = picked.map((id) => corpus.find((i) => i.id === id)!);
  const config = loadConfig({ overrides: { logging: { level: 'warn' } } });
  const progress: Array<EvalProgress<ClinicalEvaluatedItem>> = [];
  let result: ClinicalRunResult;
  const byId = (id: string) => result.items.find((i) => i.id === id)!;

  beforeAll(async () => {
    quietTemporalLogs(createLogger(config, { process: 'test' }));
    result = await runClinicalEvaluation(items, {
      temporal: temporalTestAddress(),
      concurrency: 3,
      // The simulator whatever this machine's environment says: a test never pays a provider.
      env: { ...process.env, OPENAI_API_KEY: '', OPENAI_BASE_URL: '' },
      workflowBundle: await workflowBundle(),
      onProgress: (p) => progress.push(p),
    });
  });

  it('settles every document, approving nothing, and reports progress item by item', () => {
    expect(result.items.map((i) => i.id)).toEqual(picked);
    expect(result.items.filter((i) => i.error !== undefined)).toEqual([]);
    for (const item of result.items) {
      expect(['completed', 'awaiting_review', 'rejected']).toContain(item.observed?.status);
      expect(item.observed?.costUsd).toBeGreaterThan(0);
      if (item.observed?.status === 'completed') expect(item.observed.documentReferenceId).toMatch(/\S/);
      else expect(item.observed?.documentReferenceId).toBeNull();
    }
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3]);
    expect(result.run.simulator).toBe(true);
    expect(result.run.thresholds).toMatchObject({
      extractor: expect.any(Number),
      reasoner: expect.any(Number),
    });
  });

  it('reads the clinical codes a person was asked about, from the record and the text', () => {
    expect(byId('cl-002').observed?.reasonCodes).toContain('allergy_conflict');
    expect(byId('cl-002').escalated).toBe(true);
    expect(byId('cl-032').observed?.reasonCodes).toContain('critical_result');
    expect(byId('cl-032').observed?.checkFlags).toContain('critical_result');
  });

  it('leaves nothing waiting for a person: a run that asked one is ended once read', async () => {
    const connection = await Connection.connect({ address: temporalTestAddress().address });
    try {
      const client = new Client({ connection, namespace: temporalTestAddress().namespace });
      const waiting = result.items.filter((i) => i.observed?.status === 'awaiting_review');
      expect(waiting.length).toBeGreaterThan(0);
      // Raw describe: the client's own would decode the memo, which is encrypted with the run's key.
      const { namespace } = temporalTestAddress();
      const closed = await Promise.all(
        waiting.map(async (item) => {
          const described = await client.workflowService.describeWorkflowExecution({
            namespace,
            execution: { workflowId: item.workflowId },
          });
          return described.workflowExecutionInfo?.status;
        }),
      );
      expect(closed).toEqual(
        waiting.map(() => temporal.api.enums.v1.WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_TERMINATED),
      );
    } finally {
      await connection.close();
    }
  });
});
