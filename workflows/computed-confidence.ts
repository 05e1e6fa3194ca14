/**
 * The computed confidence of each stage, kept in a run's status (`results.confidence`): the answering
 * turn's chosen-value probabilities as the agent's run returns them, then the value the stage's gate
 * computes from them. Any workflow type with computed confidences keeps them through this.
 */
import type { ComputedConfidence } from '../domain';
import type { AgentRun } from './agent-loop';

export interface ConfidenceKeeper<Stage extends string> {
  /** Keeps the run's chosen-value probabilities for the stage's gate; returns the run unchanged. */
  keep<T>(stage: Stage, run: AgentRun<T>): AgentRun<T>;
  /** Computes the stage's confidence from what `keep` kept, shows it in the status and returns it. */
  record(
    stage: Stage,
    compute: (choices: Record<string, number> | undefined) => ComputedConfidence,
  ): ComputedConfidence;
  /** The stage's computed value, once recorded. */
  value(stage: Stage): number | undefined;
}

/** `shown` is the status's object, one key per stage (null until recorded); it is written in place. */
export function confidenceKeeper<Stage extends string>(
  shown: Record<Stage, ComputedConfidence | null>,
): ConfidenceKeeper<Stage> {
  const choices: Partial<Record<Stage, Record<string, number>>> = {};
  return {
    keep(stage, run) {
      choices[stage] = run.kind === 'output' ? run.choiceProbabilities : undefined;
      return run;
    },
    record(stage, compute) {
      return (shown[stage] = compute(choices[stage]));
    },
    value: (stage) => shown[stage]?.value,
  };
}
