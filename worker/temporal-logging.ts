import { Runtime, type LogLevel, type LogMetadata, type RuntimeOptions } from '@temporalio/worker';
import type { Logger } from '../config';

const PINO_LEVEL: Record<LogLevel, 'trace' | 'debug' | 'info' | 'warn' | 'error'> = {
  TRACE: 'trace',
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/**
 * SDK warnings that Docket's design makes normal: the model-call workers of each tier run activities only.
 * They are logged at debug, so that a warning in the worker's log is always worth reading.
 */
const EXPECTED = new Set(['No workflows registered, not polling for workflow tasks']);

/**
 * Sends the Temporal SDK's logs (worker, workflow `log`, activities, and the native core) through the
 * process's pino logger, so there is one JSON stream. Must run before the first connection or worker.
 * With `metricsBindAddress`, the SDK core also serves its runtime metrics (`temporal_*`) for Prometheus
 * at `http://<address>/metrics`; an address already in use is logged and the worker runs without them
 * (a worker that cannot be watched still does its work; Prometheus reports the target down).
 */
export function installTemporalLogging(
  logger: Logger,
  options: { metricsBindAddress?: string | null } = {},
): void {
  const temporal = logger.child({ component: 'temporal' });
  const write = (level: LogLevel, message: string, meta?: LogMetadata) =>
    temporal[EXPECTED.has(message) ? 'debug' : PINO_LEVEL[level]](meta ?? {}, message);
  const runtimeOptions: RuntimeOptions = {
    logger: {
      log: write,
      trace: (message, meta) => write('TRACE', message, meta),
      debug: (message, meta) => write('DEBUG', message, meta),
      info: (message, meta) => write('INFO', message, meta),
      warn: (message, meta) => write('WARN', message, meta),
      error: (message, meta) => write('ERROR', message, meta),
    },
    telemetryOptions: { logging: { filter: { core: 'WARN', other: 'ERROR' }, forward: {} } },
  };
  const bindAddress = options.metricsBindAddress;
  if (!bindAddress) {
    Runtime.install(runtimeOptions);
    return;
  }
  try {
    Runtime.install({
      ...runtimeOptions,
      telemetryOptions: { ...runtimeOptions.telemetryOptions, metrics: { prometheus: { bindAddress } } },
    });
  } catch (err) {
    if (!/prometheus/i.test(String(err))) throw err;
    logger.error(
      { err, key: 'metrics.worker.temporalBindAddress', bindAddress },
      'cannot serve the Temporal SDK metrics; running without them',
    );
    Runtime.install(runtimeOptions);
  }
}
