/** The OpenAPI document is built from the registry: one start and one documented body per workflow type. */
import { z } from 'zod';
import { buildOpenApi } from '../../api';
import { WorkflowRegistry, type AnyWorkflowDefinition } from '../../domain';
import { workflowRegistry } from '../../workflows/registry';

const legalIntake = workflowRegistry.byRestName('legal-intake')!;
const memo: AnyWorkflowDefinition = {
  ...legalIntake,
  workflowType: 'expenseMemo',
  restName: 'expense-memo',
  title: 'An expense memo checked against policy',
  body: z.object({ externalId: z.string(), amountCents: z.number().int().positive() }).strict(),
  bodyName: 'ExpenseMemoRequest',
  // `draft` is legal intake's stage name too, with another output.
  reviewStages: { approve: null, draft: z.object({ note: z.string() }).strict() },
};

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document, read field by field
const doc = buildOpenApi(new WorkflowRegistry([legalIntake, memo])) as any;

it('documents a start per registered type, each with its own body', () => {
  expect(doc.paths['/v1/workflows/legal-intake'].post.operationId).toBe('startLegalIntake');
  expect(doc.paths['/v1/workflows/expense-memo'].post.operationId).toBe('startExpenseMemo');
  expect(doc.paths['/v1/workflows/expense-memo'].post.requestBody.content['application/json'].schema).toEqual(
    {
      $ref: '#/components/schemas/ExpenseMemoRequest',
    },
  );
  expect(doc.components.schemas.ExpenseMemoRequest).toMatchObject({
    required: ['externalId', 'amountCents'],
    additionalProperties: false,
  });
  expect(doc.components.schemas.IntakeRequest.properties.channel).toBeDefined();
});

it("takes every registered type's workflow ids and stages, and no other", () => {
  const id = doc.paths['/v1/workflows/{workflowId}'].get.parameters[0].schema;
  const pattern = new RegExp(id.pattern, 'u');
  expect(['legal-intake-A-1', 'expense-memo-A-1'].map((x) => pattern.test(x))).toEqual([true, true]);
  expect(['clinical-summary-A-1', 'expense-memo-'].map((x) => pattern.test(x))).toEqual([false, false]);
  const query = doc.paths['/v1/reviews'].get.parameters;
  const param = (name: string) => query.find((p: { name: string }) => p.name === name).schema;
  expect(param('type').enum).toEqual(['legal-intake', 'expense-memo']);
  expect(param('stage').enum).toEqual(['classify', 'reason', 'draft', 'file', 'approve']);
});

it("documents each stage's corrections, either type's where two types share a stage name", () => {
  const clauses = doc.components.schemas.ReviewDecisionBody.allOf.filter((c: { if?: unknown }) => c.if);
  const then = (stage: string) =>
    clauses.find((c: { if: { properties: { reviewId: { pattern: string } } } }) =>
      c.if.properties.reviewId.pattern.startsWith(`^${stage}-`),
    ).then;
  expect(then('approve')).toEqual({ not: { required: ['corrections'] } });
  const draft = then('draft').anyOf.map((option: { properties: { corrections: { properties: object } } }) =>
    Object.keys(option.properties.corrections.properties),
  );
  expect(draft).toEqual([expect.arrayContaining(['matterSummary', 'clientAcknowledgement']), ['note']]);
  expect(then('classify').properties.corrections.additionalProperties).toBe(false);
});
