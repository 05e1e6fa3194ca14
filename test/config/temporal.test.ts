import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, temporalConnectionOptions } from '../../config';
import { configErrorOf, shipped, withFile } from './support';

const API_KEY = 'temporal-cloud-key-0123456789abcdef';

/** PEM-looking files in a fresh folder; the connection options carry their bytes. */
function pemFiles(): Record<'ca' | 'crt' | 'key', string> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'docket-tls-'));
  const files = {
    ca: path.join(dir, 'ca.pem'),
    crt: path.join(dir, 'client.pem'),
    key: path.join(dir, 'client.key'),
  };
  for (const [name, file] of Object.entries(files))
    writeFileSync(file, `-----BEGIN ${name.toUpperCase()}-----\n`);
  return files;
}

function withTemporal(temporal: Record<string, unknown>): string {
  return withFile({ ...shipped, temporal: { ...shipped.temporal, ...temporal } });
}

describe('the connection to Temporal', () => {
  it('is plain and keyless by default, as the dev server wants', () => {
    const config = loadConfig({ file: withFile(shipped), env: {} });
    expect(config.temporal).toMatchObject({ tls: null, apiKey: null });
    expect(temporalConnectionOptions(config.temporal)).toEqual({ address: '127.0.0.1:7233' });
  });

  it('takes the API key from TEMPORAL_API_KEY and then uses TLS, as Temporal Cloud needs', () => {
    const config = loadConfig({
      file: withFile(shipped),
      env: {
        TEMPORAL_ADDRESS: 'docket.a1b2c.tmprl.cloud:7233',
        TEMPORAL_NAMESPACE: 'docket.a1b2c',
        TEMPORAL_API_KEY: API_KEY,
      },
    });
    expect(temporalConnectionOptions(config.temporal)).toEqual({
      address: 'docket.a1b2c.tmprl.cloud:7233',
      apiKey: API_KEY,
      tls: true,
    });
  });

  it('keeps TLS off with an API key when the config says tls: false', () => {
    const config = loadConfig({ file: withTemporal({ tls: false }), env: { TEMPORAL_API_KEY: API_KEY } });
    expect(temporalConnectionOptions(config.temporal)).toMatchObject({ apiKey: API_KEY, tls: false });
  });

  it('refuses an API key in the config file, naming the key and the variable, never the key', () => {
    const error = configErrorOf(() => loadConfig({ file: withTemporal({ apiKey: API_KEY }), env: {} }));
    expect(error.message).toMatch(/temporal\.apiKey/);
    expect(error.message).toMatch(/TEMPORAL_API_KEY/);
    expect(error.message).not.toContain(API_KEY);
  });

  it('reads the CA, the server name and the client pair (mTLS) from the files the config names', () => {
    const files = pemFiles();
    const config = loadConfig({
      file: withTemporal({
        tls: {
          serverNameOverride: 'temporal.internal',
          serverRootCACertPath: files.ca,
          clientCertPath: files.crt,
          clientKeyPath: files.key,
        },
      }),
      env: {},
    });
    const { tls } = temporalConnectionOptions(config.temporal);
    expect(tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertificate: Buffer.from('-----BEGIN CA-----\n'),
      clientCertPair: {
        crt: Buffer.from('-----BEGIN CRT-----\n'),
        key: Buffer.from('-----BEGIN KEY-----\n'),
      },
    });
  });

  it("takes TLS settings from Temporal's environment variables", () => {
    const files = pemFiles();
    const config = loadConfig({
      file: withFile(shipped),
      env: {
        TEMPORAL_TLS: 'true',
        TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
        TEMPORAL_TLS_SERVER_CA_CERT_PATH: files.ca,
        TEMPORAL_TLS_CLIENT_CERT_PATH: files.crt,
        TEMPORAL_TLS_CLIENT_KEY_PATH: files.key,
      },
    });
    expect(config.temporal.tls).toEqual({
      serverNameOverride: 'temporal.internal',
      serverRootCACertPath: files.ca,
      clientCertPath: files.crt,
      clientKeyPath: files.key,
    });
    expect(loadConfig({ file: withFile(shipped), env: { TEMPORAL_TLS: 'true' } }).temporal.tls).toBe(true);
  });

  it('names the key of a bad TLS setting', () => {
    expect(configErrorOf(() => loadConfig({ file: withTemporal({ tls: 'yes' }), env: {} })).message).toMatch(
      /temporal\.tls: must be true, false, null or/,
    );
    expect(
      configErrorOf(() =>
        loadConfig({ file: withTemporal({ tls: { clientCertPath: '/etc/docket/client.pem' } }), env: {} }),
      ).message,
    ).toMatch(/temporal\.tls\.clientKeyPath: clientCertPath and clientKeyPath go together/);
    expect(
      configErrorOf(() => loadConfig({ file: withTemporal({ tls: { caFile: '/etc/ca.pem' } }), env: {} }))
        .message,
    ).toMatch(/temporal\.tls.*caFile/);
    expect(
      configErrorOf(() => loadConfig({ file: withFile(shipped), env: { TEMPORAL_TLS: 'yes' } })).message,
    ).toMatch(/TEMPORAL_TLS must be true or false/);
  });

  it('names the key and the file when a certificate cannot be read', () => {
    const config = loadConfig({
      file: withTemporal({ tls: { serverRootCACertPath: '/nonexistent/ca.pem' } }),
      env: {},
    });
    expect(configErrorOf(() => temporalConnectionOptions(config.temporal)).message).toMatch(
      /temporal\.tls\.serverRootCACertPath: cannot read \/nonexistent\/ca\.pem \(ENOENT\)/,
    );
  });
});
