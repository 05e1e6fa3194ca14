/**
 * The model registry's config: per tier an ordered list of pinned models, each served by a named provider
 * (`providers`). The gateway tries a tier's models in order (agents/gateway).
 */
import { z } from 'zod';

/** Whether `text` (`2026-07-14`) names a day that exists. */
function isCalendarDay(text: string): boolean {
  const time = Date.parse(`${text}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === text;
}

/** A calendar date, `2026-07-14`. */
const CalendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'must be a date like 2026-07-14', abort: true })
  .refine(isCalendarDay, 'not a calendar date');

/** When a price was known to be right: a month, `2025-08`, or a day, `2025-08-07`. */
const PriceAsOf = z
  .string()
  .regex(/^\d{4}-\d{2}(?:-\d{2})?$/, {
    message: 'must be a month like 2025-08 or a date like 2025-08-07',
    abort: true,
  })
  .refine((text) => isCalendarDay(text.length === 7 ? `${text}-01` : text), 'not a calendar month or date');

/** USD per million tokens, as the provider's published price list gives them. */
const Pricing = z
  .object({
    inputPerMTokUsd: z.number().nonnegative(),
    /** Input tokens the provider served from its prompt cache (`usage.prompt_tokens_details.cached_tokens`). */
    cachedInputPerMTokUsd: z.number().nonnegative(),
    outputPerMTokUsd: z.number().nonnegative(),
    /** Where the prices come from: the provider's price page, or a contract (read by people). */
    source: z.string().min(1).optional(),
    /** When the prices were known to be right at `source`: check them there before relying on costs. */
    asOf: PriceAsOf.optional(),
  })
  .strict();

/** What a model accepts: the gateway shapes every request from these, never from the model's name. */
const Capabilities = z
  .object({
    /** `response_format: json_schema` with `strict`: every Docket agent needs it. */
    structuredOutputs: z.boolean(),
    /** Function calling: agents with tools (the reasoner) need it. */
    tools: z.boolean(),
    logprobs: z.boolean(),
    /** Whether `temperature` may be sent; reasoning models (o1, o3, o4-mini, o3-mini) reject it. */
    temperature: z.boolean(),
    /** The instructions' role: `developer` for reasoning models, `system` for the others. */
    role: z.enum(['system', 'developer']),
    /**
     * Whether `reasoning_effort` may be sent (o1, o3, o4-mini, o3-mini take it; GPT-4o and GPT-4.1 reject it);
     * default: the reasoning models', those whose role is `developer`.
     */
    reasoningEffort: z.boolean().optional(),
  })
  .strict();

/** Whether a model takes `reasoning_effort`: as its capabilities say, else as reasoning models do. */
export function takesReasoningEffort(capabilities: z.infer<typeof Capabilities>): boolean {
  return capabilities.reasoningEffort ?? capabilities.role === 'developer';
}

/** One pinned model of a tier. */
export const ModelEntry = z
  .object({
    /** A pinned snapshot name (`gpt-4o-2024-08-06`), as the provider names it. */
    model: z.string().min(1),
    /** The entry of `providers` that serves it. */
    provider: z.string().min(1),
    /** Azure OpenAI only: the deployment that serves this model; default the model name. */
    deployment: z.string().min(1).optional(),
    pricing: Pricing,
    /** Tokens the model reads and writes in one request; a request that cannot fit is not sent to it. */
    contextWindow: z.number().int().positive(),
    maxOutputTokens: z.number().int().positive(),
    /** Only for models whose `capabilities.temperature` is true. */
    temperature: z.number().min(0).max(2).optional(),
    /** Sent as `reasoning_effort` (reasoning models). */
    reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
    capabilities: Capabilities,
    /** The provider's announced shutdown date: the worker warns at start from 90 days before. */
    deprecatesOn: CalendarDate.optional(),
  })
  .strict()
  .superRefine((entry, ctx) => {
    if (entry.temperature !== undefined && !entry.capabilities.temperature) {
      ctx.addIssue({
        code: 'custom',
        path: ['temperature'],
        message: 'is set, but capabilities.temperature is false: this model rejects a temperature',
      });
    }
    if (entry.reasoningEffort !== undefined && !takesReasoningEffort(entry.capabilities)) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasoningEffort'],
        message:
          'is set, but this model takes no reasoning effort (capabilities.reasoningEffort, or role developer)',
      });
    }
    if (entry.maxOutputTokens >= entry.contextWindow) {
      ctx.addIssue({
        code: 'custom',
        path: ['maxOutputTokens'],
        message: `must be smaller than contextWindow (${entry.contextWindow})`,
      });
    }
  });
export type ModelEntry = z.infer<typeof ModelEntry>;

/**
 * A tier as configs before the model registry wrote it: one model, served by the `openai` provider.
 * Read as a one-entry list (see `fromSingleModelTier`).
 */
const SingleModelTier = z
  .object({
    model: z.string().min(1),
    maxOutputTokens: z.number().int().positive(),
    temperature: z.number().min(0).max(2).optional(),
    reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
    pricing: Pricing.extend({ cachedInputPerMTokUsd: z.number().nonnegative().optional() }).strict(),
  })
  .strict();

/** The context window assumed for a single-model tier, which does not say: GPT-4o's and GPT-4o mini's. */
export const SINGLE_MODEL_CONTEXT_WINDOW = 128_000;

/**
 * The old single-model tier as a registry entry, meaning what it meant then: `reasoningEffort` marks a
 * reasoning model (developer role, no temperature, which was ignored), cached input is billed at the
 * input price (no discount assumed), and the model is served by the `openai` provider.
 */
function fromSingleModelTier(tier: z.infer<typeof SingleModelTier>): z.input<typeof ModelEntry> {
  const reasoning = tier.reasoningEffort !== undefined;
  return {
    model: tier.model,
    provider: 'openai',
    pricing: {
      ...tier.pricing,
      cachedInputPerMTokUsd: tier.pricing.cachedInputPerMTokUsd ?? tier.pricing.inputPerMTokUsd,
    },
    contextWindow: SINGLE_MODEL_CONTEXT_WINDOW,
    maxOutputTokens: tier.maxOutputTokens,
    ...(reasoning ? { reasoningEffort: tier.reasoningEffort } : {}),
    ...(!reasoning && tier.temperature !== undefined ? { temperature: tier.temperature } : {}),
    capabilities: {
      structuredOutputs: true,
      tools: true,
      logprobs: !reasoning,
      temperature: !reasoning,
      role: reasoning ? 'developer' : 'system',
    },
  };
}

/**
 * A tier: its models in the order the gateway tries them. A single model written the old way
 * (`{ model, maxOutputTokens, pricing, … }`) is read as a list of one; its errors name its own keys.
 */
export const ModelTier = z.preprocess(
  (value, ctx) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
    if ('provider' in value || 'capabilities' in value || 'contextWindow' in value) {
      ctx.issues.push({
        code: 'custom',
        input: undefined,
        message:
          'must be a list of models, [{ model, provider, pricing, contextWindow, … }]; one object is read only in the old form { model, maxOutputTokens, pricing }',
      });
      return z.NEVER;
    }
    const single = SingleModelTier.safeParse(value);
    if (single.success) return [fromSingleModelTier(single.data)];
    // As custom issues: the list schema must not also report the object as not being a list, which it
    // would after an unrecognized key (zod lets a pipe go on after those).
    for (const { path, message } of single.error.issues) {
      ctx.issues.push({ code: 'custom', path, message, input: undefined });
    }
    return z.NEVER;
  },
  z
    .array(ModelEntry)
    .nonempty('needs at least one model')
    .superRefine((entries, ctx) => {
      entries.forEach((entry, i) => {
        const first = entries.findIndex((e) => e.model === entry.model && e.provider === entry.provider);
        if (first !== i) {
          ctx.addIssue({
            code: 'custom',
            path: [i, 'model'],
            message: `${entry.model} from ${entry.provider} is already entry ${first} of this tier`,
          });
        }
      });
    }),
);
export type ModelTier = z.infer<typeof ModelTier>;

/** The name of an environment variable, which holds a provider's key: keys never live in the file. */
const EnvName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable, like OPENAI_API_KEY');

/** Read from the environment variable `apiKeyEnv` names when the config loads; a file may not set it. */
const ApiKey = z.string().min(1).nullable().default(null);

/**
 * Who serves models, by name (`models.<tier>[].provider`). Each gets its own client and its own key, so
 * one provider's key never reaches another's endpoint.
 */
export const Provider = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('openai'),
      /** null: `provider.baseURL` (OPENAI_BASE_URL), else api.openai.com with a key and the simulator without. */
      baseURL: z.url().nullable().default(null),
      apiKeyEnv: EnvName.default('OPENAI_API_KEY'),
      apiKey: ApiKey,
      /**
       * The share of a model's price its Batch API charges (OpenAI's: half, for input and output alike): the
       * batch lane's calls are priced at it. null: no batch lane through this provider.
       */
      batchPriceFactor: z.number().gt(0).max(1).nullable().default(0.5),
    })
    .strict(),
  z
    .object({
      kind: z.literal('azure'),
      /** `https://<resource>.openai.azure.com`: requests go to its `/openai/deployments/<deployment>/…`. */
      endpoint: z.url(),
      /** Azure OpenAI's `api-version`, e.g. `2024-10-21`. */
      apiVersion: z.string().min(1),
      apiKeyEnv: EnvName.default('AZURE_OPENAI_API_KEY'),
      apiKey: ApiKey,
    })
    .strict(),
  z
    .object({
      kind: z.literal('openai-compatible'),
      /** vLLM, Ollama, llama.cpp server, a proxy: the URL its `/chat/completions` is under. */
      baseURL: z.url(),
      /** When the variable is unset, a placeholder key is sent (servers without auth ignore it). */
      apiKeyEnv: EnvName,
      apiKey: ApiKey,
    })
    .strict(),
]);
export type Provider = z.infer<typeof Provider>;

export const Providers = z
  .record(
    z.string().regex(/^[a-z][a-z0-9_-]*$/, 'a provider name is lowercase: openai, azure, local-vllm'),
    Provider,
  )
  .default({
    openai: {
      kind: 'openai',
      baseURL: null,
      apiKeyEnv: 'OPENAI_API_KEY',
      apiKey: null,
      batchPriceFactor: 0.5,
    },
  });
export type Providers = z.infer<typeof Providers>;

/** Every model entry names a provider that `providers` defines. */
export function checkModelProviders(
  config: { models: Record<string, ModelTier>; providers: Providers },
  ctx: z.RefinementCtx,
): void {
  for (const [tier, entries] of Object.entries(config.models)) {
    entries.forEach((entry, i) => {
      if (config.providers[entry.provider]) return;
      ctx.addIssue({
        code: 'custom',
        path: ['models', tier, i, 'provider'],
        message: `names provider '${entry.provider}', which providers does not define (${Object.keys(config.providers).join(', ') || 'none'})`,
      });
    });
  }
}

/**
 * What an agent needs that the model may lack (structured outputs always, tool calls when it has tools);
 * null when the model can serve it.
 */
export function missingCapability(
  entry: Pick<ModelEntry, 'capabilities'>,
  agent: { tools: readonly unknown[] },
): string | null {
  if (!entry.capabilities.structuredOutputs) return 'structuredOutputs';
  if (agent.tools.length > 0 && !entry.capabilities.tools) return 'tools';
  return null;
}
