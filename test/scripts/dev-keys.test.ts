import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseApiKeysEnv } from '../../config';
import { devKeysEnv, loadOrCreateDevKeys } from '../../scripts/dev-keys';

describe('the development API keys npm start creates', () => {
  const file = () => path.join(mkdtempSync(path.join(os.tmpdir(), 'docket-keys-')), 'dev-api-keys.json');

  it('creates a key for every role, readable by the owner only, and keeps them on the next run', () => {
    const at = file();
    const first = loadOrCreateDevKeys(at);
    expect(first.created).toBe(true);
    expect(Object.keys(first.keys).sort()).toEqual([
      'admin',
      'auditor',
      'clinician',
      'engineer',
      'operator',
      'reviewer',
    ]);
    expect(statSync(at).mode & 0o777).toBe(0o600);
    expect(loadOrCreateDevKeys(at)).toEqual({ keys: first.keys, created: false, added: [] });
    expect(devKeysEnv(first.keys, ['legal-intake'])).toContain(`dev-admin:admin:${first.keys.admin}`);
  });

  it('limits the clinician, a reviewer, to clinical summaries, and leaves it out while that type is not registered', () => {
    const { keys } = loadOrCreateDevKeys(file());
    const entries = parseApiKeysEnv(devKeysEnv(keys, ['legal-intake', 'clinical-summary']));
    expect(entries.find((e) => e.name === 'dev-clinician')).toMatchObject({
      role: 'reviewer',
      types: ['clinical-summary'],
    });
    expect(entries.find((e) => e.name === 'dev-reviewer')?.types).toBeUndefined();
    const without = parseApiKeysEnv(devKeysEnv(keys, ['legal-intake']));
    expect(without.map((e) => e.name)).not.toContain('dev-clinician');
    expect(without).toHaveLength(5);
  });

  it('adds the roles a file from an earlier version lacks, keeping the keys it has', () => {
    const at = file();
    const earlier = { operator: 'dk_op_a', reviewer: 'dk_rv_b', engineer: 'dk_en_c', auditor: 'dk_au_d' };
    writeFileSync(at, JSON.stringify(earlier));
    const { keys, added } = loadOrCreateDevKeys(at);
    expect(added).toEqual(['admin', 'clinician']);
    expect(keys).toEqual({
      ...earlier,
      admin: expect.stringMatching(/^dk_ad_[0-9a-f]{40}$/),
      clinician: expect.stringMatching(/^dk_cl_[0-9a-f]{40}$/),
    });
    expect(JSON.parse(readFileSync(at, 'utf8'))).toEqual(keys);
  });
});
