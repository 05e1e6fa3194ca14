/**
 * What a clinical agent is given, read from the conversation: the document (`body`, `kind`), and for the
 * later agents the extraction, the checks the workflow ran, the assessment and any tool results. Read
 * leniently: a field that is missing or malformed is simply absent, as a model would skip it.
 */
import { z } from 'zod';
import { findKey, type Reading } from '../reading/reading';

/** A list whose items are kept one by one when they fit, so one odd item does not lose the rest. */
function listOf<T extends z.ZodType>(item: T) {
  return z
    .array(z.unknown())
    .catch([])
    .transform((items) =>
      items.flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data as z.infer<T>] : [];
      }),
    );
}

const text = z.string().nullish().catch(null);

const ExtractionInput = z.looseObject({
  documentKind: z.string().catch('other'),
  problems: listOf(z.looseObject({ text: z.string(), icd10: text })),
  medications: listOf(
    z.looseObject({
      name: z.string(),
      dose: z.number().nullish().catch(null),
      unit: text,
      route: text,
      frequency: text,
      status: z.string().catch('continued'),
    }),
  ),
  allergies: listOf(z.looseObject({ substance: z.string(), reaction: text })),
  pendingResults: listOf(z.string()),
  followUps: listOf(z.looseObject({ what: z.string(), dueDate: text })),
  redFlags: listOf(z.string()),
  confidence: z.number().nullish().catch(null),
});
export type ExtractionInput = z.infer<typeof ExtractionInput>;

export const Flag = z.looseObject({ code: z.string(), detail: text });
export type Flag = z.infer<typeof Flag>;

const ChecksInput = z.looseObject({
  patient: z
    .looseObject({ found: z.boolean().catch(false), by: text })
    .nullish()
    .catch(null),
  medications: z
    .looseObject({
      rows: listOf(z.looseObject({ name: z.string(), flags: listOf(Flag) })),
      unverified: listOf(z.string()),
    })
    .nullish()
    .catch(null),
  labs: z
    .looseObject({
      results: listOf(
        z.looseObject({
          test: z.string(),
          value: z.number().nullish().catch(null),
          unit: text,
          critical: z.boolean().catch(false),
        }),
      ),
    })
    .nullish()
    .catch(null),
  followUps: z
    .looseObject({
      asOf: text,
      items: listOf(z.looseObject({ what: z.string(), dueDate: text, overdue: z.boolean().catch(false) })),
    })
    .nullish()
    .catch(null),
});
export type ChecksInput = z.infer<typeof ChecksInput>;

const AssessmentInput = z.looseObject({
  attention: listOf(z.looseObject({ item: z.string(), why: z.string() })),
  routing: text,
  priority: text,
  confidence: z.number().nullish().catch(null),
});
export type AssessmentInput = z.infer<typeof AssessmentInput>;

/** What the checkMedications and lookupPatient tools answered, when the reasoner called them. */
const ToolFindings = z.looseObject({
  found: z.boolean().optional().catch(undefined),
  medications: listOf(z.looseObject({ name: z.string(), known: z.boolean().catch(true) })).optional(),
  interactions: listOf(z.looseObject({ between: listOf(z.string()), risk: z.string() })).optional(),
});

export interface ClinicalInput {
  body: string;
  kind: unknown;
  extraction: ExtractionInput | null;
  checks: ChecksInput | null;
  assessment: AssessmentInput | null;
  /** Results of the reasoner's own tool calls, by tool name. */
  tools: Map<string, z.infer<typeof ToolFindings>>;
}

export function readClinicalInput(reading: Reading): ClinicalInput {
  const { documents } = reading;
  const top = documents.find((document) => 'body' in document) ?? documents[0] ?? {};
  const body = top.body;
  const tools = new Map<string, z.infer<typeof ToolFindings>>();
  for (const result of reading.toolResults) {
    const parsed = ToolFindings.safeParse(result.value);
    if (parsed.success && result.name) tools.set(result.name, parsed.data);
  }
  return {
    body: typeof body === 'string' ? body : reading.text,
    kind: top.kind ?? null,
    extraction: parsedOrNull(ExtractionInput, findKey(documents, 'extraction')),
    checks: parsedOrNull(ChecksInput, findKey(documents, 'checks')),
    assessment: parsedOrNull(AssessmentInput, findKey(documents, 'assessment')),
    tools,
  };
}

function parsedOrNull<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> | null {
  if (value === undefined || value === null) return null;
  const parsed = schema.safeParse(value);
  return parsed.success ? (parsed.data as z.infer<T>) : null;
}
