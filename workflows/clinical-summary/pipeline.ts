/**
 * The clinical summary's stages, as the engine's pipeline runs them: the mandatory checks on the text and the
 * record (critical labs, the patient, the drugs and follow-up dates the text names), run by the workflow itself,
 * then the extractor; the same checks again with the extraction, then the reasoner; the drafter with the letter's checks; and the filing. Workflow-side: pure data.
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
  labs: { results: LabResult[] };
  patient: PatientLookup;
  /** From the text and the record alone, before the extractor. */
  documentMedications: MedicationReconciliation;
  documentFollowUps: { asOf: string; items: FollowUpItem[] };
  /** Again with the extraction, before the reasoner (absent until then). */
  medications: MedicationReconciliation;
  followUps: { asOf: string; items: FollowUpItem[] };
  letter?: LetterFacts;
}

/** What the checks before the extractor raise, from the text and the record alone. */
function firstStopReasons(checks: ClinicalChecks): GateReason[] {
  return recordReasons({
    patient: checks.patient,
    medications: checks.documentMedications,
    followUps: checks.documentFollowUps,
  });
}

const reasonKey = (reason: GateReason) => `${reason.code} ${JSON.stringify(reason.evidence ?? null)}`;

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
export function recordReasons(
  checks: Pick<ClinicalChecks, 'patient' | 'medications' | 'followUps'>,
): GateReason[] {
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
      // What the text and the record say without any model (critical values, the patient, the drugs the text
      // names, follow-up dates it writes), so a clinician hears of it at the first stop, however the
      // extraction goes.
      checksBefore: [
        { check: 'labs', activity: 'criticalResults', input: ({ input }) => ({ text: input.document.text }) },
        { check: 'patient', activity: 'lookupPatient', input: ({ input }) => patientKeys(input) },
        {
          check: 'documentMedications',
          activity: 'reconcileMedications',
          input: ({ input }) => ({
            keys: patientKeys(input),
            text: input.document.text,
            extraction: { medications: [], allergies: [] },
          }),
        },
        {
          check: 'documentFollowUps',
          activity: 'overdueFollowUps',
          input: (context) => ({ text: context.input.document.text, extracted: [], asOf: asOf(context) }),
        },
      ],
      message: ({ input }) =>
        JSON.stringify({
          kind: input.document.kind,
          receivedAt: input.document.receivedAt ?? null,
          body: input.document.text,
        }),
      check: (_output: ClinicalExtraction, context) => {
        const checks = checksOf(context);
        return [...labReasons(checks.labs), ...firstStopReasons(checks)];
      },
    },
    {
      stage: 'reasoner',
      agent: clinicalReasoner,
      // Again with the extraction as its gate left it: a drug or a date only the extraction found is checked
      // too. Arguments from the document, that extraction and the record; never a model's pick.
      checksBefore: [
        {
          check: 'medications',
          activity: 'reconcileMedications',
          input: (context) => ({
            keys: patientKeys(context.input),
            // The record the first stop's lookup found: not read again.
            patient: checksOf(context).patient,
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
      check: (_output: ClinicalAssessment, context) => {
        // Only what the first stop did not already show: a clinician is not asked twice about one flag.
        const checks = checksOf(context);
        const shown = new Set(firstStopReasons(checks).map(reasonKey));
        return recordReasons(checks).filter((reason) => !shown.has(reasonKey(reason)));
      },
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
