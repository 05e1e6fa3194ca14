/**
 * The clinical summary's agents' requests, shaped as Docket's model gateway sends them (instructions,
 * response format, tools), made with the real `openai` client against a running simulator, and the
 * pseudonymized documents they read.
 */
import type OpenAI from 'openai';
import { zodFunction, zodResponseFormat } from 'openai/helpers/zod';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import {
  ClinicalAssessment,
  ClinicalDraft,
  ClinicalExtraction,
  clinicalDrafter,
  clinicalReasoner,
  extractor,
} from '../../workflows/clinical-summary/agents';
import { DRAFTING_MODEL, FAST_MODEL, REASONING_MODEL, toolRound } from './agent-requests';

export interface ClinicalDocumentInput {
  kind: string;
  receivedAt: string | null;
  body: string;
}

/** A list-style discharge summary: labels, one medication per line, a decimal dose written without a space. */
export const DISCHARGE: ClinicalDocumentInput = {
  kind: 'discharge_summary',
  receivedAt: '2026-02-15T09:30:00Z',
  body: [
    'DISCHARGE SUMMARY',
    'Referring clinician: [PERSON_2]   Phone: [PHONE_1]',
    'Patient: [PERSON_1]   MRN: [ID_1]   DOB: [DOB_1]',
    'Admitted: 2026-02-10  Discharged: 2026-02-14',
    'Diagnoses: Community-acquired pneumonia (J18.9); atrial fibrillation.',
    'Allergies: penicillin (hives).',
    'Discharge medications:',
    '- Azithromycin 500 mg PO daily x 3 days (new)',
    '- Warfarin 5 mg PO daily (continued)',
    '- Metoprolol 50 mg PO twice daily (continued)',
    '- Digoxin 0.125mg PO daily (continued)',
    '- Ibuprofen 400 mg PO as needed (stopped)',
    'Labs: Potassium 3.9 mmol/L, INR 2.4.',
    'Pending: blood cultures.',
    'Follow-up: primary care within 7 days, by 2026-02-21. Cardiology in 4 weeks.',
    'Red flags: return if shortness of breath worsens.',
  ].join('\n'),
};

/** What a careful reader extracts from DISCHARGE (the digoxin dose is 0.125 mg). */
export const DISCHARGE_TRUTH = [
  { name: 'azithromycin', dose: 500, status: 'new' },
  { name: 'warfarin', dose: 5, status: 'continued' },
  { name: 'metoprolol', dose: 50, status: 'continued' },
  { name: 'digoxin', dose: 0.125, status: 'continued' },
  { name: 'ibuprofen', dose: 400, status: 'stopped' },
];

/** A visit note written as prose: a long sentence with a list, a status verb far from its drug. */
export const VISIT_NOTE: ClinicalDocumentInput = {
  kind: 'visit_note',
  receivedAt: null,
  body: [
    'CLINIC VISIT NOTE',
    'Patient: [PERSON_3]  MRN: [ID_2]  DOB: [DOB_1]',
    'Seen: March 4, 2026',
    'Assessment: Hypertension; type 2 diabetes (E11.9).',
    'She is allergic to sulfa drugs (rash).',
    'Her home medicines, lisinopril 10 mg daily and metformin 500 mg twice daily, were reviewed and left ' +
      'unchanged, and she was also started on aspirin 81 mg daily for prevention. She will continue ' +
      'atorvastatin 40 mg at bedtime and start amlodipine 5 mg daily. Discontinue her usual over-the-counter ' +
      'ibuprofen. Gabapentin 300 mg three times daily was added for neuropathic pain.',
    'Follow up with primary care on 04/15/2026. Return to the ED if chest pain occurs.',
  ].join('\n'),
};

export const VISIT_NOTE_TRUTH = [
  { name: 'lisinopril', status: 'continued' },
  { name: 'metformin', status: 'continued' },
  { name: 'aspirin', status: 'new' },
  { name: 'atorvastatin', status: 'continued' },
  { name: 'amlodipine', status: 'new' },
  { name: 'ibuprofen', status: 'stopped' },
  { name: 'gabapentin', status: 'new' },
];

/** The same kind of discharge summary, written in Spanish. */
export const SPANISH_DISCHARGE: ClinicalDocumentInput = {
  kind: 'discharge_summary',
  receivedAt: null,
  body: [
    'RESUMEN DE ALTA',
    'Paciente: [PERSON_1]  Historia clínica: [ID_1]',
    'Fecha de ingreso: 2026-02-10. Fecha de alta: 2026-02-14.',
    'Diagnóstico: neumonía adquirida en la comunidad.',
    'Alergias: penicilina (urticaria).',
    'Medicamentos al alta:',
    '- Amoxicilina 500 mg vía oral cada 8 horas durante 7 días',
    '- Warfarina 5 mg vía oral cada día',
    'Control con su médico de cabecera en 7 días. El paciente debe volver si tiene fiebre o dificultad para respirar.',
  ].join('\n'),
};

export const CLINICAL_TOOLS = clinicalReasoner.tools.map((tool) =>
  zodFunction({ name: tool.name, description: tool.description, parameters: tool.args }),
);

export async function extract(
  client: OpenAI,
  document: ClinicalDocumentInput,
  options: { logprobs?: boolean } = {},
) {
  return client.chat.completions.parse({
    model: FAST_MODEL,
    temperature: 0,
    messages: [
      { role: 'system', content: extractor.instructions },
      { role: 'user', content: JSON.stringify(document) },
    ],
    response_format: zodResponseFormat(ClinicalExtraction, extractor.outputName),
    ...(options.logprobs ? { logprobs: true, top_logprobs: 2 } : {}),
  });
}

export async function extraction(
  client: OpenAI,
  document: ClinicalDocumentInput,
): Promise<ClinicalExtraction> {
  return ClinicalExtraction.parse((await extract(client, document)).choices[0].message.parsed);
}

export function reasonerRequest(userMessage: string, later: ChatCompletionMessageParam[] = []) {
  return {
    model: REASONING_MODEL,
    reasoning_effort: 'medium' as const,
    messages: [
      { role: 'developer' as const, content: clinicalReasoner.instructions },
      { role: 'user' as const, content: userMessage },
      ...later,
    ],
    response_format: zodResponseFormat(ClinicalAssessment, clinicalReasoner.outputName),
    tools: CLINICAL_TOOLS,
  };
}

/** The reasoner's two turns: its tool calls, then (given `toolResults` by tool name) its assessment. */
export async function assessDocument(
  client: OpenAI,
  input: { extraction: ClinicalExtraction; checks: unknown; body: string },
  toolResults: Record<string, unknown> = {},
) {
  const userMessage = JSON.stringify(input);
  const first = await client.chat.completions.parse(reasonerRequest(userMessage));
  const calls = first.choices[0].message.tool_calls ?? [];
  const answer = await client.chat.completions.parse(
    reasonerRequest(userMessage, toolRound(calls, toolResults)),
  );
  return { calls, assessment: ClinicalAssessment.parse(answer.choices[0].message.parsed) };
}

export async function draftLetter(
  client: OpenAI,
  input: { extraction: ClinicalExtraction; assessment: ClinicalAssessment; body: string },
): Promise<ClinicalDraft> {
  const completion = await client.chat.completions.parse({
    model: DRAFTING_MODEL,
    temperature: 0.2,
    messages: [
      { role: 'system', content: clinicalDrafter.instructions },
      { role: 'user', content: JSON.stringify(input) },
    ],
    response_format: zodResponseFormat(ClinicalDraft, clinicalDrafter.outputName),
  });
  return ClinicalDraft.parse(completion.choices[0].message.parsed);
}

/** Checks as the workflow builds them: the patient found by MRN, no flags, nothing critical or overdue. */
export function quietChecks(extracted: ClinicalExtraction) {
  return {
    patient: {
      found: true,
      patientId: 'P-1001',
      by: 'mrn',
      activeMedications: [{ name: 'warfarin', dose: 5, unit: 'mg' }],
      allergies: [{ substance: 'penicillin', drugClass: 'penicillins' }],
    },
    medications: {
      rows: extracted.medications.map((m) => ({
        name: m.name,
        known: true,
        drugClass: null,
        document: { dose: m.dose, unit: m.unit, status: m.status },
        record: null,
        flags: [] as Array<{ code: string; detail: string }>,
      })),
      unverified: [] as string[],
    },
    labs: { results: [{ test: 'potassium', value: 3.9, unit: 'mmol/L', critical: false }] },
    followUps: {
      asOf: '2026-02-15',
      items: [{ what: 'primary care', dueDate: '2026-02-21', overdue: false }],
    },
  };
}
