/**
 * What a workflow itself decides (gate results, review decisions), appended to the audit trail through
 * the recordAudit activity without holding up the run. Any workflow type keeps its trail through this.
 */
import type { DocketActivities, RecordAuditInput } from '../activities';
import { countGateResult, type StageGateResult } from './metrics';

export interface AuditTrail {
  /** Records one decision; a gate result is counted in the metrics as well. */
  record(kind: 'gate_result' | 'review_decision', actionId: string, data: object): void;
  /** Hands the records queued so far to one activity (batched trails only). */
  send(): void;
  /** Sends what is queued and waits for every row: before the run ends. */
  flush(): Promise<void>;
}

/**
 * Batched (the `audit-batches` marker), records wait for `send`, which hands them to one activity;
 * otherwise each goes at once.
 */
export function auditTrail(batched: boolean, recordAudit: DocketActivities['recordAudit']): AuditTrail {
  const pending: Promise<unknown>[] = [];
  let queued: RecordAuditInput[] = [];
  const send = (): void => {
    if (queued.length === 0) return;
    pending.push(recordAudit({ records: queued }));
    queued = [];
  };
  return {
    record(kind, actionId, data) {
      if (kind === 'gate_result') countGateResult(data as StageGateResult);
      const record = { actionId, kind, data: data as Record<string, unknown> };
      if (batched) queued.push(record);
      else pending.push(recordAudit(record));
    },
    send,
    async flush() {
      send();
      await Promise.all(pending);
    },
  };
}
