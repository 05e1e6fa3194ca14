import pino, { type Logger } from 'pino';
import type { DocketConfig } from './schema';

export type { Logger };

/** Paths pino blanks out: keys and credentials never reach a log line. */
export const REDACTED_PATHS = [
  'apiKey',
  '*.apiKey',
  'provider.apiKey',
  'config.provider.apiKey',
  'providers.*.apiKey',
  'config.providers.*.apiKey',
  'authorization',
  'req.headers.authorization',
  'headers.authorization',
  'headers["api-key"]',
  'key',
  '*.key',
  'secret',
  '*.secret',
  'webhooks[*].secret',
  'notifications.webhooks[*].secret',
  'config.notifications.webhooks[*].secret',
  // KeyObjects print no key material, but a key set has no business in a log line either.
  'encryption.keys',
  'config.encryption.keys',
];

/** The one root logger of a process: JSON lines, secrets redacted; children add workflowId, activity, agent. */
export function createLogger(
  config: Pick<DocketConfig, 'logging'>,
  bindings: Record<string, unknown> = {},
  /** Fields added to every line from ambient context (the worker adds the running activity's workflow id). */
  mixin?: () => Record<string, unknown>,
): Logger {
  return pino({
    level: config.logging.level,
    base: { ...bindings },
    ...(mixin ? { mixin } : {}),
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
