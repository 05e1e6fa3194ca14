/**
 * What a decision's `corrections` may hold, stated in the OpenAPI document per review stage. The workflow's
 * validator (workflows/review/rules.ts) checks corrections against the pending stage's output schema and
 * refuses any field that schema does not name, at any depth; the document says the same, derived from the
 * same zod schemas, so the two cannot drift (test/api/health-and-docs.test.ts and reviews.test.ts).
 */
import { z } from 'zod';

type JsonObject = Record<string, unknown>;

/**
 * The JSON Schema of corrections at a stage whose output is `schema`: any of its top-level fields (each
 * replaces the stage's own), no field it does not name, at any depth.
 */
function correctionsSchema(schema: z.ZodType): JsonObject {
  const fields = closed(z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' })) as JsonObject;
  delete fields.$schema;
  delete fields.required;
  return fields;
}

/**
 * Adds to ReviewDecisionBody one `if`/`then` per review stage of the registered types: a review id of a stage
 * (`<stage>-<n>`, as the workflow numbers them) takes the corrections of that stage's output, and none where
 * the stage has nothing to revise. A stage name that several types use with different outputs takes the
 * corrections of any of them (the review id does not say the type). A review id of no stage is never pending
 * (409), whatever its corrections.
 */
export function documentCorrections(
  schemas: Record<string, JsonObject>,
  definitions: ReadonlyArray<{ reviewStages: Readonly<Record<string, z.ZodType | null>> }>,
): void {
  const body = schemas.ReviewDecisionBody;
  const properties = body.properties as Record<string, JsonObject>;
  properties.corrections = {
    ...properties.corrections,
    description:
      "Top-level fields of the pending stage's output to replace (GET /v1/reviews/{workflowId} gives that " +
      "output and its JSON Schema, outputSchema). No field the stage's schema does not name, at any depth. " +
      'With the fields the stage produced they must make a whole, valid output, which the document cannot ' +
      'check: otherwise 400.',
  };
  const outputs = new Map<string, Array<z.ZodType | null>>();
  for (const { reviewStages } of definitions) {
    for (const [stage, schema] of Object.entries(reviewStages)) {
      const known = outputs.get(stage) ?? [];
      if (!known.includes(schema)) outputs.set(stage, [...known, schema]);
    }
  }
  const allowed = (schema: z.ZodType | null): JsonObject =>
    schema
      ? { properties: { corrections: correctionsSchema(schema) } }
      : { not: { required: ['corrections'] } };
  const byStage = [...outputs].map(([stage, schemasOfStage]) => ({
    if: { properties: { reviewId: { pattern: `^${stage}-[0-9]+$` } } },
    then: schemasOfStage.length === 1 ? allowed(schemasOfStage[0]) : { anyOf: schemasOfStage.map(allowed) },
  }));
  schemas.ReviewDecisionBody = { ...body, allOf: [...((body.allOf as JsonObject[]) ?? []), ...byStage] };
}

/** `additionalProperties: false` on every object schema that names its properties and says nothing of others. */
function closed(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closed);
  if (typeof node !== 'object' || node === null) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    // Under `properties` the keys are field names, each holding a schema.
    out[key] =
      key === 'properties'
        ? Object.fromEntries(
            Object.entries(value as JsonObject).map(([name, field]) => [name, closed(field)]),
          )
        : closed(value);
  }
  if ('properties' in out && !('additionalProperties' in out)) out.additionalProperties = false;
  return out;
}
