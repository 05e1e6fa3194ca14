/**
 * Legal intake as the engine sees it: its names, its REST body, the settings a run starts with, its status
 * and what a reviewer may revise at each stage. Node-side only: the workflow bundle never imports it.
 */
import { AGENTS } from '../../agents';
import { ConfigError, type DocketConfig } from '../../config';
import { IntakeRequest, LEGAL_INTAKE_REST_NAME, Urgency, type WorkflowDefinition } from '../../domain';
import { LEGAL_INTAKE_WORKFLOW_TYPE } from '../messages';
import { agentCascades } from '../cascade-settings';
import { runSettings, type RunConfig } from '../run-settings';
import {
  LegalIntakeReviewStage,
  LegalIntakeStatus,
  REVIEW_STAGE_OUTPUTS,
  initialLegalIntakeStatus,
} from './status';
import { LEGAL_INTAKE_REASON_CODES } from './gates';
import type { LegalIntakeSettings } from './workflow';

/** The parts of config a legal intake's settings are read from. */
export type LegalIntakeConfig = RunConfig & Pick<DocketConfig, 'agents' | 'policy'>;

const STAGES: readonly string[] = LegalIntakeReviewStage.options;
const URGENCIES: readonly string[] = Urgency.options;

/**
 * The settings a legal intake runs with, taken from config when it starts. Throws a ConfigError for a
 * `review.sla` key that names no stage or urgency (a typo would silently fall back to the default).
 */
export function legalIntakeSettings(config: LegalIntakeConfig): LegalIntakeSettings {
  for (const key of Object.keys(config.review.sla)) {
    const [first, second] = key.split('.');
    const known =
      key === 'default' ||
      (second === undefined
        ? STAGES.includes(first) || URGENCIES.includes(first)
        : STAGES.includes(first) && URGENCIES.includes(second));
    if (!known) {
      throw new ConfigError(
        `review.sla.${key}: not default, a stage (${STAGES.join(', ')}), an urgency (${URGENCIES.join(', ')}) or <stage>.<urgency>`,
      );
    }
  }
  const cascades = agentCascades(config.models, Object.values(AGENTS), config.agents, 'agents');
  return {
    thresholds: {
      classifier: config.agents.classifier.confidenceThreshold,
      reasoner: config.agents.reasoner.confidenceThreshold,
      drafter: config.agents.drafter.confidenceThreshold,
    },
    maxToolRounds: config.agents.reasoner.maxToolRounds,
    policy: config.policy,
    ...runSettings(config),
    ...(cascades ? { cascades } : {}),
  };
}

export const legalIntakeDefinition: WorkflowDefinition<
  IntakeRequest,
  LegalIntakeStatus,
  LegalIntakeConfig,
  LegalIntakeSettings
> = {
  workflowType: LEGAL_INTAKE_WORKFLOW_TYPE,
  workflowModule: require.resolve('./workflow'),
  restName: LEGAL_INTAKE_REST_NAME,
  title: 'Legal intake: an intake message classified, checked for conflicts and deadlines, drafted and filed',
  body: IntakeRequest,
  bodyName: 'IntakeRequest',
  settings: legalIntakeSettings,
  status: LegalIntakeStatus,
  initialStatus: initialLegalIntakeStatus,
  reviewStages: REVIEW_STAGE_OUTPUTS,
  reasonCodes: LEGAL_INTAKE_REASON_CODES,
  agents: Object.values(AGENTS),
  // The directory rows the client lookup returned: other clients of the firm are none of an operator's business.
  operatorView: (status) => ({ ...status, results: { ...status.results, clientLookup: null } }),
};
