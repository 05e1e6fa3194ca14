import { readFileSync } from 'node:fs';
import { ConfigError } from './load';
import type { DocketConfig } from './schema';

/** What `Connection.connect` (client) and `NativeConnection.connect` (worker) both take from config. */
export interface TemporalConnectionOptions {
  address: string;
  tls?:
    | boolean
    | {
        serverNameOverride?: string;
        serverRootCACertificate?: Buffer;
        clientCertPair?: { crt: Buffer; key: Buffer };
      };
  apiKey?: string;
}

/**
 * The connection options of `temporal`: the address, TLS (the certificate files read now, so a missing
 * one stops the process at start naming its key) and the API key. With an API key and no `tls` setting
 * TLS is on, as Temporal Cloud needs; `tls: false` turns it off explicitly.
 */
export function temporalConnectionOptions(temporal: DocketConfig['temporal']): TemporalConnectionOptions {
  const options: TemporalConnectionOptions = { address: temporal.address };
  if (temporal.apiKey) options.apiKey = temporal.apiKey;
  const tls = temporal.tls ?? (temporal.apiKey ? true : null);
  if (tls === true || tls === false) options.tls = tls;
  else if (tls) {
    const { serverNameOverride, serverRootCACertPath, clientCertPath, clientKeyPath } = tls;
    options.tls = {
      ...(serverNameOverride ? { serverNameOverride } : {}),
      ...(serverRootCACertPath
        ? { serverRootCACertificate: readPem('serverRootCACertPath', serverRootCACertPath) }
        : {}),
      ...(clientCertPath && clientKeyPath
        ? {
            clientCertPair: {
              crt: readPem('clientCertPath', clientCertPath),
              key: readPem('clientKeyPath', clientKeyPath),
            },
          }
        : {}),
    };
  }
  return options;
}

function readPem(key: string, file: string): Buffer {
  try {
    return readFileSync(file);
  } catch (err) {
    throw new ConfigError(
      `temporal.tls.${key}: cannot read ${file} (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
    );
  }
}

/**
 * The dev server's UI as a browser on this machine opens it: the host of `temporal.address` (loopback for a
 * wildcard one) on `temporal.uiPort`. `npm start` prints it and the codec sign-in page links to it.
 */
export function devServerUiUrl(temporal: Pick<DocketConfig['temporal'], 'address' | 'uiPort'>): string {
  const host = temporal.address.slice(0, temporal.address.lastIndexOf(':'));
  return `http://${['0.0.0.0', '::', '[::]', ''].includes(host) ? '127.0.0.1' : host}:${temporal.uiPort}`;
}
