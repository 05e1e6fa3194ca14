import OpenAI, { AzureOpenAI } from 'openai';
import { ConfigError, type DocketConfig } from '../../config';

/** Sent when no key is configured: the offline simulator and keyless local servers accept any bearer token. */
const PLACEHOLDER_KEY = 'sk-docket-simulator';
const OPENAI_API_URL = 'https://api.openai.com/v1';

type ClientConfig = Pick<DocketConfig, 'provider' | 'providers' | 'simulator'>;

/**
 * One `openai` client per provider that a tier's model names, by provider name. Each holds only its own
 * provider's key and endpoint, so a key never goes to another provider's endpoint. None retries: Temporal
 * retries the activity durably, honours `retry-after` through `nextRetryDelay`, and shows every attempt.
 */
export function createModelClients(config: ClientConfig & Pick<DocketConfig, 'models'>): Map<string, OpenAI> {
  const used = new Set(Object.values(config.models).flatMap((entries) => entries.map((e) => e.provider)));
  return new Map([...used].map((name) => [name, createProviderClient(config, name)]));
}

/** The client for one provider of `providers`; Azure OpenAI without its key stops the process at start. */
export function createProviderClient(config: ClientConfig, name: string): OpenAI {
  const provider = config.providers[name];
  if (!provider) throw new ConfigError(`providers.${name}: no such provider is configured`);
  const common = { timeout: config.provider.timeoutMs, maxRetries: 0 };
  switch (provider.kind) {
    case 'azure':
      if (!provider.apiKey) {
        throw new ConfigError(
          `providers.${name}: Azure OpenAI needs a key, and ${provider.apiKeyEnv} (its apiKeyEnv) is not set`,
        );
      }
      // baseURL null: the endpoint decides (the SDK would otherwise read OPENAI_BASE_URL, another provider's).
      // The deployment comes from each request's `model` (the gateway sends the entry's deployment there).
      return new AzureOpenAI({
        ...common,
        endpoint: provider.endpoint,
        baseURL: null,
        apiVersion: provider.apiVersion,
        apiKey: provider.apiKey,
        organization: null,
        project: null,
      });
    case 'openai-compatible':
      return new OpenAI({
        ...common,
        baseURL: provider.baseURL,
        apiKey: provider.apiKey ?? PLACEHOLDER_KEY,
        // OpenAI's organization and project (OPENAI_ORG_ID, OPENAI_PROJECT_ID) are not another server's business.
        organization: null,
        project: null,
      });
    case 'openai':
      return new OpenAI({
        ...common,
        baseURL: providerBaseURL(config, name) ?? OPENAI_API_URL,
        apiKey: provider.apiKey ?? PLACEHOLDER_KEY,
      });
  }
}

/**
 * Where a provider's requests go. An `openai` provider uses its own base URL, else `provider.baseURL`
 * (OPENAI_BASE_URL); without either, OpenAI when its key is set, and otherwise the offline simulator at
 * its configured address. Null means api.openai.com.
 */
export function providerBaseURL(config: ClientConfig, name = 'openai'): string | null {
  const provider = config.providers[name];
  if (provider?.kind === 'azure') return `${provider.endpoint.replace(/\/+$/, '')}/openai`;
  if (provider?.kind === 'openai-compatible') return provider.baseURL;
  const baseURL = provider?.baseURL ?? config.provider.baseURL;
  if (baseURL) return baseURL;
  if (provider ? provider.apiKey : config.provider.apiKey) return null;
  return `http://${config.simulator.host}:${config.simulator.port}/v1`;
}
