import { generateEncryptionKeyEntry } from '../../codec';
import { loadConfig } from '../../config';
import { configErrorOf, shipped, withFile } from './support';

describe('encryption keys in config', () => {
  const file = withFile(shipped);

  it('come from DOCKET_ENCRYPTION_KEYS, the first one encrypting', () => {
    const value = `${generateEncryptionKeyEntry('k2')},${generateEncryptionKeyEntry('k1')}`;
    const config = loadConfig({ file, env: { DOCKET_ENCRYPTION_KEYS: value } });
    expect(config.encryption.keys.map((k) => k.id)).toEqual(['k2', 'k1']);
    // The key material does not serialise: a config printed by mistake shows none of it.
    expect(JSON.stringify(config)).not.toContain(value.split(',')[0].split(':')[1]);
  });

  it('are empty without the variable (the worker and the API then refuse to start)', () => {
    expect(loadConfig({ file, env: {} }).encryption.keys).toEqual([]);
  });

  it('stop the process with an error naming the variable, never the key', () => {
    const bad = 'k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
    const err = configErrorOf(() => loadConfig({ file, env: { DOCKET_ENCRYPTION_KEYS: `${bad}==` } }));
    expect(err.message).toMatch(/^DOCKET_ENCRYPTION_KEYS entry 1 \(k1\): the key must be 32 bytes/);
    expect(err.message).not.toContain('AAAAAAAA');
  });

  it('are refused in the config file', () => {
    const withKeys = { ...shipped, encryption: { keys: [{ id: 'k1', key: 'anything' }] } };
    expect(configErrorOf(() => loadConfig({ file: withFile(withKeys), env: {} })).message).toMatch(
      /encryption\.keys .*come from DOCKET_ENCRYPTION_KEYS, never from the config file/,
    );
  });

  it('takes engineer API keys, for the codec endpoint', () => {
    const config = loadConfig({ file, env: { DOCKET_API_KEYS: 'eng:engineer:engineer-key-0123456789' } });
    expect(config.api.keys).toEqual([expect.objectContaining({ name: 'eng', role: 'engineer' })]);
  });

  it("defaults the codec's CORS origins to the dev UI and checks configured ones are origins", () => {
    expect(loadConfig({ file, env: {} }).api.codecCorsOrigins).toBeUndefined();
    const withPath = {
      ...shipped,
      api: { ...shipped.api, codecCorsOrigins: ['https://temporal.example.com/ui'] },
    };
    expect(configErrorOf(() => loadConfig({ file: withFile(withPath), env: {} })).message).toMatch(
      /api\.codecCorsOrigins\.0: must be an origin/,
    );
  });
});
