import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, hashApiKey, loadConfig } from '../../config';

const shipped = JSON.parse(readFileSync(path.join(__dirname, '../../temporal.config.json'), 'utf8'));

function withFile(content: unknown): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'docket-config-')), 'config.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('loadConfig', () => {
  it('accepts the shipped temporal.config.json', () => {
    const config = loadConfig({ file: withFile(shipped), env: {} });
    expect(config.temporal.taskQueue).toBe('docket');
    expect(config.models.fast.model).toBe('gpt-4o-mini-2024-07-18');
    expect(config.models.reasoning.model).toBe('o1-2024-12-17');
    expect(config.models.drafting.model).toBe('gpt-4o-2024-08-06');
    expect(config.provider.apiKey).toBeNull();
  });

  it('lets environment variables override keys', () => {
    const config = loadConfig({
      file: withFile(shipped),
      env: {
        TEMPORAL_ADDRESS: 'temporal.internal:7233',
        TEMPORAL_NAMESPACE: 'docket-prod',
        OPENAI_API_KEY: 'sk-test-1234567890',
        OPENAI_BASE_URL: 'https://llm.internal/v1',
        DATABASE_URL: 'postgres://docket@db.internal/docket',
        PORT: '8080',
      },
    });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.namespace).toBe('docket-prod');
    expect(config.provider).toMatchObject({
      apiKey: 'sk-test-1234567890',
      baseURL: 'https://llm.internal/v1',
    });
    expect(config.database.url).toBe('postgres://docket@db.internal/docket');
    expect(config.api.port).toBe(8080);
  });

  it('names the key of a bad value', () => {
    const bad = structuredClone(shipped);
    bad.agents.classifier.confidenceThreshold = 1.5;
    expect(errorOf(() => loadConfig({ file: withFile(bad), env: {} })).message).toMatch(
      /agents\.classifier\.confidenceThreshold/,
    );
  });

  it('names the environment variable a bad value came from', () => {
    const message = errorOf(() => loadConfig({ file: withFile(shipped), env: { PORT: 'eighty' } })).message;
    expect(message).toMatch(/PORT/);
    const outOfRange = errorOf(() => loadConfig({ file: withFile(shipped), env: { PORT: '70000' } })).message;
    expect(outOfRange).toMatch(/api\.port \(from PORT\)/);
  });

  it('rejects a missing model tier and unknown keys', () => {
    const noTier = structuredClone(shipped);
    delete noTier.models.reasoning;
    expect(errorOf(() => loadConfig({ file: withFile(noTier), env: {} })).message).toMatch(
      /models\.reasoning/,
    );

    const typo = structuredClone(shipped);
    typo.review.slaHour = 4;
    expect(errorOf(() => loadConfig({ file: withFile(typo), env: {} })).message).toMatch(/slaHour/);
  });

  it('says which file cannot be read or parsed', () => {
    expect(errorOf(() => loadConfig({ file: '/nonexistent/docket.json', env: {} })).message).toMatch(
      /\/nonexistent\/docket\.json/,
    );
    expect(errorOf(() => loadConfig({ file: withFile('{ not json'), env: {} })).message).toMatch(
      /cannot read/,
    );
  });

  it('hashes DOCKET_API_KEYS and never repeats a key in an error', () => {
    const key = 'operator-key-0123456789';
    const config = loadConfig({
      file: withFile(shipped),
      env: { DOCKET_API_KEYS: `ops:operator:${key},rev:reviewer:reviewer-key-0123456789` },
    });
    expect(config.api.keys).toEqual([
      { name: 'ops', role: 'operator', sha256: hashApiKey(key) },
      { name: 'rev', role: 'reviewer', sha256: hashApiKey('reviewer-key-0123456789') },
    ]);

    const secret = 'admin-secret-0123456789';
    const message = errorOf(() =>
      loadConfig({ file: withFile(shipped), env: { DOCKET_API_KEYS: `root:admin:${secret}` } }),
    ).message;
    expect(message).toMatch(/DOCKET_API_KEYS entry 1/);
    expect(message).not.toContain(secret);
  });
});
