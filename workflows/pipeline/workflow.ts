/**
 * The engine's workflow: runs a type's stages (`Pipeline`) in order, each through the stage runner (the
 * agent, its schema, the threshold and the type's checks, a person when they do not pass), then the type's
 * completing activity. Every model and tool call is an activity; the type brings data and activities only.
 */
import { proxyActivities, workflowInfo } from '@temporalio/workflow';
import type { GateReason, GateResult } from '../../domain';
import { PATIENT_BACKOFF, proxiesBothWays } from '../activity-proxies';
import { runAgent } from '../agent-loop';
import { auditTrail } from '../audit-trail';
import { runHarness } from '../run-harness';
import { runStage } from '../stage';
import { today } from '../workflow-time';
import {
  initialPipelineStatus,
  type Pipeline,
  type PipelineInput,
  type PipelineStatus,
  type StageContext,
} from './pipeline';

const { pseudonymizeInput, recordAudit } = proxiesBothWays({
  startToCloseTimeout: '1 minute',
  // Reads or writes the database: retried while it is away; a missing (erased) body or a bad record is final.
  retry: {
    ...PATIENT_BACKOFF,
    maximumAttempts: 50,
    nonRetryableErrorTypes: ['IntakeNotFound', 'InvalidAuditRecord'],
  },
}).local;

/**
 * A type's own activities: its mandatory checks (reads), and its completing action, idempotent on the
 * workflow id, so each may retry for as long as it takes.
 */
const typeActivities = proxyActivities<Record<string, (input: unknown) => Promise<unknown>>>({
  startToCloseTimeout: '30 seconds',
  retry: {
    ...PATIENT_BACKOFF,
    maximumAttempts: 20,
  },
});

/** The workflow function of a pipeline type: export it from the bundle under the type's Temporal name. */
export function pipelineWorkflow<Input>(
  pipeline: Pipeline<Input>,
): (input: PipelineInput) => Promise<PipelineStatus> {
  return async function runPipeline({ externalId, settings }: PipelineInput): Promise<PipelineStatus> {
    const { workflowId } = workflowInfo();
    const state = initialPipelineStatus(pipeline as Pipeline<never>, workflowId, externalId);
    const audit = auditTrail(true, recordAudit);
    const { gate, setStage, finish, fail, agentHooks } = runHarness(state, settings, audit);
    const hooks = agentHooks();

    try {
      const { input, documentTokens } = await pseudonymizeInput();
      const outputs: Record<string, unknown> = {};
      const checks = state.results.checks;
      const context = (): StageContext<Input> => ({ input: input as Input, outputs, checks, today: today() });
      for (const spec of pipeline.stages) {
        setStage(spec.stage);
        const before = spec.checksBefore ?? [];
        const found = await Promise.all(
          before.map((check) => typeActivities[check.activity](check.input(context()))),
        );
        before.forEach((check, i) => (checks[check.check] = found[i]));
        const rounds = spec.agent.tools.length > 0 ? settings.maxToolRounds : 1;
        const rungs = settings.cascades?.[spec.agent.name];
        const output = await runStage(
          gate,
          {
            stage: spec.stage,
            agent: spec.agent,
            cascade: rungs && {
              rungs,
              policyCodes: pipeline.policyCodes ?? [],
              // A pipeline's policy reasons come from its stages' checks on an answer: known after the first call.
              before: () => ({ urgency: null, policy: false, documentTokens: documentTokens ?? null }),
            },
            run: (how) => runAgent(spec.agent, spec.message(context()), rounds, hooks, how),
            check: (out) => {
              Object.assign(checks, spec.measure?.(out, context()));
              return gateResult(
                out.confidence,
                settings.thresholds[spec.stage] ?? 0,
                spec.check?.(out, context()),
              );
            },
            show: (out) => (state.results.outputs[spec.stage] = out),
            recordGate: (result) => {
              state.results.gates[spec.stage] = result;
              audit.record('gate_result', `gate-${spec.stage}`, { stage: spec.stage, ...result });
            },
          },
          settings.batch,
        );
        if (!output) return await finish('rejected');
        outputs[spec.stage] = output;
      }
      setStage('complete');
      // What the stages decided goes to the trail before the action that rests on it.
      audit.send();
      if (pipeline.complete) {
        state.result = await typeActivities[pipeline.complete.activity](pipeline.complete.input(context()));
      }
      return await finish('completed');
    } catch (err) {
      return await fail(err);
    }
  };
}

/** The threshold and the type's checks as one gate result. */
function gateResult(confidence: number, threshold: number, reasons: GateReason[] = []): GateResult {
  const all: GateReason[] = [...reasons];
  if (confidence < threshold) {
    all.unshift({
      code: 'low_confidence',
      message: `confidence ${confidence.toFixed(2)} is below the threshold ${threshold}`,
      evidence: { confidence, threshold },
    });
  }
  return { passed: all.length === 0, reasons: all };
}
