/**
 * The raw-Temporal anchor `npm run bench` measures Docket against: the clear intake's path with nothing
 * of Docket's in it. Four activities that wait as long as a model call and four that do nothing, one after
 * the other, as Docket's pipeline runs them (classify, tools, reason, draft, file). Default data converter,
 * its own bundle and task queue.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { AnchorActivities } from './activities';

const { modelCall, noop } = proxyActivities<AnchorActivities>({
  startToCloseTimeout: '1 minute',
  retry: { maximumAttempts: 3 },
});

export interface AnchorInput {
  latencyMs: number;
}

/** model, no-op, model, no-op, no-op, model, model, no-op: 4 waits and 4 no-ops in Docket's order. */
export async function anchorIntake({ latencyMs }: AnchorInput): Promise<string> {
  await modelCall(latencyMs); // classify
  await noop(); // mandatory checks
  await modelCall(latencyMs); // reasoner asks for tools
  await noop(); // the tool
  await noop(); // ...
  await modelCall(latencyMs); // reasoner answers
  await modelCall(latencyMs); // draft
  await noop(); // file the case
  return 'done';
}
