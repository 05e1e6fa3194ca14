/**
 * Providers per model entry: each has its own client, endpoint and key (from the environment variable it
 * names), so a fallback from one provider to another never carries a key across.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { AGENTS, classifierInput, type ConversationMessage } from '../../agents';
import { createModelGateway, providerBaseURL } from '../../agents/gateway';
import { ConfigError, createLogger, loadConfig, type DocketConfig, type ModelEntry } from '../../config';
import { startSimulator, type RunningSimulator } from '../../simulator';

const intake = JSON.parse(
  readFileSync(path.join(__dirname, '../../examples/clear-personal-injury.json'), 'utf8'),
);
const messages: ConversationMessage[] = [{ role: 'user', content: classifierInput(intake) }];

const MINI = 'gpt-4o-mini-2024-07-18';
const PRIMARY_KEY = 'sk-primary-0123456789abcdef';
const AZURE_KEY = 'azure-key-fedcba9876543210';

const entry = (provider: string, extra: Partial<ModelEntry> = {}): ModelEntry => ({
  model: MINI,
  provider,
  pricing: { inputPerMTokUsd: 0.15, cachedInputPerMTokUsd: 0.075, outputPerMTokUsd: 0.6 },
  contextWindow: 128_000,
  maxOutputTokens: 2_000,
  temperature: 0,
  capabilities: { structuredOutputs: true, tools: true, logprobs: true, temperature: true, role: 'system' },
  ...extra,
});

/** The origin (scheme, host, port) of a simulator, as Azure's `endpoint` names a resource. */
const origin = (simulator: RunningSimulator) => new URL(simulator.url).origin;

describe('providers', () => {
  let primary: RunningSimulator;
  let azure: RunningSimulator;

  beforeAll(async () => {
    primary = await startSimulator({ port: 0, recordRequests: true, retiredModels: [MINI] });
    azure = await startSimulator({ port: 0, recordRequests: true });
  });
  afterAll(async () => {
    await primary?.close();
    await azure?.close();
  });

  function twoProviderConfig(): DocketConfig {
    return loadConfig({
      env: { PRIMARY_LLM_KEY: PRIMARY_KEY, AZURE_OPENAI_API_KEY: AZURE_KEY },
      overrides: {
        providers: {
          primary: { kind: 'openai-compatible', baseURL: primary.url, apiKeyEnv: 'PRIMARY_LLM_KEY' },
          azure: { kind: 'azure', endpoint: origin(azure), apiVersion: '2024-10-21' },
        },
        models: { fast: [entry('primary'), entry('azure', { deployment: 'docket-mini' })] },
        logging: { level: 'silent' },
      },
    });
  }

  it("never sends one provider's key to another's endpoint, across a fallback", async () => {
    const config = twoProviderConfig();
    const gateway = createModelGateway({ config, logger: createLogger(config) });

    const turn = await gateway.runTurn(AGENTS.classifier, messages);

    // The primary provider's model is retired there: Azure's deployment answers.
    expect(turn.kind).toBe('output');
    expect(turn.usage).toMatchObject({
      model: MINI,
      provider: 'azure',
      fallbacks: [{ model: MINI, provider: 'primary', reason: 'retired' }],
    });
    expect(primary.receivedAuth()).toEqual([`Bearer ${PRIMARY_KEY}`]);
    // AzureOpenAI sends its key as `api-key` (the simulator answers 404 without an api-version).
    expect(azure.receivedAuth()).toEqual([AZURE_KEY]);
    // The deployment, not the model name, routes the Azure request.
    expect(azure.received()).toEqual([expect.objectContaining({ model: 'docket-mini' })]);
  });

  it('reads each key from the variable its provider names, and from nowhere else', () => {
    const config = twoProviderConfig();
    expect(config.providers.primary.apiKey).toBe(PRIMARY_KEY);
    expect(config.providers.azure.apiKey).toBe(AZURE_KEY);
    // The openai provider's variable (OPENAI_API_KEY) is not set: no key, whatever the others hold.
    expect(config.providers.openai.apiKey).toBeNull();
  });

  it('stops at start when an Azure provider has no key, naming the variable and no key', () => {
    const config = loadConfig({
      env: { PRIMARY_LLM_KEY: PRIMARY_KEY },
      overrides: {
        providers: { azure: { kind: 'azure', endpoint: origin(azure), apiVersion: '2024-10-21' } },
        models: { fast: [entry('azure')] },
        logging: { level: 'silent' },
      },
    });
    expect(() => createModelGateway({ config, logger: createLogger(config) })).toThrow(ConfigError);
    expect(() => createModelGateway({ config, logger: createLogger(config) })).toThrow(
      /providers\.azure: .*AZURE_OPENAI_API_KEY/,
    );
  });
});

describe('the openai provider', () => {
  const simulatorUrl = 'http://127.0.0.1:4010/v1';

  it('goes to the offline simulator without a key or a base URL, as before', () => {
    expect(providerBaseURL(loadConfig({ env: {} }))).toBe(simulatorUrl);
  });

  it('goes to OpenAI with OPENAI_API_KEY, and wherever OPENAI_BASE_URL says', () => {
    const withKey = loadConfig({ env: { OPENAI_API_KEY: 'sk-test-0123456789' } });
    expect(withKey.providers.openai.apiKey).toBe('sk-test-0123456789');
    expect(providerBaseURL(withKey)).toBeNull();
    expect(providerBaseURL(loadConfig({ env: { OPENAI_BASE_URL: 'https://llm.internal/v1' } }))).toBe(
      'https://llm.internal/v1',
    );
  });
});
