/** What a run's history holds, decrypted as the worker read it: for tests that look at what Temporal keeps. */
import type { Client } from '@temporalio/client';
import type { Payload } from '@temporalio/common';
import type { CallModelInput } from '../../activities';
import { AesGcmPayloadCodec, parseEncryptionKeys } from '../../codec';
import { TEST_ENCRYPTION_KEYS } from './encryption';

/** One scheduled `callModel` activity: its id, its input, and the input's encrypted size in history. */
export interface ScheduledModelCall {
  activityId: string;
  input: CallModelInput;
  bytes: number;
}

/** Every callModel a run scheduled, in order, with its input decrypted (the test key set). */
export async function scheduledModelCalls(client: Client, workflowId: string): Promise<ScheduledModelCall[]> {
  const { events } = await client.workflow.getHandle(workflowId).fetchHistory();
  const codec = new AesGcmPayloadCodec(parseEncryptionKeys(TEST_ENCRYPTION_KEYS));
  const calls: ScheduledModelCall[] = [];
  for (const event of events ?? []) {
    const scheduled = event.activityTaskScheduledEventAttributes;
    if (scheduled?.activityType?.name !== 'callModel') continue;
    const payload = scheduled.input!.payloads![0] as Payload;
    const [plain] = await codec.decode([payload]);
    calls.push({
      activityId: scheduled.activityId ?? '',
      input: JSON.parse(Buffer.from(plain.data!).toString('utf8')),
      bytes: payload.data?.length ?? 0,
    });
  }
  return calls;
}
