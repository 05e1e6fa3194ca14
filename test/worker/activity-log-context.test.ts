import { Writable } from 'node:stream';
import { MockActivityEnvironment } from '@temporalio/testing';
import pino from 'pino';
import { activityLogContext } from '../../worker';

function capture(): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  const logger = pino({ mixin: activityLogContext }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
  };
}

describe('worker log lines', () => {
  it('carry the workflow id, activity and attempt inside an activity', async () => {
    const { logger, lines } = capture();
    const env = new MockActivityEnvironment({
      activityType: 'checkConflicts',
      attempt: 2,
      workflowExecution: { workflowId: 'legal-intake-abc', runId: 'run-1' },
    });
    await env.run(async () => logger.info('checked'));
    expect(lines()[0]).toMatchObject({
      msg: 'checked',
      workflowId: 'legal-intake-abc',
      activity: 'checkConflicts',
      attempt: 2,
    });
  });

  it('add nothing outside an activity', () => {
    const { logger, lines } = capture();
    logger.info('starting');
    expect(lines()[0]).not.toHaveProperty('workflowId');
  });
});
