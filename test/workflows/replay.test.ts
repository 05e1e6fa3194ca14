import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from '@temporalio/worker';
import { workflowBundle } from '../support/bundle';
import { testDataConverter } from '../support/encryption';

const dir = path.join(__dirname, '..', 'fixtures', 'histories');
const workflowIds = JSON.parse(readFileSync(path.join(dir, 'workflow-ids.json'), 'utf8')) as Record<
  string,
  string
>;
const recorded = readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'workflow-ids.json');

describe('recorded legalIntake histories', () => {
  it('are present', () => {
    expect(recorded.length).toBeGreaterThan(0);
  });

  it.each(recorded)('replay %s with the current workflow code', async (file) => {
    const history = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    await expect(
      Worker.runReplayHistory(
        // Histories are recorded as Temporal stores them, encrypted with the test key set (older ones in clear).
        { workflowBundle: await workflowBundle(), dataConverter: testDataConverter() },
        history,
        workflowIds[file] ?? file.replace('.json', ''),
      ),
    ).resolves.toBeUndefined();
  });
});
