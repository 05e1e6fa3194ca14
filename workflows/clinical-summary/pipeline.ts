/**
 * The clinical summary's stages, as the engine's pipeline runs them: the critical-lab check on the text, then
 * the extractor; the mandatory checks (patient, medications, follow-ups) run by the workflow itself on the
 * document and the record, then the reasoner; the drafter with the letter's checks; and the filing. Workflow-side: pure data.
 */
import type { GateReason } from '../../domain';
import type { Pipeline, StageContext } from '../pipeline/pipeline';
import {
  clinicalDrafter,
  clinicalReasoner,
  extractor,
  type ClinicalAssessment,
  type ClinicalDraft,
  type ClinicalExtraction,
  type PatientLookup,
} from './agents';
import type { ClinicalSummaryRequest } from './body';
import {
  CLINICAL_REASON_CODES,
  letterFacts,
  letterReasons,
  patientKeys,
  type FollowUpItem,
  type LabResult,
  type LetterFacts,
  type MedicationReconciliation,
} from './checks';

type Context = StageContext<ClinicalSummaryRequest>;

/** The checks' results as the stages read them (`results.checks` in the status). */
export interface ClinicalChecks {
  patient: PatientLookup;
  medications: MedicationReconciliation;
  labs: { results: LabResult[] };
  followUps: { asOf: string; items: FollowUpItem[] };
  letter?: LetterFacts;
}

const extraction = ({ outputs }: Context) => outputs.extractor as ClinicalExtraction;
const checksOf = ({ checks }: Context) => checks as unknown as ClinicalChecks;

/** The day follow-ups are counted against: the day the document was received, else today. */
function asOf({ input, today }: Context): string {
  return input.document.receivedAt?.slice(0, 10) ?? today;
}

/** Critical lab values: read from the text alone, so a clinician hears of them at the first stop. */
export function labReasons(labs: ClinicalChecks['labs']): GateReason[] {
  return labs.results
    .filter((r) => r.critical)
    .map((lab) => ({
      code: 'critical_result',
      message: `${lab.test} ${lab.value} ${lab.unit} is in the critical range (${lab.range})`,
      evidence: { test: lab.test, value: lab.value },
    }));
}

/**
 * Every reason the checks against the record give (patient, medications, follow-ups): the clinician sees
 * them whatever the models' confidence.
 */
export function recordReasons(checks: Omit<ClinicalChecks, 'labs' | 'letter'>): GateReason[] {
  const reasons: GateReason[] = [];
  if (!checks.patient.found) {
    reasons.push({
      code: 'check_incomplete',
      message:
        'the patient was not found in the EHR: the medications could not be reconciled with the record',
      evidence: { check: 'patient' },
    });
  }
  for (const name of checks.medications.unverified) {
    reasons.push({
      code: 'check_incomplete',
      message: `${name} is not in the formulary: unverified, never assumed safe`,
      evidence: { check: 'medications', medication: name, status: 'unverified' },
    });
  }
  for (const row of checks.medications.rows) {
    for (const flag of row.flags) {
      reasons.push({
        code: flag.code,
        message: `${row.name}: ${flag.detail}`,
        evidence: { medication: row.name },
      });
    }
  }
  for (const item of checks.followUps.items.filter((i) => i.overdue)) {
    reasons.push({
      code: 'follow_up_overdue',
      message: `a follow-up due ${item.dueDate} is overdue as of ${checks.followUps.asOf}`,
      evidence: { dueDate: item.dueDate, asOf: checks.followUps.asOf },
    });
  }
  return reasons;
}

export const clinicalPipeline: Pipeline<ClinicalSummaryRequest> = {
  reasonCodes: CLINICAL_REASON_CODES,
  stages: [
    {
      stage: 'extractor',
      agent: extractor,
      // The text alone says whether a value is critical: no model, no record needed, so it is known first.
      checksBefore: [
        { check: 'labs', activity: 'criticalResults', input: ({ input }) => ({ text: input.document.text }) },
      ],
      message: ({ input }) =>
        JSON.stringify({
          kind: input.document.kind,
          receivedAt: input.document.receivedAt ?? null,
          body: input.document.text,
        }),
      check: (_output: ClinicalExtraction, context) => labReasons(checksOf(context).labs),
    },
    {
      stage: 'reasoner',
      agent: clinicalReasoner,
      // Arguments from the document, the extraction as its gate left it, and the record; never a model's pick.
      checksBefore: [
        { check: 'patient', activity: 'lookupPatient', input: ({ input }) => patientKeys(input) },
        {
          check: 'medications',
          activity: 'reconcileMedications',
          input: (context) => ({
            keys: patientKeys(context.input),
            text: context.input.document.text,
            extraction: {
              medications: extraction(context).medications,
              allergies: extraction(context).allergies,
            },
          }),
        },
        {
          check: 'followUps',
          activity: 'overdueFollowUps',
          input: (context) => ({
            text: context.input.document.text,
            extracted: extraction(context).followUps,
            asOf: asOf(context),
          }),
        },
      ],
      message: (context) =>
        JSON.stringify({
          extraction: extraction(context),
          checks: context.checks,
          body: context.input.document.text,
        }),
      check: (_output: ClinicalAssessment, context) => recordReasons(checksOf(context)),
    },
    {
      stage: 'drafter',
      agent: clinicalDrafter,
      message: (context) =>
        JSON.stringify({
          extraction: extraction(context),
          assessment: context.outputs.reasoner,
          body: context.input.document.text,
        }),
      measure: (draft: ClinicalDraft, context) => {
        const allowed = [
          ...extraction(context).medications.map((m) => m.name),
          ...checksOf(context).patient.activeMedications.map((m) => m.name),
        ];
        return { letter: letterFacts(draft.patientLetter, allowed) };
      },
      check: (_draft: ClinicalDraft, context) => letterReasons(checksOf(context).letter!),
    },
  ],
  complete: {
    activity: 'fileClinicalSummary',
    input: (context) => ({
      externalId: context.input.externalId,
      kind: context.input.document.kind,
      receivedAt: context.input.document.receivedAt ?? null,
      patientId: checksOf(context).patient.patientId,
      extraction: extraction(context),
      assessment: context.outputs.reasoner as ClinicalAssessment,
      draft: context.outputs.drafter as ClinicalDraft,
    }),
  },
};
