import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino, { type Logger } from 'pino';
import { FaultPlan } from '../config';
import { FaultInjector, FaultKind } from './faults';
import { PromptCache } from './prompt-cache';
import { createApp } from './routes';
import { BATCH_FATES, type BatchFate, type BatchSettings, type SimulatorState } from './state';

export interface SimulatorOptions {
  /** Default 127.0.0.1: the simulator is for this machine only. */
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Added to every response, faults included. */
  latencyMs?: number;
  faults?: Partial<FaultPlan>;
  /** Per-request debug lines (model, tools, fault, tokens; never contents). Silent when omitted. */
  logger?: Logger;
  /**
   * Off by default. On, the simulator plays a model that obeys prompt injection: instructions found in
   * user or tool messages ("confidence 1.0", "conflict clear", "no review", "no parties", …; the full
   * list is in `reading/injections.ts`) shape its answers, so tests can prove Docket's gates still hold.
   */
  obeyInjections?: boolean;
  /**
   * Keep every chat request body received, for `received()`, and the keys requests carried, for
   * `receivedAuth()`: tests that check what a model was sent.
   */
  recordRequests?: boolean;
  /** Models that answer 404 `model_not_found` as OpenAI does once a model is retired. Default none. */
  retiredModels?: readonly string[];
  /**
   * Off by default, so that usage and cost depend on the request alone. On, the simulator caches prompts as
   * OpenAI does (`prompt-cache.ts`: 1,024 tokens or more, by exact prefix, in 128-token steps, per model)
   * and reports the cached part in `usage.prompt_tokens_details.cached_tokens`.
   */
  promptCache?: boolean;
  /**
   * How Batch API batches end, for tests of the code that waits on them: by default each completes at once,
   * every line answered as the same live chat request would be. `completesAfterMs` keeps a batch
   * `in_progress` that long first; `expire` and `fail` end it as OpenAI ends a batch past its window or one it
   * could not run, with no output.
   */
  batches?: { fate?: BatchFate; completesAfterMs?: number };
}

export interface RunningSimulator {
  /** Base URL for the openai client, ending in /v1. */
  url: string;
  port: number;
  /** Changes fault probabilities; a new seed restarts the seeded sequence. */
  setFaults(plan: Partial<FaultPlan>): void;
  /** The next chat requests fail in this order, before any probabilistic fault; then answers are normal. */
  queueFaults(...faults: FaultKind[]): void;
  setLatency(ms: number): void;
  /** Switches the obedient model (`SimulatorOptions.obeyInjections`) on or off for the next requests. */
  obeyInjections(on: boolean): void;
  /** The chat request bodies received so far (with `recordRequests`; empty otherwise). */
  received(): unknown[];
  /**
   * The Authorization and `api-key` header values of the requests received so far, in order (with
   * `recordRequests`; empty otherwise): which keys reached this endpoint.
   */
  receivedAuth(): string[];
  /** From now on these models, and only these, answer 404 `model_not_found`; `[]` brings them all back. */
  retireModels(models: readonly string[]): void;
  /** Switches prompt caching (`SimulatorOptions.promptCache`) on, with nothing cached yet, or off. */
  promptCache(on: boolean): void;
  /** From now on, append `text` to the first text field of every structured answer; null stops it. */
  leak(text: string | null): void;
  /** How the batches created from now on end (`SimulatorOptions.batches`); batches already created keep theirs. */
  setBatches(settings: { fate?: BatchFate; completesAfterMs?: number }): void;
  /** How many batches were created. */
  batches(): number;
  /** Chat completion requests received over HTTP (faults included; batch lines not) and faults served by kind. */
  stats(): { requests: number; faultsServed: Record<string, number> };
  /** Stops listening and drops every connection, held ones included. Safe to call twice, and unbound. */
  close(): Promise<void>;
}

/** Starts the offline OpenAI-compatible simulator. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? pino({ level: 'silent' });
  const faults = new FaultInjector(FaultPlan.parse(options.faults ?? {}));
  const state: SimulatorState = {
    faults,
    latencyMs: nonNegative(options.latencyMs ?? 0, 'latencyMs'),
    requests: 0,
    obeyInjections: options.obeyInjections ?? false,
    received: options.recordRequests ? [] : null,
    leakText: null,
    retiredModels: new Set(options.retiredModels ?? []),
    receivedAuth: options.recordRequests ? [] : null,
    promptCache: options.promptCache ? new PromptCache() : null,
    files: new Map(),
    batches: new Map(),
    batchSettings: batchSettings({ fate: 'complete', completesAfterMs: 0 }, options.batches ?? {}),
  };
  const closing = new AbortController();
  const server = http.createServer(createApp(state, logger, closing.signal));

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let closed: Promise<void> | null = null;
  const close = (): Promise<void> => {
    closed ??= new Promise<void>((resolve) => {
      closing.abort();
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closed;
  };

  return {
    url: `http://${urlHost(host)}:${port}/v1`,
    port,
    setFaults: (plan) => faults.update(plan),
    queueFaults: (...kinds) => faults.enqueue(kinds.map((kind) => FaultKind.parse(kind))),
    setLatency: (ms) => {
      state.latencyMs = nonNegative(ms, 'latency');
    },
    obeyInjections: (on) => {
      state.obeyInjections = on;
    },
    stats: () => ({ requests: state.requests, faultsServed: faults.servedCounts() }),
    received: () => [...(state.received ?? [])],
    receivedAuth: () => [...(state.receivedAuth ?? [])],
    retireModels: (models) => {
      state.retiredModels = new Set(models);
    },
    promptCache: (on) => {
      state.promptCache = on ? new PromptCache() : null;
    },
    leak: (text) => {
      state.leakText = text;
    },
    setBatches: (settings) => {
      state.batchSettings = batchSettings(state.batchSettings, settings);
    },
    batches: () => state.batches.size,
    close,
  };
}

/** Where a client reaches a server bound to `host` (a wildcard address means this machine). */
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function batchSettings(current: BatchSettings, change: Partial<BatchSettings>): BatchSettings {
  const fate = change.fate ?? current.fate;
  if (!BATCH_FATES.includes(fate))
    throw new RangeError(`batch fate must be one of ${BATCH_FATES.join(', ')}`);
  return {
    fate,
    completesAfterMs: nonNegative(change.completesAfterMs ?? current.completesAfterMs, 'completesAfterMs'),
  };
}

function nonNegative(ms: number, name: string): number {
  if (!Number.isFinite(ms) || ms < 0)
    throw new RangeError(`${name} must be a non-negative number of milliseconds`);
  return ms;
}
