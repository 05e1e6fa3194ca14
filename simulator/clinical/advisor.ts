/**
 * The clinical summary's agents as the simulator plays them: a request whose response format is named
 * `clinical_*`, or that offers a clinical tool, is answered from the clinical reader instead of the legal one.
 * The answer for the agent is worked out whole, then handed to the filler field by field, so the request's
 * schema still decides what is written.
 */
import type { Field, FieldAdvisor } from '../answer/fill';
import type { Certainty } from '../answer/logprobs';
import type { ChatRequest } from '../protocol';
import { isRecord } from '../reading/reading';
import { assess } from './assessment';
import type { ClinicalInput } from './input';
import { draft } from './letter';
import { readClinicalDocument, type ClinicalReading } from './reading';
import { CLINICAL_TOOLS, toolArguments } from './tool-arguments';

/** What is being answered: one tool's arguments, or the response format of that name. */
export type ClinicalTarget = { tool: string } | { output: string };

export interface ClinicalAnswer {
  value: Record<string, unknown>;
  /** How sure the simulator is of each enum value it chose (the logprobs carry it). */
  certainty: Certainty;
}

export function isClinicalRequest(request: ChatRequest): boolean {
  const format = request.response_format;
  if (format?.type === 'json_schema' && format.json_schema.name.startsWith('clinical_')) return true;
  return (request.tools ?? []).some((tool) => CLINICAL_TOOLS.has(tool.function.name));
}

/**
 * The answer for a clinical agent's tool call or output; null for a tool or an output the clinical agents
 * do not have (another `clinical_*` schema), which the generic advisor then fills.
 */
export function answerClinically(input: ClinicalInput, target: ClinicalTarget): ClinicalAnswer | null {
  if ('tool' in target) {
    const value = toolArguments(target.tool, input);
    return value ? { value, certainty: () => 0.9 } : null;
  }
  switch (target.output) {
    case 'clinical_extraction': {
      const reading = readClinicalDocument(input.kind, input.body);
      return { value: extraction(reading), certainty: extractionCertainty(reading) };
    }
    case 'clinical_assessment': {
      const assessment = assess(input);
      return { value: { ...assessment }, certainty: () => assessment.confidence };
    }
    case 'clinical_draft': {
      const letter = draft(input);
      return { value: { ...letter }, certainty: () => letter.confidence };
    }
    default:
      return null;
  }
}

/**
 * Proposes the worked-out answer's value at each field's path. Objects are left to the filler, which then
 * asks for each property, so an advisor wrapping this one (ObedientAdvisor) can still change a single
 * field; a nullable object is proposed whole, or the filler would write null for it.
 */
export class ClinicalAdvisor implements FieldAdvisor {
  constructor(private readonly answer: ClinicalAnswer) {}

  fillsLast(): boolean {
    return false;
  }

  suggest(field: Field): unknown {
    let value: unknown = this.answer.value;
    for (const part of field.path) {
      if (Array.isArray(value)) value = value[Number(part)];
      else if (isRecord(value)) value = value[part];
      else return undefined;
    }
    return isRecord(value) && !field.nullable ? undefined : value;
  }
}

function extraction(reading: ClinicalReading): Record<string, unknown> {
  return {
    ...reading,
    medications: reading.medications.map(({ name, dose, unit, route, frequency, status }) => ({
      name,
      dose,
      unit,
      route,
      frequency,
      status,
    })),
  };
}

/** The document kind as sure as its field confidence; a medication's status less so when none was written. */
function extractionCertainty(reading: ClinicalReading): Certainty {
  return (path) => {
    const [key, index, property] = path;
    if (key === 'documentKind') return reading.fieldConfidence.documentKind;
    if (key === 'medications' && property === 'status') {
      const written = reading.medications[Number(index)]?.statusWritten ?? false;
      return written ? reading.fieldConfidence.medications : 0.6;
    }
    if (key === 'encounterDates') return 0.9;
    return reading.confidence;
  };
}
