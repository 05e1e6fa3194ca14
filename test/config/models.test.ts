import { loadConfig } from '../../config';
import { configErrorOf, shipped, withFile } from './support';

const messageOf = (fn: () => unknown): string => configErrorOf(fn).message;
const load = (content: unknown, env: Record<string, string> = {}) =>
  loadConfig({ file: withFile(content), env });

/** The shipped config with `edit` applied to a copy. */
function edited(edit: (config: typeof shipped) => void): typeof shipped {
  const copy = structuredClone(shipped);
  edit(copy);
  return copy;
}

describe('the model registry in config', () => {
  it('ships each tier as an ordered list of pinned models with published prices', () => {
    const { models } = load(shipped);
    expect(
      Object.fromEntries(Object.entries(models).map(([tier, list]) => [tier, list.map((m) => m.model)])),
    ).toEqual({
      fast: ['gpt-4o-mini-2024-07-18', 'gpt-4.1-mini-2025-04-14', 'gpt-4.1-nano-2025-04-14'],
      reasoning: ['o1-2024-12-17', 'o3-2025-04-16', 'o4-mini-2025-04-16', 'o3-mini-2025-01-31'],
      drafting: ['gpt-4o-2024-08-06', 'gpt-4.1-2025-04-14', 'gpt-4o-2024-11-20'],
    });
    expect(models.reasoning[1]).toMatchObject({
      provider: 'openai',
      pricing: { inputPerMTokUsd: 2, cachedInputPerMTokUsd: 0.5, outputPerMTokUsd: 8 },
      contextWindow: 200_000,
      reasoningEffort: 'medium',
      capabilities: {
        structuredOutputs: true,
        tools: true,
        temperature: false,
        logprobs: false,
        role: 'developer',
      },
    });
    expect(models.drafting[0].pricing).toEqual({
      inputPerMTokUsd: 2.5,
      cachedInputPerMTokUsd: 1.25,
      outputPerMTokUsd: 10,
      source: 'https://openai.com/api/pricing',
      asOf: '2025-08',
    });
  });

  it('says for every shipped price where it comes from and as of when', () => {
    const { models } = load(shipped);
    for (const entry of Object.values(models).flat()) {
      expect({ model: entry.model, source: entry.pricing.source }).toEqual({
        model: entry.model,
        source: 'https://openai.com/api/pricing',
      });
      expect(entry.pricing.asOf).toMatch(/^\d{4}-\d{2}/);
    }
  });

  it('ships reasoning models as reasoning models: developer role, no temperature, no logprobs', () => {
    const { models } = load(shipped);
    for (const entry of Object.values(models).flat()) {
      const reasoning = /^o\d/.test(entry.model);
      expect({
        model: entry.model,
        ...entry.capabilities,
        effort: entry.reasoningEffort !== undefined,
      }).toEqual({
        model: entry.model,
        structuredOutputs: true,
        tools: true,
        logprobs: !reasoning,
        temperature: !reasoning,
        role: reasoning ? 'developer' : 'system',
        effort: reasoning,
      });
    }
  });

  it('reads a tier written the old way, one model, as a list of one meaning what it meant', () => {
    const old = edited((c) => {
      c.models = {
        fast: {
          model: 'gpt-4o-mini-2024-07-18',
          maxOutputTokens: 2000,
          temperature: 0,
          pricing: { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
        },
        // A temperature on a reasoning tier was ignored before; it still is.
        reasoning: {
          model: 'o1-2024-12-17',
          maxOutputTokens: 8000,
          reasoningEffort: 'medium',
          temperature: 0.5,
          pricing: { inputPerMTokUsd: 15, outputPerMTokUsd: 60 },
        },
        drafting: shipped.models.drafting,
      };
      delete c.providers;
    });
    const { models, providers } = load(old);

    expect(providers).toEqual({
      openai: {
        kind: 'openai',
        baseURL: null,
        apiKeyEnv: 'OPENAI_API_KEY',
        apiKey: null,
        batchPriceFactor: 0.5,
      },
    });
    expect(models.fast).toEqual([
      {
        model: 'gpt-4o-mini-2024-07-18',
        provider: 'openai',
        // No cached price was given: cached input is billed as input, as it was.
        pricing: { inputPerMTokUsd: 0.15, cachedInputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
        contextWindow: 128_000,
        maxOutputTokens: 2000,
        temperature: 0,
        capabilities: {
          structuredOutputs: true,
          tools: true,
          logprobs: true,
          temperature: true,
          role: 'system',
        },
      },
    ]);
    expect(models.reasoning).toHaveLength(1);
    expect(models.reasoning[0]).not.toHaveProperty('temperature');
    expect(models.reasoning[0]).toMatchObject({
      reasoningEffort: 'medium',
      capabilities: { temperature: false, logprobs: false, role: 'developer' },
    });
  });

  it('names the key of a mistake in a tier written the old way', () => {
    const typo = edited((c) => {
      c.models.fast = { model: 'gpt-4o-mini', maxOutputTokens: 10, pricing: { inputPerMTokUsd: 0.15 } };
    });
    expect(messageOf(() => load(typo))).toMatch(/models\.fast\.pricing\.outputPerMTokUsd: /);

    const extra = edited((c) => {
      c.models.fast = {
        ...typo.models.fast,
        pricing: { inputPerMTokUsd: 0.15, outputPerMTokUsd: 0.6 },
        top_p: 1,
      };
    });
    // One line, about the key: not also that the tier is not a list.
    expect(
      messageOf(() => load(extra))
        .split('\n')
        .slice(1),
    ).toEqual(['  models.fast: Unrecognized key: "top_p"']);
  });

  it('names the key of a mistake in a model entry', () => {
    const noCachedPrice = edited((c) => delete c.models.reasoning[1].pricing.cachedInputPerMTokUsd);
    expect(messageOf(() => load(noCachedPrice))).toMatch(
      /models\.reasoning\.1\.pricing\.cachedInputPerMTokUsd: /,
    );

    const temperature = edited((c) => (c.models.reasoning[0].temperature = 0.3));
    expect(messageOf(() => load(temperature))).toMatch(
      /models\.reasoning\.0\.temperature: is set, but capabilities\.temperature is false/,
    );

    const role = edited((c) => (c.models.fast[0].capabilities.role = 'assistant'));
    expect(messageOf(() => load(role))).toMatch(/models\.fast\.0\.capabilities\.role: /);

    const date = edited((c) => (c.models.drafting[1].deprecatesOn = '2026-02-30'));
    expect(messageOf(() => load(date))).toMatch(/models\.drafting\.1\.deprecatesOn: not a calendar date/);

    const asOf = edited((c) => (c.models.fast[1].pricing.asOf = '2025-13'));
    expect(messageOf(() => load(asOf))).toMatch(
      /models\.fast\.1\.pricing\.asOf: not a calendar month or date/,
    );
    const asOfWords = edited((c) => (c.models.fast[1].pricing.asOf = 'August 2025'));
    expect(messageOf(() => load(asOfWords))).toMatch(
      /models\.fast\.1\.pricing\.asOf: must be a month like 2025-08/,
    );
    expect(
      load(edited((c) => (c.models.fast[1].pricing.asOf = '2025-08-07'))).models.fast[1].pricing.asOf,
    ).toBe('2025-08-07');

    const effort = edited((c) => (c.models.drafting[0].reasoningEffort = 'low'));
    expect(messageOf(() => load(effort))).toMatch(
      /models\.drafting\.0\.reasoningEffort: is set, but this model takes no reasoning effort/,
    );
    const declared = edited((c) => {
      c.models.drafting[0].reasoningEffort = 'low';
      c.models.drafting[0].capabilities.reasoningEffort = true;
    });
    expect(load(declared).models.drafting[0].reasoningEffort).toBe('low');

    const window = edited((c) => (c.models.fast[0].contextWindow = 1000));
    expect(messageOf(() => load(window))).toMatch(
      /models\.fast\.0\.maxOutputTokens: must be smaller than contextWindow/,
    );
  });

  it('refuses an empty tier, a model listed twice, and a new-style entry that is not in a list', () => {
    expect(messageOf(() => load(edited((c) => (c.models.fast = []))))).toMatch(
      /models\.fast: needs at least one model/,
    );

    const twice = edited((c) => c.models.reasoning.splice(1, 0, c.models.reasoning[0]));
    expect(messageOf(() => load(twice))).toMatch(
      /models\.reasoning\.1\.model: o1-2024-12-17 from openai is already entry 0/,
    );

    const notAList = edited((c) => (c.models.fast = c.models.fast[0]));
    expect(messageOf(() => load(notAList))).toMatch(/models\.fast: must be a list of models/);
  });

  it('refuses a model whose provider is not configured, naming the entry', () => {
    const unknown = edited((c) => (c.models.drafting[1].provider = 'azure'));
    expect(messageOf(() => load(unknown))).toMatch(
      /models\.drafting\.1\.provider: names provider 'azure', which providers does not define \(openai\)/,
    );
  });
});

describe('providers in config', () => {
  const azure = { kind: 'azure', endpoint: 'https://docket.openai.azure.com', apiVersion: '2024-10-21' };

  it('fills in the defaults of each kind and takes each key from its variable', () => {
    const config = load(
      edited((c) => (c.providers.azure = azure)),
      {
        OPENAI_API_KEY: 'sk-openai-0123456789',
        AZURE_OPENAI_API_KEY: 'azure-0123456789',
      },
    );
    expect(config.providers).toEqual({
      openai: {
        kind: 'openai',
        baseURL: null,
        apiKeyEnv: 'OPENAI_API_KEY',
        apiKey: 'sk-openai-0123456789',
        batchPriceFactor: 0.5,
      },
      azure: { ...azure, apiKeyEnv: 'AZURE_OPENAI_API_KEY', apiKey: 'azure-0123456789' },
    });
  });

  it('refuses a key written in the file, without repeating it', () => {
    const inFile = edited((c) => (c.providers.openai.apiKey = 'sk-in-the-file-0123456789'));
    const message = messageOf(() => load(inFile));
    expect(message).toMatch(
      /providers\.openai\.apiKey in .*: a provider's key comes from the environment variable/,
    );
    expect(message).not.toContain('sk-in-the-file');
  });

  it('names the key of a mistake in a provider', () => {
    const noVersion = edited((c) => (c.providers.azure = { kind: 'azure', endpoint: azure.endpoint }));
    expect(messageOf(() => load(noVersion))).toMatch(/providers\.azure\.apiVersion: /);

    const kind = edited(
      (c) => (c.providers.local = { kind: 'ollama', baseURL: 'http://127.0.0.1:11434/v1' }),
    );
    expect(messageOf(() => load(kind))).toMatch(/providers\.local\.kind: /);

    const noUrl = edited((c) => (c.providers.local = { kind: 'openai-compatible', apiKeyEnv: 'LOCAL_KEY' }));
    expect(messageOf(() => load(noUrl))).toMatch(/providers\.local\.baseURL: /);

    const envName = edited((c) => (c.providers.openai.apiKeyEnv = 'sk-0123456789'));
    expect(messageOf(() => load(envName))).toMatch(
      /providers\.openai\.apiKeyEnv: must be the name of an environment variable/,
    );
  });
});

describe('simulator.retiredModels', () => {
  it('defaults to none, and DOCKET_SIMULATOR_RETIRED_MODELS sets it, comma-separated', () => {
    expect(load(edited((c) => delete c.simulator.retiredModels)).simulator.retiredModels).toEqual([]);
    const config = load(shipped, { DOCKET_SIMULATOR_RETIRED_MODELS: 'o1-2024-12-17, gpt-4o-2024-08-06,' });
    expect(config.simulator.retiredModels).toEqual(['o1-2024-12-17', 'gpt-4o-2024-08-06']);
  });
});
