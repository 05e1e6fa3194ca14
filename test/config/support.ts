/** Config files for config tests: the shipped one, variants of it in a temp folder, and the error they give. */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, type DocketConfig } from '../../config';

/** The shipped temporal.config.json, parsed. */
export const shipped = JSON.parse(readFileSync(path.join(__dirname, '../../temporal.config.json'), 'utf8'));

/** Writes `content` (JSON, or text as it is) to a fresh config file and returns its path. */
export function withFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'docket-config-')), 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

/** The ConfigError `fn` throws; fails when it throws something else or nothing. */
export function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

/** Every agent of `config` on its own tier: its cascades removed, in place; returns it. */
export function dropCascades<Config extends Pick<DocketConfig, 'agents'>>(config: Config): Config {
  for (const agent of Object.values(config.agents)) delete agent.cascade;
  return config;
}
