/**
 * legalIntake's patch markers (`patched()`), and the one marker a run carries that stands for all of them.
 *
 * Each marker costs a run two history events (the marker, and the SDK core's upsert of the
 * TemporalChangeVersion search attribute beside it) and the server a visibility write. Runs started before
 * `PATCHES_THROUGH_LOCAL_TOOLS` carry a marker per change they have, and replay on them; runs started since
 * carry that one marker, which means every change through `LOCAL_TOOLS`; runs started since
 * `PATCHES_THROUGH_EVERY_IDENTITY` carry that one instead, which means every change below. A new change adds
 * its id and a new one-marker id, asked first.
 */
import { patched } from '@temporalio/workflow';

/** Marks runs with review ids, mandatory checks and acting SLAs; runs without it replay as v1. */
export const REVIEW_GATE_V2 = 'review-gate-v2';

/**
 * Marks runs whose gates use the computed confidence (agents/confidence.ts), for which the classifier's
 * client is looked up in the directory; runs without it gate on the model's own confidence.
 */
export const COMPUTED_CONFIDENCE = 'computed-confidence';

/**
 * Marks runs that send their gate results and review decisions to the audit trail in batches: when a
 * review opens, before filing and at the end (one `recordAudit` for a clear intake instead of three).
 * Runs without it record each as it is decided.
 */
export const AUDIT_BATCHES = 'audit-batches';

/**
 * Marks runs whose short steps are local activities: reading and pseudonymizing the intake, the
 * workflow's own checks and client lookup, and its audit records. The worker that runs the workflow runs
 * them, with the same retries, and the server keeps a marker for each instead of scheduling a task.
 * Runs without it schedule them as activities.
 */
export const LOCAL_ACTIVITIES = 'local-activities';

/**
 * Model failures sent to a person instead of failing the workflow: a retry budget spent, an answer cut off
 * or unparseable. Runs without this marker failed on them, and replay as they ran.
 */
export const MODEL_FAILURES_TO_PERSON = 'model-failures-to-person';

/**
 * Each model call carries only the messages new since the last one; the activity keeps the conversation
 * in Docket's database. Runs without this marker sent the whole conversation every time, and go on so.
 */
export const TRANSCRIPTS_IN_DATABASE = 'transcripts-in-database';

/**
 * The agents' tool calls run as local activities: a few database reads each, run by the worker that runs
 * the workflow, recorded as a marker instead of a task of their own on the server (three activity tasks
 * and their workflow tasks fewer for a clear intake's reasoner). Runs without it scheduled them as
 * activities, and go on so.
 */
export const LOCAL_TOOLS = 'local-tools';

/**
 * Marks runs whose mandatory checks read the whole intake, not only what the classifier extracted: the
 * conflict check over every identity (sender, signature, the model's parties, every recognized name), the
 * limitation check over every date the intake writes, and a classification review that asks for what
 * those checks would lack. Runs without it check the classifier's client and parties, and replay so. No run
 * carries it as a marker of its own: `PATCHES_THROUGH_EVERY_IDENTITY` stands for it.
 */
export const CHECKS_OVER_EVERY_IDENTITY = 'checks-over-every-identity';

/** Every patch above but the last, in one marker: what runs started before the last one carry. */
export const PATCHES_THROUGH_LOCAL_TOOLS = 'patches-through-local-tools';

/** Every patch above, in one marker: what a run started since carries instead of theirs. */
export const PATCHES_THROUGH_EVERY_IDENTITY = 'patches-through-every-identity';

export type LegalIntakePatch =
  | typeof REVIEW_GATE_V2
  | typeof COMPUTED_CONFIDENCE
  | typeof AUDIT_BATCHES
  | typeof LOCAL_ACTIVITIES
  | typeof MODEL_FAILURES_TO_PERSON
  | typeof TRANSCRIPTS_IN_DATABASE
  | typeof LOCAL_TOOLS
  | typeof CHECKS_OVER_EVERY_IDENTITY;

/** Which one marker a run carries, if any: the newest it was started with stands for every change before it. */
type Through = 'every-identity' | 'local-tools' | 'none';

// Decided once a run, at its first hasPatch (legalIntake's first line, before any command), and kept: the
// workflow sandbox evaluates this module anew for each run. A run replayed without a marker keeps false for
// it even once it executes live, so its changes stay decided as it began: the newest marker is asked first,
// and only a run without it asks the one before (a new run records one marker, not two).
let through: Through | undefined;

/**
 * Whether this run has the change `id`: a run with `PATCHES_THROUGH_EVERY_IDENTITY` has them all, one with
 * `PATCHES_THROUGH_LOCAL_TOOLS` every one before `CHECKS_OVER_EVERY_IDENTITY`, without a marker each; any
 * other asks `patched(id)`, as it always did (none of them has the last change).
 */
export function hasPatch(id: LegalIntakePatch): boolean {
  through ??= patched(PATCHES_THROUGH_EVERY_IDENTITY)
    ? 'every-identity'
    : patched(PATCHES_THROUGH_LOCAL_TOOLS)
      ? 'local-tools'
      : 'none';
  if (through === 'every-identity') return true;
  if (id === CHECKS_OVER_EVERY_IDENTITY) return false;
  return through === 'local-tools' || patched(id);
}
