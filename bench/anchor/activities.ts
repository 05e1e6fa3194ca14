/** The anchor's activities: a wait as long as one simulated model call, and nothing at all. */
import { setTimeout as sleep } from 'node:timers/promises';

export const anchorActivities = {
  async modelCall(latencyMs: number): Promise<void> {
    if (latencyMs > 0) await sleep(latencyMs);
  },
  async noop(): Promise<void> {},
};

export type AnchorActivities = typeof anchorActivities;
