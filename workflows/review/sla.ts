/** Review due times from config: pure, so the gate and its tests share one lookup. */

/**
 * Milliseconds until a review is due. Keys, most specific first: `<stage>.<urgency>`, `<urgency>`,
 * `<stage>`, `default` (config `review.sla`, e.g. `{ "default": "24h", "critical": "2h" }`).
 */
export function reviewDueMs(
  slaMs: Readonly<Record<string, number>>,
  stage: string,
  urgency?: string | null,
): number {
  const keys = urgency ? [`${stage}.${urgency}`, urgency, stage, 'default'] : [stage, 'default'];
  for (const key of keys) {
    const ms = slaMs[key];
    if (ms !== undefined) return ms;
  }
  throw new Error('review.sla has no default');
}
