/**
 * The stage runner: an agent's run, its output checked against the agent's schema, the stage's gate,
 * and a review when the gate does not pass. Any workflow type chains its agents through it.
 */
import type { AgentDefinition, Scored } from '../agents';
import type { GateReason, GateResult, RungCall } from '../domain';
import type { AgentCall, AgentRun } from './agent-loop';
import { batchesStage, type BatchLaneSettings } from './batch-lane';
import { firstRung, nextRung, type StageCascade } from './cascade';
import type { ReviewGate } from './review/gate';

export interface StageSpec<T extends Scored> {
  stage: string;
  agent: AgentDefinition<T>;
  /** The agent's run, its calls made as the stage runner says (the cascade's rung, the batch lane). */
  run(how: AgentCall): Promise<AgentRun<T>>;
  /** The agent's cascade: a run whose answer a climb rule judges is followed by a run on a higher rung. */
  cascade?: StageCascade;
  /** The stage's gate over a schema-valid output. */
  check(output: T): GateResult;
  /** Shows the output under review (and the reviewer's revision) in the status. */
  show(output: T | null): void;
  /** Records the gate result in the status. */
  recordGate(result: GateResult): void;
  /** The item's urgency, which may shorten the review's due time (given the output under review). */
  urgency?: (output: T | null) => string | null;
  /** The confidence a review shows, when the stage computes one (default: the model's own). */
  confidence?: (output: T) => number;
}

/**
 * Runs a stage; resolves with the output to continue with, or null when a reviewer rejected it. With the run's
 * batch lane, the stage's calls go through it when its review may wait long enough (the urgency known so far).
 */
export async function runStage<T extends Scored>(
  gate: ReviewGate,
  spec: StageSpec<T>,
  lane?: BatchLaneSettings,
): Promise<T | null> {
  const batch =
    lane && batchesStage(lane, gate.shortestDueMs(spec.stage, spec.urgency?.(null) ?? null))
      ? lane
      : undefined;
  const how = (rung: RungCall | undefined): AgentCall => ({ ...(rung && { rung }), ...(batch && { batch }) });
  let rung = spec.cascade && firstRung(spec.cascade);
  let { output, checked } = await runAndCheck(spec, how(rung));
  // A climb is a new run of the agent on the higher rung: its calls are new activities, its answer judged anew.
  const climb = () =>
    spec.cascade && rung
      ? nextRung(spec.cascade, rung, {
          output: output as Record<string, unknown> | null,
          reasonCodes: checked.reasons.map((reason) => reason.code),
          urgency: spec.urgency?.(output) ?? null,
        })
      : null;
  for (let next = climb(); next; next = climb()) {
    rung = next;
    ({ output, checked } = await runAndCheck(spec, how(rung)));
  }
  spec.show(output);
  spec.recordGate(checked);
  if (checked.passed) return output;
  const decided = await gate.request({
    stage: spec.stage,
    reasons: checked.reasons,
    confidence: output ? (spec.confidence?.(output) ?? output.confidence) : null,
    output,
    schema: spec.agent.outputSchema,
    urgency: spec.urgency?.(output) ?? null,
    ...(rung && {
      rung: {
        agent: spec.agent.name,
        index: rung.index,
        of: rung.of,
        ...(rung.climbedFor ? { climbedFor: rung.climbedFor } : {}),
      },
    }),
  });
  if (decided.output) spec.show(decided.output);
  return decided.output;
}

/** The agent's run (made as `how` says), and its output judged: the schema, the stage's gate, identifiers in clear. */
async function runAndCheck<T extends Scored>(
  spec: StageSpec<T>,
  how: AgentCall,
): Promise<{ output: T | null; checked: GateResult }> {
  const outcome = await spec.run(how);
  let output: T | null = null;
  let checked: GateResult;
  if (outcome.kind === 'output') {
    const parsed = spec.agent.outputSchema.safeParse(outcome.output);
    if (parsed.success) {
      output = parsed.data;
      checked = spec.check(output);
    } else {
      checked = failed('schema_invalid', `the ${spec.agent.name} output does not match its schema`);
    }
  } else if (outcome.kind === 'refusal') {
    checked = failed('refusal', `the ${spec.agent.name} declined to answer`);
  } else if (outcome.kind === 'unavailable') {
    checked = failed(
      'provider_unavailable',
      `the model provider kept failing for the ${spec.agent.name} until the retry budget ran out: ${outcome.reason}`,
    );
  } else if (outcome.kind === 'incomplete') {
    checked = failed(outcome.code, `the ${spec.agent.name}'s answer could not be used: ${outcome.reason}`);
  } else if (outcome.kind === 'over_budget') {
    checked = failed(
      'budget_exceeded',
      `the ${spec.agent.name}'s next call (about $${outcome.estimateUsd.toFixed(4)}) would take the run past its budget of $${outcome.limitUsd} ($${outcome.spentUsd.toFixed(4)} spent)`,
    );
    checked.reasons[0].evidence = { ...outcome };
  } else {
    checked = failed(
      'tool_rounds_exhausted',
      `the ${spec.agent.name} gave no answer within ${outcome.rounds} rounds`,
    );
  }
  if (outcome.piiLeaks?.length) {
    // The activity already put tokens back in place of the values; a person still sees what happened.
    const leak: GateReason = {
      code: 'pii_leak',
      message: `the ${spec.agent.name} wrote ${outcome.piiLeaks.length} known identifier${outcome.piiLeaks.length === 1 ? '' : 's'} in clear (replaced by their tokens)`,
      evidence: { tokens: outcome.piiLeaks },
    };
    checked = { passed: false, reasons: [...(checked.passed ? [] : checked.reasons), leak] };
  }
  return { output, checked };
}

function failed(code: GateReason['code'], message: string): GateResult {
  return { passed: false, reasons: [{ code, message }] };
}
