import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DOCKET_SEARCH_ATTRIBUTES } from '../workflows';
import { ensureTemporalCli } from './temporal-cli';

export interface DevServerOptions {
  ip?: string;
  /** Default: a free port. */
  port?: number;
  /** Serve the Temporal UI on this port; default: no UI. */
  uiPort?: number;
  /** The remote codec the UI decodes payloads with (`--ui-codec-endpoint`), e.g. `http://127.0.0.1:3000/codec`. */
  uiCodecEndpoint?: string;
  /** Persist to this SQLite file; default: in memory. */
  dbFilename?: string;
  namespace?: string;
}

export interface RunningDevServer {
  address: string;
  namespace: string;
  close(): Promise<void>;
}

/**
 * `temporal server start-dev` with Docket's search attributes registered, from the CLI the project
 * builds (or the SDK's download when there is no CLI and no Go). Used by `npm start` and the tests.
 */
export async function startTemporalDevServer(options: DevServerOptions = {}): Promise<RunningDevServer> {
  const cli = ensureTemporalCli();
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      ...(cli ? { executable: { type: 'existing-path' as const, path: cli } } : {}),
      ip: options.ip ?? '127.0.0.1',
      port: options.port,
      uiPort: options.uiPort,
      dbFilename: options.dbFilename,
      namespace: options.namespace ?? 'default',
      searchAttributes: DOCKET_SEARCH_ATTRIBUTES,
      extraArgs: options.uiCodecEndpoint ? ['--ui-codec-endpoint', options.uiCodecEndpoint] : [],
    },
  });
  return {
    address: env.address,
    namespace: env.namespace ?? options.namespace ?? 'default',
    close: () => env.teardown(),
  };
}
