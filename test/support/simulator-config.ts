import { loadConfig, type DocketConfig } from '../../config';
import type { RunningSimulator } from '../../simulator';

/** The shipped config pointed at a test's simulator, with no environment and no logs. */
export function simulatorConfig(simulator: RunningSimulator): DocketConfig {
  return loadConfig({
    env: {},
    overrides: {
      provider: { baseURL: simulator.url, apiKey: null, timeoutMs: 5_000 },
      logging: { level: 'silent' },
    },
  });
}
