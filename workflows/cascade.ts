/**
 * Which rung of an agent's cascade a stage's call is made on. A call starts on the highest rung whose rules
 * already hold before any call (the item's urgency, the document's length, a policy reason the mandatory
 * checks raised), else on the first; after each answer it climbs to the lowest rung above whose rules hold
 * on that answer (its gate's reasons, its output), or stops there. Pure: safe in workflow code.
 */
import type { CascadeRung, ClimbReason, ClimbRules, RungCall } from '../domain';

/** What a stage knows before its agent's first call. */
export interface BeforeCall {
  urgency: string | null;
  /** The document's length in tokens, when the run counted it. */
  documentTokens: number | null;
  /** A mandatory check has raised a policy reason. */
  policy: boolean;
}

/** What a rung's answer gave: the output (null when none was usable) and its gate's reason codes. */
export interface AfterCall {
  output: Readonly<Record<string, unknown>> | null;
  reasonCodes: readonly string[];
  urgency: string | null;
}

/** A stage's cascade: the rungs, and which of its gate's reason codes are policy reasons. */
export interface StageCascade {
  rungs: readonly CascadeRung[];
  policyCodes: readonly string[];
  before(): BeforeCall;
}

/** Gate reasons no climb answers: a higher rung would leak, fail or overspend the same way. */
const NEVER_CLIMB = new Set(['pii_leak', 'provider_unavailable', 'budget_exceeded']);

/** The rung a stage's first call is made on. */
export function firstRung(cascade: StageCascade): RungCall {
  const before = cascade.before();
  for (let index = cascade.rungs.length - 1; index > 0; index--) {
    const reasons = rulesBefore(cascade.rungs[index].when, before);
    if (reasons.length > 0) return rungCall(cascade.rungs, index, reasons);
  }
  return rungCall(cascade.rungs, 0, []);
}

/** The rung the next call climbs to after `current` answered, or null: the answer stands. */
export function nextRung(cascade: StageCascade, current: RungCall, after: AfterCall): RungCall | null {
  for (let index = current.index + 1; index < cascade.rungs.length; index++) {
    const reasons = rulesAfter(cascade.rungs[index].when, after, cascade.policyCodes);
    if (reasons.length > 0) return rungCall(cascade.rungs, index, reasons);
  }
  return null;
}

function rungCall(rungs: readonly CascadeRung[], index: number, reasons: ClimbReason[]): RungCall {
  const { tier, model, reasoningEffort, maxOutputTokens } = rungs[index];
  return {
    tier,
    ...(model !== undefined ? { model } : {}),
    ...(reasoningEffort !== undefined ? { reasoningEffort } : {}),
    ...(maxOutputTokens !== undefined ? { maxOutputTokens } : {}),
    index,
    of: rungs.length,
    ...(reasons.length > 0 ? { climbedFor: reasons } : {}),
  };
}

function rulesBefore(rules: ClimbRules | undefined, before: BeforeCall): ClimbReason[] {
  if (!rules) return [];
  const reasons: ClimbReason[] = [];
  if (rules.policy && before.policy) reasons.push('policy');
  if (rules.urgency && before.urgency !== null && rules.urgency.includes(before.urgency)) {
    reasons.push('urgency');
  }
  if (
    rules.documentTokensOver !== undefined &&
    before.documentTokens !== null &&
    before.documentTokens > rules.documentTokensOver
  ) {
    reasons.push('document_length');
  }
  return reasons;
}

function rulesAfter(
  rules: ClimbRules | undefined,
  after: AfterCall,
  policyCodes: readonly string[],
): ClimbReason[] {
  if (!rules) return [];
  const codes = after.reasonCodes.filter((code) => !NEVER_CLIMB.has(code));
  const reasons: ClimbReason[] = [];
  if (rules.lowConfidence && codes.includes('low_confidence')) reasons.push('low_confidence');
  if (rules.failedCheck && codes.some((c) => c !== 'low_confidence' && !policyCodes.includes(c))) {
    reasons.push('failed_check');
  }
  if (rules.policy && codes.some((c) => policyCodes.includes(c))) reasons.push('policy');
  if (rules.urgency && after.urgency !== null && rules.urgency.includes(after.urgency))
    reasons.push('urgency');
  const output = after.output;
  if (
    rules.output &&
    output &&
    Object.entries(rules.output).some(([field, values]) => values.includes(output[field] as never))
  ) {
    reasons.push('output');
  }
  return reasons;
}
