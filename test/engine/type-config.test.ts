/**
 * A registered type's agents read their settings from config (`workflows.<type>.agents.<agent>`), and a key
 * that names no registered type or agent stops the API at start, naming the key.
 */
import type { Client } from '@temporalio/client';
import { createApp } from '../../api';
import { createLogger, loadConfig } from '../../config';
import type { Database } from '../../db';
import { TEST_ENCRYPTION_KEYS } from '../support/encryption';
import { withMemoCheck } from './memo-check/registry';
import { memoCheckDefinition } from './memo-check/definition';

const configWith = (workflows: Record<string, unknown>) =>
  loadConfig({
    env: { DOCKET_ENCRYPTION_KEYS: TEST_ENCRYPTION_KEYS },
    overrides: { logging: { level: 'silent' }, workflows } as never,
  });

describe("a type's agent settings in config", () => {
  it('override the definition: the checker threshold and its tool rounds', () => {
    expect(memoCheckDefinition.settings(configWith({})).thresholds).toEqual({ check: 0 });
    const settings = memoCheckDefinition.settings(
      configWith({ 'memo-check': { agents: { checker: { confidenceThreshold: 0.9, maxToolRounds: 2 } } } }),
    );
    expect(settings.thresholds).toEqual({ check: 0.9 });
    expect(settings.maxToolRounds).toBe(2);
  });

  it('stop the API at start when a key names no registered type or agent', () => {
    const app = (workflows: Record<string, unknown>) => () =>
      createApp({
        config: configWith(workflows),
        client: {} as Client,
        db: {} as Database,
        workflows: withMemoCheck,
        logger: createLogger(configWith({})),
      });
    expect(app({ 'memo-chek': { agents: {} } })).toThrow(
      'config workflows.memo-chek: no such workflow type (registered: legal-intake, memo-check)',
    );
    expect(app({ 'memo-check': { agents: { reader: { confidenceThreshold: 0.5 } } } })).toThrow(
      'config workflows.memo-check.agents.reader: memo-check has no such agent (its agents: checker)',
    );
    expect(() => configWith({ 'memo-check': { agents: { checker: { confidenceThreshold: 2 } } } })).toThrow(
      /workflows\.memo-check\.agents\.checker\.confidenceThreshold/,
    );
  });
});
