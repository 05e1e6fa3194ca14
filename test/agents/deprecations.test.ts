/**
 * `deprecatesOn`: the worker warns at start about every configured model within 90 days of its date or
 * past it, naming the tier and the model.
 */
import { spawn } from 'node:child_process';
import { Writable } from 'node:stream';
import path from 'node:path';
import pino from 'pino';
import { deprecationNotices, warnOfDeprecatedModels } from '../../agents/gateway';
import { loadConfig, type DocketConfig } from '../../config';
import { shipped, withFile } from '../config/support';

const root = path.join(__dirname, '../..');
const NOW = new Date('2026-03-01T15:30:00Z');

/** The shipped models with these `deprecatesOn` dates, by tier and position. */
function modelsWith(dates: Array<[tier: 'fast' | 'reasoning' | 'drafting', index: number, date: string]>) {
  const models = structuredClone(loadConfig({ env: {} }).models);
  for (const [tier, index, date] of dates) models[tier][index].deprecatesOn = date;
  return models;
}

/** A pino logger that keeps its lines. */
function recordingLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe('deprecatesOn', () => {
  it('gives notice within 90 days of the date and after it, not before', () => {
    const models = modelsWith([
      ['reasoning', 0, '2026-05-30'], // 90 days on
      ['reasoning', 1, '2026-05-31'], // 91 days on
      ['fast', 0, '2026-02-01'], // 28 days ago
    ]);
    expect(deprecationNotices(models, NOW)).toEqual([
      {
        tier: 'fast',
        model: 'gpt-4o-mini-2024-07-18',
        provider: 'openai',
        deprecatesOn: '2026-02-01',
        daysLeft: -28,
      },
      {
        tier: 'reasoning',
        model: 'o1-2024-12-17',
        provider: 'openai',
        deprecatesOn: '2026-05-30',
        daysLeft: 90,
      },
    ]);
  });

  it('warns once per tier and model, naming both', () => {
    const { logger, lines } = recordingLogger();
    warnOfDeprecatedModels(modelsWith([['drafting', 0, '2026-03-15']]), logger, NOW);

    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 40, tier: 'drafting', model: 'gpt-4o-2024-08-06', daysLeft: 14 });
    expect(lines[0].msg).toBe(
      'model gpt-4o-2024-08-06 of tier drafting is deprecated on 2026-03-15, in 14 days; move the tier to another model (config models.drafting)',
    );
  });

  it('says nothing when no date is near', () => {
    const { logger, lines } = recordingLogger();
    expect(warnOfDeprecatedModels(modelsWith([['fast', 0, '2027-01-01']]), logger, NOW)).toEqual([]);
    expect(lines).toEqual([]);
  });

  it('is warned about by the worker at start, before it connects to anything', async () => {
    const config = structuredClone(shipped) as Record<string, unknown> & { models: DocketConfig['models'] };
    const soon = new Date(Date.now() + 10 * 86_400_000).toISOString().slice(0, 10);
    config.models.reasoning[1].deprecatesOn = soon;
    const child = spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        DOCKET_CONFIG: withFile(config),
        // Nothing listens there: the worker warns, then fails to connect and exits.
        TEMPORAL_ADDRESS: '127.0.0.1:1',
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.resume();
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));

    expect(code).toBe(1);
    const warning = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .find((line) => line.tier === 'reasoning');
    expect(warning).toMatchObject({ level: 40, model: 'o3-2025-04-16', deprecatesOn: soon });
    expect(warning?.msg).toMatch(/^model o3-2025-04-16 of tier reasoning is deprecated on .*, in 10 days/);
  }, 30_000);
});
