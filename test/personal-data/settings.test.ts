/**
 * Pseudonymization settings per workflow type, from config, as the worker applies them: a category
 * switched off reaches the model in clear, a pattern of the firm's own is replaced like any identifier.
 */
import { PII_CATEGORIES } from '../../pseudonymize';
import { intakeQuery } from '../../workflows/messages';
import { exampleIntake, startLegalIntake } from '../support/intakes';
import { startTestStack, type TestStack } from '../support/stack';

let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({
    configOverrides: {
      pseudonymization: {
        workflows: {
          'legal-intake': {
            categories: PII_CATEGORIES.filter((category) => category !== 'PHONE'),
            extraPatterns: [{ category: 'ID', pattern: '\\bMBR-\\d{6}\\b' }],
          },
        },
      },
    },
  });
});
afterAll(async () => {
  await stack?.close();
});

it('applies the workflow type’s categories and patterns from config', async () => {
  const intake = exampleIntake('clear-personal-injury');
  const { workflowId } = await startLegalIntake(stack, {
    ...intake,
    body: `${intake.body}\nMy member number is MBR-204518. Call me on (213) 555-0187.`,
  });
  const handle = stack.client.workflow.getHandle(workflowId);
  let seen = null;
  for (let i = 0; i < 100 && !seen; i++) {
    seen = await handle.query(intakeQuery).catch(() => null);
    if (!seen) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(seen?.body).toContain('(213) 555-0187');
  expect(seen?.body).not.toContain('MBR-204518');
  expect(seen?.body).toMatch(/member number is \[ID_\d+\]/);
  expect(seen?.body).toContain('[PERSON_1]');
  await handle.terminate('test done');
});
