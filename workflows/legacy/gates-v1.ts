/** FROZEN: the v1 gates, for histories without the `review-gate-v2` patch (see legal-intake-v1.ts). */
/**
 * Quality gates: pure rules over an agent's output and the tool evidence. A gate that does not pass
 * sends the item to a person, with every reason it found. Used by workflow code, so no I/O here.
 */
import type {
  Assessment,
  CheckConflictsResult,
  Classification,
  Draft,
  LimitationPeriodResult,
} from '../../agents';
import type { GateReason } from '../../domain';

export interface GateResult {
  passed: boolean;
  reasons: GateReason[];
}

function result(reasons: GateReason[]): GateResult {
  return { passed: reasons.length === 0, reasons };
}

function confidenceReason(agent: string, confidence: number, threshold: number): GateReason[] {
  return confidence < threshold
    ? [
        {
          code: 'low_confidence',
          message: `${agent} confidence ${confidence.toFixed(2)} is below the threshold ${threshold.toFixed(2)}`,
        },
      ]
    : [];
}

export function classificationGate(output: Classification, threshold: number): GateResult {
  return result(confidenceReason('classifier', output.confidence, threshold));
}

export interface AssessmentEvidence {
  checkConflicts: CheckConflictsResult | null;
  limitationPeriod: LimitationPeriodResult | null;
}

/** Policy first: a conflict or a near deadline goes to a person however sure the model is. */
export function assessmentGate(
  output: Assessment,
  evidence: AssessmentEvidence,
  settings: { threshold: number; limitationWarningDays: number },
): GateResult {
  const reasons = confidenceReason('reasoner', output.confidence, settings.threshold);
  const conflicts = evidence.checkConflicts;
  if (!conflicts) {
    reasons.push({ code: 'required_tool_missing', message: 'the conflict check was not run' });
  } else if (conflicts.status !== 'clear' || output.conflictStatus !== 'clear') {
    const parties = conflicts.hits.map((h) => h.matchedName).join(', ');
    reasons.push({
      code: 'potential_conflict',
      message: `possible conflict of interest${parties ? ` with ${parties}` : ''} (model says ${output.conflictStatus})`,
    });
  }
  const limitation = evidence.limitationPeriod;
  if (!limitation) {
    reasons.push({ code: 'required_tool_missing', message: 'the limitation period was not checked' });
  } else if (limitation.known && limitation.daysRemaining !== null) {
    if (limitation.daysRemaining <= settings.limitationWarningDays) {
      reasons.push({
        code: 'limitation_imminent',
        message:
          limitation.daysRemaining < 0
            ? `the limitation period ended on ${limitation.deadline}`
            : `the limitation period ends on ${limitation.deadline}, in ${limitation.daysRemaining} days`,
      });
    }
    if (output.limitationDeadline !== limitation.deadline) {
      reasons.push({
        code: 'output_check_failed',
        message: `the assessment's deadline ${output.limitationDeadline ?? 'none'} differs from the tool's ${limitation.deadline}`,
      });
    }
  }
  return result(reasons);
}

/** Phrases a client acknowledgement must never contain: outcome promises and acceptance of the matter. */
const FORBIDDEN_IN_ACKNOWLEDGEMENT = [
  /\bguarantee/i,
  /\b(you|we) will win\b/i,
  /\bcertain(ly)? (to )?win\b/i,
  /\bwe (have )?(agreed|accepted|agree) to (represent|act for) you\b/i,
];

export function draftGate(output: Draft, threshold: number): GateResult {
  const reasons = confidenceReason('drafter', output.confidence, threshold);
  const text = `${output.clientAcknowledgement.subject}\n${output.clientAcknowledgement.body}`;
  if (FORBIDDEN_IN_ACKNOWLEDGEMENT.some((pattern) => pattern.test(text))) {
    reasons.push({
      code: 'output_check_failed',
      message: 'the client acknowledgement promises an outcome or says the firm has agreed to act',
    });
  }
  return result(reasons);
}
