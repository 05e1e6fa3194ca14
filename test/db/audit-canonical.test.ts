import { createHash } from 'node:crypto';
import { GENESIS_HASH, auditHash, canonicalJson, toAuditJson } from '../../audit';

describe('canonical JSON of an audit row', () => {
  it('sorts keys at every depth and leaves out all whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: null, y: true }], c: 'x' } })).toBe(
      '{"a":{"c":"x","d":[3,{"y":true,"z":null}]},"b":1}',
    );
  });

  it('does not depend on the order keys were written in', () => {
    const one = { workflow: 'w', data: { tokens: { input: 10, output: 2 }, agent: 'classifier' } };
    const other = { data: { agent: 'classifier', tokens: { output: 2, input: 10 } }, workflow: 'w' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('depends on every value, on array order and on types', () => {
    const base = canonicalJson({ a: [1, 2], b: 'x' });
    expect(canonicalJson({ a: [2, 1], b: 'x' })).not.toBe(base);
    expect(canonicalJson({ a: [1, 2], b: 'y' })).not.toBe(base);
    expect(canonicalJson({ a: ['1', 2], b: 'x' })).not.toBe(base);
    expect(canonicalJson({ a: [1, 2], b: 'x', c: null })).not.toBe(base);
  });

  it('writes numbers in their shortest round-trip form, whatever way they were written', () => {
    expect(canonicalJson([1.0, 1, -0, 0.1 + 0.2, 1e21, 1.5e-7, 123456789012345680000])).toBe(
      '[1,1,0,0.30000000000000004,1e+21,1.5e-7,123456789012345680000]',
    );
    expect(canonicalJson(JSON.parse('[1.0, 100e-2, 10E-1]'))).toBe('[1,1,1]');
  });

  it('escapes strings as JSON does and sorts keys by UTF-16 code units', () => {
    expect(canonicalJson({ é: 1, z: 2, Z: 3, '"q"': 'line\nbreak\ttab \u2028 ☃ 😀' })).toBe(
      '{"\\"q\\"":"line\\nbreak\\ttab \u2028 ☃ 😀","Z":3,"z":2,"é":1}',
    );
  });

  it('refuses what is not JSON instead of dropping it', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/\$\.a is a undefined/);
    expect(() => canonicalJson({ a: NaN })).toThrow(/not a JSON number/);
    expect(() => canonicalJson({ a: Infinity })).toThrow(/not a JSON number/);
    expect(() => canonicalJson({ a: 1n })).toThrow(/bigint/);
    expect(() => canonicalJson({ at: new Date(0) })).toThrow(/Date instance/);
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => canonicalJson(cycle)).toThrow(/refers back/);
  });

  it('stores values as JSON and makes every string storable in jsonb', () => {
    expect(
      toAuditJson({ a: undefined, at: new Date(0), n: NaN, s: 'nul\u0000 lone\ud800', list: [undefined] }),
    ).toEqual({
      at: '1970-01-01T00:00:00.000Z',
      n: null,
      s: 'nul\uFFFD lone\uFFFD',
      list: [null],
    });
    expect(toAuditJson({ emoji: '😀' })).toEqual({ emoji: '😀' });
  });

  it('hashes a row as sha256(prev_hash || canonical JSON of the row without its hash)', () => {
    const row = {
      seq: 1,
      workflowId: 'legal-intake-x',
      actionId: 'run:callModel:1',
      kind: 'model_call' as const,
      at: '2026-05-04T09:15:02.123456Z',
      data: { b: 2, a: 1 },
      prevHash: GENESIS_HASH,
    };
    const text =
      GENESIS_HASH +
      '{"action_id":"run:callModel:1","at":"2026-05-04T09:15:02.123456Z","data":{"a":1,"b":2},' +
      `"kind":"model_call","prev_hash":"${GENESIS_HASH}","seq":1,"workflow_id":"legal-intake-x"}`;
    expect(auditHash(row)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    expect(auditHash({ ...row, data: { a: 1, b: 3 } })).not.toBe(auditHash(row));
    expect(auditHash({ ...row, seq: 2 })).not.toBe(auditHash(row));
  });
});
