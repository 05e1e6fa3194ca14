/**
 * Quality gates of the legal intake: pure rules over an agent's output and the checks' evidence. A gate
 * that does not pass sends the item to a person with every reason it found and what each rests on.
 * Used by workflow code, so no I/O and no clock here: "today" is passed in (workflow time).
 */
import type { Assessment, Classification, Draft, ToolName } from '../../agents';
import {
  daysBetween,
  type ComputedConfidence,
  type GateReason,
  type GateResult,
  type ReviewRecord,
} from '../../domain';
import type { LegalIntakeChecks, LimitationCheckRun } from './status';

/** What a gate does when a mandatory check lacked input. */
export type WhenCheckIncomplete = 'escalate' | 'proceed';

export interface AssessmentGateSettings {
  threshold: number;
  limitationWarningDays: number;
  whenCheckIncomplete: { conflicts: WhenCheckIncomplete; limitation: WhenCheckIncomplete };
}

function result(reasons: GateReason[]): GateResult {
  return { passed: reasons.length === 0, reasons };
}

/**
 * The threshold against the computed confidence when there is one (with its parts as evidence, so a
 * reviewer sees why), else against the model's own (runs from before `computed-confidence`).
 */
function confidenceReason(
  agent: string,
  stated: number,
  threshold: number,
  computed?: ComputedConfidence,
): GateReason[] {
  const confidence = computed?.value ?? stated;
  if (confidence >= threshold) return [];
  const because = computed ? ` (${doubts(computed)})` : '';
  return [
    {
      code: 'low_confidence',
      message: `${agent} confidence ${confidence.toFixed(2)} is below the threshold ${threshold.toFixed(2)}${because}`,
      evidence: computed ? { confidence, threshold, computed } : { confidence, threshold },
    },
  ];
}

/** What pulled a computed confidence down, in a few words: the parts below 1. */
function doubts({ parts }: ComputedConfidence): string {
  const said = [`model ${parts.model.toFixed(2)}`];
  if (parts.logprob !== null) said.push(`logprobs ${parts.logprob.toFixed(2)}`);
  for (const [name, check] of Object.entries(parts.checks)) {
    if (check.factor < 1) said.push(`${name}: ${check.detail}`);
  }
  return said.join('; ');
}

export function classificationGate(
  output: Classification,
  threshold: number,
  computed?: ComputedConfidence,
): GateResult {
  return result(confidenceReason('classifier', output.confidence, threshold, computed));
}

/**
 * Policy first: any conflict hit from any check, a deadline inside the warning window as of `today`, a
 * mandatory check that lacked input, or a conclusion the checks contradict goes to a person, however
 * sure the model is and whatever the intake's text told it.
 */
export function assessmentGate(
  output: Assessment,
  checks: LegalIntakeChecks,
  settings: AssessmentGateSettings,
  context: {
    today: string;
    toolsCalled: readonly ToolName[];
    requiredTools: readonly ToolName[];
    computed?: ComputedConfidence;
  },
): GateResult {
  const reasons = confidenceReason('reasoner', output.confidence, settings.threshold, context.computed);
  reasons.push(...conflictReasons(output, checks));
  reasons.push(...limitationReasons(output, checks, settings.limitationWarningDays, context.today));
  for (const check of ['conflicts', 'limitation'] as const) {
    if (settings.whenCheckIncomplete[check] === 'escalate') reasons.push(...incompleteReasons(check, checks));
  }
  for (const tool of context.requiredTools) {
    if (!context.toolsCalled.includes(tool)) {
      reasons.push({
        code: 'required_tool_missing',
        message: `the reasoner did not call ${tool}; its conclusion does not rest on that check`,
        evidence: { tool },
      });
    }
  }
  return result(reasons);
}

function conflictReasons(output: Assessment, checks: LegalIntakeChecks): GateReason[] {
  const hits = uniqueHits(checks);
  const reasons: GateReason[] = [];
  if (hits.length > 0) {
    const names = [...new Set(hits.map((h) => h.matchedName))].join(', ');
    reasons.push({
      code: 'potential_conflict',
      message: `possible conflict of interest with ${names}`,
      evidence: { hits },
    });
    if (output.conflictStatus === 'clear') {
      reasons.push({
        code: 'assessment_contradicts_checks',
        message: `the reasoner says there is no conflict, but the checks found ${hits.length} hit${hits.length === 1 ? '' : 's'}`,
        evidence: { conflictStatus: output.conflictStatus, hits: hits.length },
      });
    }
  } else if (output.conflictStatus !== 'clear') {
    reasons.push({
      code: 'potential_conflict',
      message: `the reasoner reports ${output.conflictStatus} although no check found a hit`,
      evidence: { conflictStatus: output.conflictStatus },
    });
  }
  return reasons;
}

/** Every hit of every conflict check, once each. */
function uniqueHits(checks: LegalIntakeChecks) {
  const seen = new Set<string>();
  return checks.conflicts
    .flatMap((run) => run.result?.hits ?? [])
    .filter((hit) => {
      const key = `${hit.relation}|${hit.matchedName}|${hit.matterId ?? ''}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function limitationReasons(
  output: Assessment,
  checks: LegalIntakeChecks,
  warningDays: number,
  today: string,
): GateReason[] {
  const known = checks.limitation.filter((run) => run.result?.deadline);
  if (known.length === 0) return [];
  const earliest = known.reduce((a, b) => (b.result!.deadline! < a.result!.deadline! ? b : a));
  const reasons = deadlineReasons(earliest, warningDays, today);
  const mandatory = lastWorkflowRun(checks.limitation);
  const deadline = mandatory?.result?.deadline;
  if (deadline && output.limitationDeadline !== deadline) {
    reasons.push({
      code: 'output_check_failed',
      message: `the assessment's deadline ${output.limitationDeadline ?? 'none'} differs from the limitation check's ${deadline}`,
      evidence: { assessed: output.limitationDeadline, checked: deadline },
    });
  }
  return reasons;
}

/** A deadline within the warning window (or past), counted from `today`, not from when the check ran. */
export function deadlineReasons(run: LimitationCheckRun, warningDays: number, today: string): GateReason[] {
  const deadline = run.result?.deadline;
  if (!deadline) return [];
  const daysRemaining = daysBetween(today, deadline);
  if (daysRemaining > warningDays) return [];
  return [
    {
      code: 'limitation_imminent',
      message:
        daysRemaining < 0
          ? `the limitation period ended on ${deadline}`
          : `the limitation period ends on ${deadline}, in ${daysRemaining} days`,
      evidence: { deadline, daysRemaining, asOf: today, basis: run.result?.basis ?? null },
    },
  ];
}

/** What any of the workflow's own runs of a check lacked: one clear run does not excuse another's gap. */
function incompleteReasons(check: 'conflicts' | 'limitation', checks: LegalIntakeChecks): GateReason[] {
  const runs: ReadonlyArray<{ source: string; missing: string[] }> = checks[check];
  const missing = [...new Set(runs.filter((r) => r.source === 'workflow').flatMap((r) => r.missing))];
  if (missing.length === 0) return [];
  const what = check === 'conflicts' ? 'conflict check' : 'limitation check';
  return [
    {
      code: 'check_incomplete',
      message: `the ${what} could not run in full: no ${missing.join(', no ')}`,
      evidence: { check, missing },
    },
  ];
}

function lastWorkflowRun<Run extends { source: string }>(runs: readonly Run[]): Run | undefined {
  return runs.filter((run) => run.source === 'workflow').at(-1);
}

/**
 * Before filing, after the item waited for a person: the limitation check ran again as of `today`. Its
 * deadline escalates unless a reviewer already decided with that deadline in view (and it has not
 * passed since they saw it).
 */
export function filingGate(
  recheck: LimitationCheckRun,
  warningDays: number,
  today: string,
  history: readonly ReviewRecord[],
): GateResult {
  const reasons = deadlineReasons(recheck, warningDays, today);
  if (reasons.length === 0) return result([]);
  const { deadline, daysRemaining } = reasons[0].evidence as { deadline: string; daysRemaining: number };
  const seen = history.some((record) =>
    record.reasons.some((reason) => {
      const evidence = reason.evidence as { deadline?: string; daysRemaining?: number } | undefined;
      if (reason.code !== 'limitation_imminent' || evidence?.deadline !== deadline) return false;
      return daysRemaining >= 0 || (evidence.daysRemaining ?? 0) < 0;
    }),
  );
  return result(seen ? [] : reasons);
}

/** Phrases a client acknowledgement must never contain: outcome promises and acceptance of the matter. */
const FORBIDDEN_IN_ACKNOWLEDGEMENT = [
  /\bguarantee/i,
  /\b(you|we) will win\b/i,
  /\bcertain(ly)? (to )?win\b/i,
  /\bwe (have )?(agreed|accepted|agree) to (represent|act for) you\b/i,
];

export function draftGate(output: Draft, threshold: number, computed?: ComputedConfidence): GateResult {
  const reasons = confidenceReason('drafter', output.confidence, threshold, computed);
  const text = `${output.clientAcknowledgement.subject}\n${output.clientAcknowledgement.body}`;
  if (FORBIDDEN_IN_ACKNOWLEDGEMENT.some((pattern) => pattern.test(text))) {
    reasons.push({
      code: 'output_check_failed',
      message: 'the client acknowledgement promises an outcome or says the firm has agreed to act',
    });
  }
  return result(reasons);
}
