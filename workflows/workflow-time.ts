/** Today in workflow time (YYYY-MM-DD): deterministic on replay, since workflow time is recorded. */
export function today(): string {
  return new Date().toISOString().slice(0, 10);
}
