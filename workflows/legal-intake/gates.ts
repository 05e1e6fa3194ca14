/**
 * Quality gates of the legal intake: pure rules over an agent's output and the checks' evidence. A gate
 * that does not pass sends the item to a person with every reason it found and what each rests on.
 * Used by workflow code, so no I/O and no clock here: "today" is passed in (workflow time).
 */
import type { Assessment, Classification, Draft } from '../../agents';
import {
  daysBetween,
  type ComputedConfidence,
  type EngineReasonCode,
  type GateReasonOf,
  type GateResult,
  type ReviewRecord,
} from '../../domain';
import type { LegalIntakeChecks, LimitationCheckRun } from './status';

/** The reasons legal intake's gates give beside the engine's (its definition's `reasonCodes`). */
export const LEGAL_INTAKE_REASON_CODES = [
  'potential_conflict',
  'limitation_imminent',
  'assessment_contradicts_checks',
] as const;

/** A reason legal intake's gates give: the engine's codes and its own, checked when it compiles. */
type GateReason = GateReasonOf<EngineReasonCode | (typeof LEGAL_INTAKE_REASON_CODES)[number]>;

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
  inputs?: CheckInputs,
): GateResult {
  const reasons = confidenceReason('classifier', output.confidence, threshold, computed);
  if (inputs) reasons.push(...missingInputReasons(output, inputs));
  return result(reasons);
}

/**
 * What the classify gate knows of the mandatory checks' input (runs with `checks-over-every-identity`):
 * the sender's display name, and which checks escalate when they lack input.
 */
export interface CheckInputs {
  sender: string | null;
  whenCheckIncomplete: AssessmentGateSettings['whenCheckIncomplete'];
}

/** The classification fields a reviewer fills in for each input a mandatory check would lack. */
const FIELDS_FOR: Record<string, string[]> = {
  'client identity': ['client.name', 'client.organization'],
  jurisdiction: ['jurisdiction'],
};

/**
 * Asked once, at the classification's review: what the mandatory checks would lack if this classification
 * went on as it is (no client identity anywhere, no jurisdiction), with the fields that supply it. A
 * reviewer who approves anyway is not asked again for the same input after the checks ran.
 */
function missingInputReasons(output: Classification, inputs: CheckInputs): GateReason[] {
  const missing: string[] = [];
  const { conflicts, limitation } = inputs.whenCheckIncomplete;
  if (conflicts === 'escalate' && !output.client.name && !output.client.organization && !inputs.sender) {
    missing.push('client identity');
  }
  if (limitation === 'escalate' && output.jurisdiction === null) missing.push('jurisdiction');
  if (missing.length === 0) return [];
  const fields = missing.flatMap((m) => FIELDS_FOR[m]);
  return [
    {
      code: 'check_incomplete',
      message: `approved as it is, the mandatory checks would run without ${missing.join(' and without ')}: revise ${fields.join(', ')} if the message gives them, or approve to go on without`,
      evidence: { check: 'classification', missing, fields },
    },
  ];
}

/** The inputs a reviewer already decided to go without at the classification's review. */
export function inputsAlreadyAsked(history: readonly ReviewRecord[]): string[] {
  return history
    .filter((record) => record.stage === 'classify')
    .flatMap((record) => record.reasons)
    .filter((reason) => reason.code === 'check_incomplete')
    .flatMap((reason) => (reason.evidence as { missing?: string[] } | undefined)?.missing ?? []);
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
    toolsCalled: readonly string[];
    requiredTools: readonly string[];
    computed?: ComputedConfidence;
    /** Inputs a reviewer already decided to go without (`inputsAlreadyAsked`): not asked for again. */
    alreadyAsked?: readonly string[];
  },
): GateResult {
  const reasons = confidenceReason('reasoner', output.confidence, settings.threshold, context.computed);
  reasons.push(...conflictReasons(output, checks));
  reasons.push(...limitationReasons(output, checks, settings.limitationWarningDays, context.today));
  for (const check of ['conflicts', 'limitation'] as const) {
    if (settings.whenCheckIncomplete[check] === 'escalate') {
      reasons.push(...incompleteReasons(check, checks, context.alreadyAsked ?? []));
    }
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

/** The reasons a cascade's `policy` rule answers: what the mandatory checks raise, whatever the model says. */
export const LEGAL_INTAKE_POLICY_CODES = ['potential_conflict', 'limitation_imminent', 'check_incomplete'];

/**
 * Whether the mandatory checks alone raise a policy reason before the reasoner answers: a conflict hit, a
 * deadline inside the warning window, a check that lacked input (when that escalates). The gate after the
 * answer raises each of them again, with the answer's own.
 */
export function checksRaisePolicy(
  checks: LegalIntakeChecks,
  settings: Omit<AssessmentGateSettings, 'threshold'>,
  today: string,
  alreadyAsked: readonly string[],
): boolean {
  const earliest = earliestDeadline(checks);
  return (
    uniqueHits(checks).length > 0 ||
    (earliest !== undefined && deadlineReasons(earliest, settings.limitationWarningDays, today).length > 0) ||
    (['conflicts', 'limitation'] as const).some(
      (check) =>
        settings.whenCheckIncomplete[check] === 'escalate' &&
        incompleteReasons(check, checks, alreadyAsked).length > 0,
    )
  );
}

/**
 * A hit on a name with a role (the sender, the signature, the model's client or parties) is a conflict; a
 * hit on a name the recognizer found with no role from the model is a possible one, raised on its own with
 * `source: 'recognized'` so the reviewer sees where it came from. Neither passes silently.
 */
function conflictReasons(output: Assessment, checks: LegalIntakeChecks): GateReason[] {
  const all = uniqueHits(checks);
  const hits = all.filter((hit) => hit.source !== 'recognized');
  const recognized = all.filter((hit) => hit.source === 'recognized');
  const reasons: GateReason[] = [];
  if (recognized.length > 0) {
    const names = [...new Set(recognized.map((h) => h.party))].join(', ');
    reasons.push({
      code: 'potential_conflict',
      message: `possible conflict of interest: the intake mentions ${names}, a client or former client of the firm, in no role the classifier gave; decide whether they are on the other side`,
      evidence: { source: 'recognized', hits: recognized },
    });
  }
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
  } else if (output.conflictStatus !== 'clear' && recognized.length === 0) {
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
      const key = `${hit.relation}|${hit.matchedName}|${hit.matterId ?? ''}|${hit.source ?? ''}`;
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
  const earliest = earliestDeadline(checks);
  if (!earliest) return [];
  const reasons = deadlineReasons(earliest, warningDays, today);
  const mandatory = lastWorkflowRun(checks.limitation.filter((run) => !run.candidate));
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

/** The limitation run with the earliest deadline, if any run found one. */
function earliestDeadline(checks: LegalIntakeChecks): LimitationCheckRun | undefined {
  const known = checks.limitation.filter((run) => run.result?.deadline);
  if (known.length === 0) return undefined;
  return known.reduce((a, b) => (b.result!.deadline! < a.result!.deadline! ? b : a));
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
      evidence: {
        deadline,
        daysRemaining,
        asOf: today,
        basis: run.result?.basis ?? null,
        // a run counted from a date the intake writes names that date, where it came from, and the rule
        ...(run.candidate ? { candidate: run.candidate, matterType: run.args?.matterType ?? null } : {}),
      },
    },
  ];
}

/** What any of the workflow's own runs of a check lacked: one clear run does not excuse another's gap. */
function incompleteReasons(
  check: 'conflicts' | 'limitation',
  checks: LegalIntakeChecks,
  alreadyAsked: readonly string[],
): GateReason[] {
  const runs: ReadonlyArray<{ source: string; missing: string[] }> = checks[check];
  const missing = [...new Set(runs.filter((r) => r.source === 'workflow').flatMap((r) => r.missing))].filter(
    (m) => !alreadyAsked.includes(m),
  );
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
  candidates: readonly LimitationCheckRun[] = [],
): GateResult {
  const earliest = [recheck, ...candidates]
    .filter((run) => run.result?.deadline)
    .reduce<LimitationCheckRun>(
      (a, b) => (b.result!.deadline! < (a.result?.deadline ?? '9') ? b : a),
      recheck,
    );
  const reasons = deadlineReasons(earliest, warningDays, today);
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
