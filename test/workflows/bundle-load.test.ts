import { z } from 'zod';
import { workflowBundleModules } from '../../worker';
import { workflowRegistry } from '../../workflows/registry';

/**
 * Temporal's sandbox runs the workflow bundle's modules again for every workflow, so whatever they build at
 * load every workflow pays for (DESIGN.md, rules of the house). Schemas are built on first use instead
 * (`lazySchema`). Counted with zod's hook on every schema it constructs.
 */
describe('the workflow bundle', () => {
  let built = 0;
  const previous = z.config();
  const { postProcessor } = previous as { postProcessor?: unknown };

  beforeAll(() => z.config({ postProcessor: () => void (built += 1) } as never));
  afterAll(() => z.config({ postProcessor } as never));

  it('builds no schema when its modules load', () => {
    built = 0;
    z.string();
    expect(built).toBe(1); // the count sees what zod constructs
    built = 0;
    jest.isolateModules(() => {
      // Every module the worker's bundle entry exports from (worker/workflow-bundle.ts).
      for (const [, module] of workflowBundleModules(workflowRegistry)) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh module registry loads synchronously
        require(module);
      }
    });
    expect(built).toBe(0);
  });

  it('builds a schema a run parses with when the run first uses it', () => {
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- as above
      const { Classification } = require('../../agents') as typeof import('../../agents');
      built = 0;
      expect(Classification.safeParse({}).success).toBe(false);
      expect(built).toBeGreaterThan(0);
    });
  });
});
