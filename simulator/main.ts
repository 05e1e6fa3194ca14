/** `npm run simulator`: the offline simulator on its own, at the address in config (`simulator.*`). */
import { ConfigError, createLogger, loadConfig } from '../config';
import { startSimulator } from '.';

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config, { process: 'simulator' });
  const { host, port, latencyMs, faults, retiredModels } = config.simulator;
  const simulator = await startSimulator({ host, port, latencyMs, faults, retiredModels, logger });
  logger.info({ url: simulator.url, latencyMs, faults, retiredModels }, 'docket simulator listening');

  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal, ...simulator.stats() }, 'docket simulator stopping');
    void simulator.close();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(
    `${err instanceof ConfigError ? err.message : String((err as Error)?.stack ?? err)}\n`,
  );
  process.exitCode = 1;
});
