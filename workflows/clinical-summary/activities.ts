/**
 * The clinical summary's activities, over the demo EHR (db/migrations/006_demo_ehr.sql): the patient lookup,
 * the medication reconciliation and the other mandatory checks, the reasoner's formulary and policy tools,
 * and the filing as FHIR R4. Node-side: the definition registers them with the worker; the workflow sees
 * them by name only. Arguments arrive as tokens and are re-identified here, and only here; what goes back
 * names the patient by record id, never by name.
 */
import { createHash } from 'node:crypto';
import { ApplicationFailure, Context } from '@temporalio/activity';
import type { Bundle, Composition, DocumentReference } from 'fhir/r4';
import { normalizeName, type Queryable } from '../../db';
import type { PersonalDataStore } from '../../personal-data';
import { reidentify, tokenPattern } from '../../pseudonymize';
import type {
  ClinicalAssessment,
  ClinicalDraft,
  ClinicalExtraction,
  LookupPatientArgs,
  MedicationFacts,
  PatientLookup,
} from './agents';
import type { DocumentKind } from './body';
import {
  allergyClasses,
  findDrug,
  interactionBetween,
  labResults,
  reconcileMedications,
  type MedicationReconciliation,
} from './checks';
import { isoDateOf, overdueFollowUps } from './follow-ups';
import { FOLLOW_UP_POLICY, type DrugEntry } from './tables';

export interface ClinicalActivityDeps {
  db: Queryable;
  personal: PersonalDataStore;
}

export interface ReconcileMedicationsInput {
  keys: LookupPatientArgs;
  /** The record as an earlier check already found it; looked up by `keys` when absent. */
  patient?: PatientLookup;
  text: string;
  extraction: Pick<ClinicalExtraction, 'medications' | 'allergies'>;
}

export interface FileClinicalSummaryInput {
  externalId: string;
  kind: DocumentKind;
  receivedAt: string | null;
  patientId: string | null;
  extraction: ClinicalExtraction;
  assessment: ClinicalAssessment;
  draft: ClinicalDraft;
}

export interface FiledClinicalSummary {
  documentReferenceId: string;
  compositionId: string;
  /** False when the workflow had already filed (a retry or a replay): nothing new was written. */
  created: boolean;
}

/** LOINC codes of the filed document's type, by kind. */
const LOINC: Record<DocumentKind, { code: string; display: string }> = {
  discharge_summary: { code: '18842-5', display: 'Discharge summary' },
  referral: { code: '57133-1', display: 'Referral note' },
  lab_report: { code: '11502-2', display: 'Laboratory report' },
  visit_note: { code: '11506-3', display: 'Progress note' },
  other: { code: '34133-9', display: 'Summary of episode note' },
};

export function createClinicalActivities({ db, personal }: ClinicalActivityDeps) {
  /** The patient the tokens name: by MRN first, else by name and date of birth. */
  async function lookupPatient(args: LookupPatientArgs): Promise<PatientLookup> {
    const workflowId = runningWorkflowId();
    const mapping = await personal.loadMapping(workflowId);
    // A token the mapping does not hold (erased, or made up by a model) names nobody.
    const clear = (token: string | null) => {
      const value = token ? reidentify(token, mapping) : null;
      return value && !tokenPattern().test(value) ? value : null;
    };
    const mrn = clear(args.mrn);
    let found: { patient_id: string } | undefined;
    let by: PatientLookup['by'] = null;
    if (mrn) {
      const { rows } = await db.query<{ patient_id: string }>(
        'SELECT patient_id FROM ehr_patients WHERE mrn = $1',
        [mrn.replace(/^MRN[:#\s]*/i, '').trim()],
      );
      found = rows[0];
      by = found ? 'mrn' : null;
    }
    const name = clear(args.name);
    const birthDate = isoDateOf(clear(args.birthDate) ?? '');
    if (!found && name && birthDate) {
      const { rows } = await db.query<{ patient_id: string }>(
        'SELECT patient_id FROM ehr_patients WHERE name_normalized = $1 AND birth_date = $2',
        [normalizeName(name), birthDate],
      );
      found = rows[0];
      by = found ? 'name_and_birth_date' : null;
    }
    if (!found) return { found: false, patientId: null, by: null, activeMedications: [], allergies: [] };
    const [medications, allergies] = await Promise.all([
      db.query<{ name: string; dose: string | null; unit: string | null }>(
        'SELECT name, dose, unit FROM ehr_medications WHERE patient_id = $1 AND active ORDER BY id',
        [found.patient_id],
      ),
      db.query<{ substance: string }>(
        'SELECT substance FROM ehr_allergies WHERE patient_id = $1 ORDER BY id',
        [found.patient_id],
      ),
    ]);
    const classes = allergyClasses(allergies.rows.map((a) => a.substance));
    return {
      found: true,
      patientId: found.patient_id,
      by,
      activeMedications: medications.rows.map((m) => ({
        name: m.name,
        dose: m.dose === null ? null : Number(m.dose),
        unit: m.unit,
      })),
      allergies: allergies.rows.map((a) => ({
        substance: a.substance,
        drugClass: [...classes].find(([, substance]) => substance === a.substance)?.[0] ?? null,
      })),
    };
  }

  return {
    lookupPatient,

    async reconcileMedications({
      keys,
      patient,
      text,
      extraction,
    }: ReconcileMedicationsInput): Promise<MedicationReconciliation> {
      return reconcileMedications({
        text,
        extracted: extraction.medications,
        extractedAllergies: extraction.allergies.map((a) => a.substance),
        patient: patient ?? (await lookupPatient(keys)),
      });
    },

    async criticalResults({ text }: { text: string }) {
      return labResults(text);
    },

    async overdueFollowUps(input: {
      text: string;
      extracted: ClinicalExtraction['followUps'];
      asOf: string;
    }) {
      return overdueFollowUps(input.text, input.extracted, input.asOf);
    },

    async checkMedications({ medications }: { medications: string[] }): Promise<MedicationFacts> {
      const entries = medications.map((name) => ({ name, drug: findDrug(name) }));
      const known = entries.filter((e): e is { name: string; drug: DrugEntry } => e.drug !== undefined);
      const interactions = known.flatMap((a, i) =>
        known.slice(i + 1).flatMap((b) => {
          const found = interactionBetween(a.drug, b.drug);
          return found ? [{ between: [a.drug.name, b.drug.name], risk: found.risk }] : [];
        }),
      );
      return {
        medications: entries.map(({ name, drug }) => ({
          name,
          known: drug !== undefined,
          drugClass: drug?.drugClass ?? null,
          maxDose: drug ? { ...drug.maxDose } : null,
        })),
        interactions,
      };
    },

    async followUpPolicy({ documentKind }: { documentKind: DocumentKind }) {
      return FOLLOW_UP_POLICY[documentKind] ?? FOLLOW_UP_POLICY.other;
    },

    /**
     * Files the run as a FHIR R4 DocumentReference with a Composition of the summary's sections, once per
     * workflow: the ids derive from the workflow id, and a second attempt finds the first filing. The
     * resources keep the pseudonym tokens: the subject reference names the patient, and an erasure leaves
     * nothing in them that leads to anyone.
     */
    async fileClinicalSummary(input: FileClinicalSummaryInput): Promise<FiledClinicalSummary> {
      const workflowId = runningWorkflowId();
      const ids = fhirIdsFor(workflowId);
      const { documentReference, composition } = fhirResources(workflowId, ids, input);
      const inserted = await db.query(
        `INSERT INTO ehr_documents (document_reference_id, workflow_id, patient_id, document_reference, composition)
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
        [ids.documentReferenceId, workflowId, input.patientId, documentReference, composition],
      );
      const { rows } = await db.query<{ document_reference_id: string }>(
        'SELECT document_reference_id FROM ehr_documents WHERE workflow_id = $1',
        [workflowId],
      );
      if (!rows[0]) {
        throw ApplicationFailure.nonRetryable(
          `fileClinicalSummary: document id ${ids.documentReferenceId} is taken`,
          'DocumentIdCollision',
        );
      }
      return {
        documentReferenceId: rows[0].document_reference_id,
        compositionId: ids.compositionId,
        created: inserted.rowCount === 1,
      };
    },
  };
}

function runningWorkflowId(): string {
  const workflowId = Context.current().info.workflowExecution?.workflowId;
  if (!workflowId) throw ApplicationFailure.nonRetryable('not called by a workflow', 'NoWorkflow');
  return workflowId;
}

/** Stable FHIR ids of a workflow's filing: 48 bits of SHA-256, so every attempt names the same resources. */
export function fhirIdsFor(workflowId: string): { documentReferenceId: string; compositionId: string } {
  const hash = createHash('sha256').update(workflowId, 'utf8').digest('hex').slice(0, 12);
  return { documentReferenceId: `docref-${hash}`, compositionId: `composition-${hash}` };
}

/** The filing as FHIR R4 resources, typed by the R4 definitions (`@types/fhir`). */
export function fhirResources(
  workflowId: string,
  ids: { documentReferenceId: string; compositionId: string },
  input: FileClinicalSummaryInput,
): { documentReference: DocumentReference; composition: Composition } {
  const type = {
    coding: [
      { system: 'http://loinc.org', code: LOINC[input.kind].code, display: LOINC[input.kind].display },
    ],
  };
  const subject = input.patientId ? { reference: `Patient/${input.patientId}` } : undefined;
  const date = input.receivedAt ?? new Date().toISOString();
  const summary = input.draft.clinicianSummary;
  const section = (title: string, text: string) => ({
    title,
    text: {
      status: 'generated' as const,
      div: `<div xmlns="http://www.w3.org/1999/xhtml">${escapeXml(text)}</div>`,
    },
  });
  const composition: Composition = {
    resourceType: 'Composition',
    id: ids.compositionId,
    status: 'preliminary',
    type,
    ...(subject ? { subject } : {}),
    date,
    author: [{ display: 'Docket clinical summary' }],
    title: `${LOINC[input.kind].display}: summary`,
    identifier: { system: 'urn:docket:workflow', value: workflowId },
    section: [
      section('Problems', summary.problems),
      section('Medications', summary.medications),
      section('Allergies', summary.allergies),
      section('Follow-up', summary.followUp),
      section('Needs attention', summary.attention),
      section('Patient letter', input.draft.patientLetter),
    ],
  };
  const bundle: Bundle = { resourceType: 'Bundle', type: 'document', entry: [{ resource: composition }] };
  const documentReference: DocumentReference = {
    resourceType: 'DocumentReference',
    id: ids.documentReferenceId,
    masterIdentifier: { system: 'urn:docket:workflow', value: workflowId },
    status: 'current',
    docStatus: 'preliminary',
    type,
    ...(subject ? { subject } : {}),
    date,
    description: `Routed to ${input.assessment.routing}, priority ${input.assessment.priority}`,
    content: [
      {
        attachment: {
          contentType: 'application/fhir+json',
          data: Buffer.from(JSON.stringify(bundle), 'utf8').toString('base64'),
          title: composition.title,
        },
      },
    ],
    context: { related: [{ reference: `Composition/${ids.compositionId}` }] },
  };
  return { documentReference, composition };
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}
