import { KeyObject } from 'node:crypto';
import { z } from 'zod';
import { AGENT_TIERS, DocketEventType, SlaAction } from '../domain';
import { PseudonymizeSettings } from '../pseudonymize/settings';
import { checkModelProviders, ModelTier, Providers } from './models';

/** Model tier aliases: agents name a tier, never a model. */
export const TierName = z.enum(AGENT_TIERS);
export type TierName = z.infer<typeof TierName>;

/**
 * When a call climbs to a rung: any one rule that holds. The workflow evaluates them from what it already has
 * (workflows/cascade.ts): the item's urgency and the document's length before the first call, the rung
 * below's gate result and output after each call.
 */
const ClimbRules = z
  .object({
    /** The rung below answered with a confidence under the agent's threshold. */
    lowConfidence: z.literal(true).optional(),
    /**
     * The rung below gave no usable answer (schema invalid after its repair turn, a refusal, rounds
     * exhausted, cut off), or its output failed a deterministic check (a required tool not called, an
     * answer the checks contradict).
     */
    failedCheck: z.literal(true).optional(),
    /** A mandatory check raised a policy reason (legal intake: a conflict hit, a near deadline, a check incomplete). */
    policy: z.literal(true).optional(),
    /** The item's urgency is one of these. */
    urgency: z.array(z.string().min(1)).min(1).optional(),
    /** The document is longer than this many tokens (o200k, counted when the run reads its input). */
    documentTokensOver: z.number().int().positive().optional(),
    /** A field of the rung below's output has one of these values (the field must be one the agent produces). */
    output: z
      .record(z.string().min(1), z.array(z.union([z.string(), z.number(), z.boolean()])).min(1))
      .optional(),
  })
  .strict()
  .refine((rules) => Object.keys(rules).length > 0, 'names no rule');

/** One rung of an agent's cascade: a tier (its models in order) or one model (then its tier's later ones). */
const CascadeRung = z
  .object({
    tier: TierName.optional(),
    model: z.string().min(1).optional(),
    /** Sent as `reasoning_effort` to the rung's models that take it, in place of their own. */
    reasoningEffort: z.enum(['low', 'medium', 'high']).optional(),
    /** In place of the models' own `maxOutputTokens`. */
    maxOutputTokens: z.number().int().positive().optional(),
    /** Absent on the first rung (every call starts there); required on every rung above it. */
    when: ClimbRules.optional(),
  })
  .strict()
  .refine((rung) => (rung.tier === undefined) !== (rung.model === undefined), 'names a tier or a model: one');
export type CascadeRungConfig = z.infer<typeof CascadeRung>;

const AgentSettings = z
  .object({
    /** Outputs below this confidence go to a human reviewer. */
    confidenceThreshold: z.number().min(0).max(1),
    /** For agents with tools: model turns allowed before the loop gives up and escalates. */
    maxToolRounds: z.number().int().min(1).max(20).optional(),
    /**
     * The agent's rungs, cheapest first: a call starts on the first and climbs only when a later rung's
     * `when` holds. Absent: every call on the agent's own tier.
     */
    cascade: z.array(CascadeRung).min(1).max(5).optional(),
  })
  .strict();

/** A workflow type's REST name in a key's `types`; whether it is registered, the API checks at start. */
export const API_KEY_TYPE_PATTERN = /^[a-z][a-z0-9-]*$/;

const ApiKeyEntry = z
  .object({
    name: z.string().min(1),
    role: z.enum(['operator', 'reviewer', 'auditor', 'engineer', 'admin']),
    /** Hex SHA-256 of the key; the key itself never lives in config. */
    sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be a lowercase hex SHA-256'),
    /**
     * The workflow types (REST names) the key is limited to; absent, every type. A run of another type is,
     * to this key, a run that does not exist.
     */
    types: z
      .array(z.string().regex(API_KEY_TYPE_PATTERN, 'must be a workflow type REST name like legal-intake'))
      .min(1, 'must name at least one workflow type (leave types out for all)')
      .optional(),
  })
  .strict();

const DURATION_UNITS_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** A duration as config writes it: `500ms`, `90s`, `15m`, `24h`, `2d`. */
export const Duration = z
  .string()
  // abort: the refine below must not see a string the pattern refused.
  .regex(/^\d+(\.\d+)?(ms|s|m|h|d)$/, { message: 'must be a duration like 90s, 15m, 24h or 2d', abort: true })
  .refine((text) => durationMs(text) > 0, 'must be longer than 0');

/** Milliseconds in a duration that `Duration` accepted. */
export function durationMs(text: string): number {
  const [, amount, unit] = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(text) ?? [];
  if (!unit) throw new RangeError(`not a duration: ${text}`);
  return Math.round(Number(amount) * DURATION_UNITS_MS[unit as keyof typeof DURATION_UNITS_MS]);
}

/** Where a metrics endpoint listens: `host:port` (`0.0.0.0:9464` for every interface, `[::1]:9464`). */
const BindAddress = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, 'must be host:port, like 127.0.0.1:9464');

const WhenCheckIncomplete = z.enum(['escalate', 'proceed']);

/** A web origin: scheme, host and port, no path. */
const Origin = z
  .string()
  .regex(/^https?:\/\/[^/\s]+$/, 'must be an origin like http://localhost:8233 (no path, no trailing slash)');

const EncryptionKey = z
  .object({
    id: z.string().min(1),
    /** A secret KeyObject: key material never prints. */
    key: z.custom<KeyObject>(
      (value) => value instanceof KeyObject && value.type === 'secret',
      'must be a secret key',
    ),
  })
  .strict();

const Webhook = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    /** Signs every delivery (HMAC-SHA256); shared with the receiver, never logged. */
    secret: z.string().min(16, 'must be at least 16 characters'),
    /** The event types this receiver is sent. */
    events: z.array(DocketEventType).nonempty(),
  })
  .strict();

export const FaultPlan = z
  .object({
    /** Probability in [0,1] that a request fails with each fault, drawn from a seeded generator. */
    rate429: z.number().min(0).max(1).default(0),
    rate500: z.number().min(0).max(1).default(0),
    rateTimeout: z.number().min(0).max(1).default(0),
    rateMalformed: z.number().min(0).max(1).default(0),
    retryAfterMs: z.number().int().nonnegative().default(1000),
    seed: z.number().int().default(1),
  })
  .strict();
export type FaultPlan = z.infer<typeof FaultPlan>;

/** How a tier's model calls are spread over time; absent keys: no limit. */
const TierRateLimit = z
  .object({
    /**
     * Model calls per second the Temporal server hands out on the tier's task queue, to every worker
     * together (the workers' `maxTaskQueueActivitiesPerSecond`): the provider's requests per minute ÷ 60.
     */
    callsPerSecond: z.number().positive().optional(),
    /** Model calls of the tier one worker process runs at once. Default 100. */
    concurrentCallsPerWorker: z.number().int().min(1).optional(),
    /**
     * Tokens the tier may use per minute, every worker together (counted in Docket's database): a call
     * reserves its prompt and its answer's allowance (`maxOutputTokens`) as providers count them, and waits
     * for the next minute when the budget is spent.
     */
    tokensPerMinute: z.number().int().positive().optional(),
  })
  .strict();
export type TierRateLimit = z.infer<typeof TierRateLimit>;

/** The task queue a tier's model calls run on: the workflow's task queue with the tier appended. */
export function modelTaskQueue(taskQueue: string, tier: TierName): string {
  return `${taskQueue}-model-${tier}`;
}

/** The model task queue of each tier, by tier. */
export function modelTaskQueues(
  taskQueue: string,
  tiers: readonly TierName[],
): Partial<Record<TierName, string>> {
  return Object.fromEntries(tiers.map((tier) => [tier, modelTaskQueue(taskQueue, tier)]));
}

/** TLS to Temporal with files of one's own: a private CA, a server name to check, a client pair (mTLS). */
const TemporalTlsFiles = z
  .object({
    /** The name the server's certificate must carry, when it is not the host of `temporal.address`. */
    serverNameOverride: z.string().min(1).optional(),
    /** PEM file of the CA that signed the server's certificate; default: the system's trusted CAs. */
    serverRootCACertPath: z.string().min(1).optional(),
    /** PEM files of the client certificate and its private key, for mTLS (Temporal Cloud, a cluster's mTLS). */
    clientCertPath: z.string().min(1).optional(),
    clientKeyPath: z.string().min(1).optional(),
  })
  .strict()
  .refine((tls) => (tls.clientCertPath === undefined) === (tls.clientKeyPath === undefined), {
    message: 'clientCertPath and clientKeyPath go together (a client certificate needs its key)',
    path: ['clientKeyPath'],
  });

/**
 * How the worker and the API reach Temporal: null (the default) uses TLS exactly when an API key is set;
 * `true` TLS with the system's CAs, `false` a plain connection, an object TLS with the files it names.
 */
export const TemporalTls = z
  .union([z.boolean(), TemporalTlsFiles], {
    error:
      'must be true, false, null or { serverNameOverride?, serverRootCACertPath?, clientCertPath?, clientKeyPath? }',
  })
  .nullable();
export type TemporalTls = z.infer<typeof TemporalTls>;

export const DocketConfig = z
  .object({
    temporal: z
      .object({
        address: z.string().min(1),
        namespace: z.string().min(1),
        taskQueue: z.string().min(1),
        /** Where `npm start` keeps the embedded dev server's SQLite file. */
        devServerDbFile: z.string().min(1),
        uiPort: z.number().int().min(1).max(65535),
        tls: TemporalTls.default(null),
        /**
         * Temporal Cloud's (or a cluster's) API key, sent as `Authorization: Bearer`; from TEMPORAL_API_KEY
         * only, never from the file.
         */
        apiKey: z.string().min(1).nullable().default(null),
      })
      .strict(),
    provider: z
      .object({
        /**
         * Where the `openai` providers (`providers.<name>.kind: openai` without a baseURL of their own) send
         * requests: any OpenAI-compatible server (OPENAI_BASE_URL); null means api.openai.com.
         */
        baseURL: z.url().nullable(),
        /** From OPENAI_API_KEY only, never from the file. Without it Docket runs against its offline simulator. */
        apiKey: z.string().min(1).nullable(),
        /** Per-request timeout of every provider's client. */
        timeoutMs: z.number().int().positive(),
      })
      .strict(),
    /** Who serves the models: OpenAI, Azure OpenAI, OpenAI-compatible servers; default `openai` alone. */
    providers: Providers,
    /** Per tier, the pinned models the gateway tries in order. */
    models: z.record(TierName, ModelTier),
    /**
     * Settings of a registered workflow type's agents, by the type's REST name and the agent's name (legal
     * intake's are `agents` above). A key that names no registered type or agent stops the API at start.
     */
    workflows: z
      .record(z.string(), z.object({ agents: z.record(z.string(), AgentSettings).default({}) }).strict())
      .default({}),
    agents: z
      .object({
        classifier: AgentSettings,
        reasoner: AgentSettings.extend({ maxToolRounds: z.number().int().min(1).max(20) }),
        drafter: AgentSettings,
      })
      .strict(),
    modelCalls: z
      .object({
        /**
         * How long a stage keeps retrying a provider that fails with something retryable (429, 5xx,
         * timeouts, connection errors), honouring retry-after; then a person decides the stage
         * (`provider_unavailable`) instead of the workflow failing.
         */
        giveUpAfter: Duration.default('6h'),
        /** The longest wait between two attempts (the backoff doubles from 2 s up to this). */
        maximumBackoff: Duration.default('5m'),
        /**
         * The batch lane: model calls sent through the provider's Batch API at its discount
         * (`providers.<name>.batchPriceFactor`), the workflow waiting durably for the answer.
         */
        batch: z
          .object({
            /**
             * A stage whose review may wait at least this long (its `review.sla`, with the item's urgency when
             * it is known) sends its calls through the batch lane. null: only runs started in the batch lane
             * (`POST /v1/workflows/<type>?lane=batch`, `npm run submit -- --batch`).
             */
            whenReviewSlaAtLeast: Duration.nullable().default(null),
            /** How often the workflow asks whether a batch is done (a timer: no worker slot is held). */
            pollEvery: Duration.default('1m'),
            /** A batch not done by then is abandoned, and the call made on the normal lane. */
            giveUpAfter: Duration.default('24h'),
          })
          .strict()
          .default({ whenReviewSlaAtLeast: null, pollEvery: '1m', giveUpAfter: '24h' }),
      })
      .strict()
      .default({
        giveUpAfter: '6h',
        maximumBackoff: '5m',
        batch: { whenReviewSlaAtLeast: null, pollEvery: '1m', giveUpAfter: '24h' },
      }),
    /** Per tier: the call rate across all workers, calls per worker, tokens per minute (`TierRateLimit`). */
    rateLimits: z.partialRecord(TierName, TierRateLimit).default({}),
    budget: z
      .object({
        /**
         * USD a workflow may spend on models; a call that would cross it goes to a person first
         * (`budget_exceeded`). null: no budget.
         */
        perWorkflowUsd: z.number().positive().nullable().default(null),
      })
      .strict()
      .default({ perWorkflowUsd: null }),
    review: z
      .object({
        /**
         * When a review is due, by key: `default`, an urgency (`critical`), a stage (`reason`) or both
         * (`reason.critical`); the most specific key wins. Past it the review is overdue.
         */
        sla: z
          .record(
            z
              .string()
              .regex(/^(default|[a-z_]+(\.[a-z_]+)?)$/, 'default, <urgency>, <stage> or <stage>.<urgency>'),
            Duration,
          )
          .refine((sla) => 'default' in sla, 'needs a default'),
        /** How long after the due time `escalateAction` is taken; null: never. */
        escalateAfter: Duration.nullable(),
        escalateAction: SlaAction,
      })
      .strict(),
    policy: z
      .object({
        /** A limitation period ending within this many days always goes to a reviewer. */
        limitationWarningDays: z.number().int().nonnegative(),
        /** What the gate does when a mandatory check lacked input (`check_incomplete`). */
        whenCheckIncomplete: z
          .object({ conflicts: WhenCheckIncomplete, limitation: WhenCheckIncomplete })
          .strict(),
      })
      .strict(),
    worker: z
      .object({
        /**
         * Workflows kept in the worker's memory between tasks. Evicted ones replay from history when they
         * next have work; it bounds memory when thousands of reviews wait.
         */
        maxCachedWorkflows: z.number().int().min(0).default(500),
        /**
         * The most an activity's input or result may weigh as JSON; over it the call fails for good
         * (PayloadTooLarge) rather than Temporal refusing the payload on every retry (its limit is 2 MB).
         */
        maxPayloadBytes: z.number().int().min(1024).max(2_000_000).default(262_144),
      })
      .strict()
      .default({ maxCachedWorkflows: 500, maxPayloadBytes: 262_144 }),
    api: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
        bodyLimit: z.string().regex(/^\d+(b|kb|mb)$/, 'must look like 100kb'),
        keys: z.array(ApiKeyEntry),
        /**
         * Origins of the Temporal UIs allowed to call the codec endpoint from the browser (CORS); default:
         * the dev server's UI, `http://localhost:<temporal.uiPort>` and `http://127.0.0.1:<temporal.uiPort>`.
         */
        codecCorsOrigins: z.array(Origin).optional(),
        /**
         * Development only: the codec endpoint answers the dev server's own UI (a browser on this machine,
         * at `http://localhost:<temporal.uiPort>` or `http://127.0.0.1:<temporal.uiPort>`, calling from
         * loopback) without a sign-in. `npm start` turns it on while it encrypts with the development key it
         * keeps in `.data/`; with configured keys it stays off and the UI signs in (docs/data-handling.md,
         * "Reading payloads: the codec endpoint").
         */
        codecTrustsLocalUi: z.boolean().default(false),
        /** Largest body `/codec/encode` and `/codec/decode` take: a batch of payloads of up to 2 MB each. */
        codecBodyLimit: z
          .string()
          .regex(/^\d+(b|kb|mb)$/, 'must look like 4mb')
          .default('4mb'),
      })
      .strict(),
    database: z
      .object({
        /** PostgreSQL connection string; null means the embedded PGlite below. */
        url: z.string().min(1).nullable(),
        embeddedDataDir: z.string().min(1),
        embeddedPort: z.number().int().min(0).max(65535),
      })
      .strict(),
    simulator: z
      .object({
        host: z.string().min(1),
        port: z.number().int().min(0).max(65535),
        latencyMs: z.number().int().nonnegative(),
        faults: FaultPlan,
        /** Models it answers 404 `model_not_found` for, as OpenAI does once a model is retired. */
        retiredModels: z.array(z.string().min(1)).default([]),
      })
      .strict(),
    notifications: z
      .object({
        webhooks: z.array(Webhook).default([]),
      })
      .strict()
      .default({ webhooks: [] }),
    pseudonymization: z
      .object({
        /** Country of phone numbers written without a country code (ISO 3166-1 alpha-2). */
        defaultCountry: z
          .string()
          .regex(/^[A-Z]{2}$/, 'a two-letter country code such as US')
          .default('US'),
        /**
         * Per workflow type (`legal-intake`): the categories replaced (all when absent) and patterns of its
         * own. Whatever a setting leaves out reaches the model in clear: switch a category off knowingly.
         */
        workflows: z.record(z.string(), PseudonymizeSettings).default({}),
      })
      .strict()
      .default({ defaultCountry: 'US', workflows: {} }),
    encryption: z
      .object({
        /**
         * The payload codec's keys, from DOCKET_ENCRYPTION_KEYS only (`keyId:base64key,...`), never from the
         * file: the first encrypts, all decrypt, so a new key goes first and old ones stay until nothing
         * they sealed is read any more.
         */
        keys: z.array(EncryptionKey).default([]),
      })
      .strict()
      .default({ keys: [] }),
    metrics: z
      .object({
        /** Each worker process serves two Prometheus endpoints (`GET /metrics`); null switches one off. */
        worker: z
          .object({
            /**
             * The Temporal SDK's own runtime metrics (`temporal_*`: polls, task latencies, slots,
             * workflow completions), exported by the SDK core. Default `127.0.0.1:9464`.
             */
            temporalBindAddress: BindAddress.nullable().default('127.0.0.1:9464'),
            /** Docket's worker metrics (`docket_model_*`, gates, workflow ends) and Node process metrics. Default `127.0.0.1:9465`. */
            docketBindAddress: BindAddress.nullable().default('127.0.0.1:9465'),
          })
          .strict()
          .default({ temporalBindAddress: '127.0.0.1:9464', docketBindAddress: '127.0.0.1:9465' }),
        api: z
          .object({
            /** `GET /metrics` on the API's own port, without a key (scrapers have none): keep it off the internet. */
            enabled: z.boolean().default(true),
          })
          .strict()
          .default({ enabled: true }),
      })
      .strict()
      .default({
        worker: { temporalBindAddress: '127.0.0.1:9464', docketBindAddress: '127.0.0.1:9465' },
        api: { enabled: true },
      }),
    logging: z
      .object({
        level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
      })
      .strict(),
  })
  .strict()
  .superRefine(checkModelProviders);

export type DocketConfig = z.infer<typeof DocketConfig>;
export type ApiKeyEntry = z.infer<typeof ApiKeyEntry>;
export type ApiRole = ApiKeyEntry['role'];
export type EncryptionKeyEntry = z.infer<typeof EncryptionKey>;
export type { ModelEntry, ModelTier, Provider } from './models';
export type Webhook = z.infer<typeof Webhook>;
