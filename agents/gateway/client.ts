import OpenAI from 'openai';
import type { DocketConfig } from '../../config/schema';

/** Sent when no key is configured: the offline simulator accepts any bearer token. */
const SIMULATOR_PLACEHOLDER_KEY = 'sk-docket-simulator';

/**
 * The one `openai` client of a process. It does not retry: Temporal retries the activity durably,
 * honours `retry-after` through `nextRetryDelay`, and shows every attempt in the UI.
 */
export function createModelClient(config: Pick<DocketConfig, 'provider' | 'simulator'>): OpenAI {
  const { provider } = config;
  return new OpenAI({
    apiKey: provider.apiKey ?? SIMULATOR_PLACEHOLDER_KEY,
    baseURL: providerBaseURL(config) ?? undefined,
    timeout: provider.timeoutMs,
    maxRetries: 0,
  });
}

/**
 * Where model requests go: the configured base URL; without one, OpenAI when a key is set, and
 * otherwise the offline simulator at its configured address.
 */
export function providerBaseURL(config: Pick<DocketConfig, 'provider' | 'simulator'>): string | null {
  if (config.provider.baseURL) return config.provider.baseURL;
  if (config.provider.apiKey) return null;
  return `http://${config.simulator.host}:${config.simulator.port}/v1`;
}
