import { Sealer, UnsealError, generateEncryptionKeyEntry, parseEncryptionKeys } from '../../codec';

describe('sealing what Docket stores itself', () => {
  const [oldKey, newKey] = [generateEncryptionKeyEntry('old-1'), generateEncryptionKeyEntry('new-2')];

  it('stores ciphertext under the first key and opens it again', () => {
    const sealer = new Sealer(parseEncryptionKeys(oldKey));
    const sealed = sealer.seal('Dana Whitfield, 536-22-8841', 'intake:wf-1');
    expect(sealed).toMatch(/^sealed\.v1\.old-1\./);
    expect(sealed).not.toContain('Whitfield');
    expect(sealer.open(sealed, 'intake:wf-1')).toBe('Dana Whitfield, 536-22-8841');
    // A fresh IV each time: the same value never seals the same way twice.
    expect(sealer.seal('x', 'intake:wf-1')).not.toBe(sealer.seal('x', 'intake:wf-1'));
  });

  it('rotates: a new first key seals, the old one still opens what it sealed', () => {
    const before = new Sealer(parseEncryptionKeys(oldKey)).sealJson({ a: 1 }, 'mapping:wf-2');
    const rotated = new Sealer(parseEncryptionKeys(`${newKey},${oldKey}`));
    expect(rotated.openJson(before, 'mapping:wf-2')).toEqual({ a: 1 });
    expect(rotated.seal('y', 'mapping:wf-2')).toMatch(/^sealed\.v1\.new-2\./);
    expect(() => new Sealer(parseEncryptionKeys(newKey)).open(before, 'mapping:wf-2')).toThrow(
      /key id 'old-1', which is not among the configured keys/,
    );
  });

  it('refuses a value moved to another row, relabelled or altered, naming no content', () => {
    const sealer = new Sealer(parseEncryptionKeys(`${oldKey},${newKey}`));
    const sealed = sealer.seal('secret text', 'intake:wf-3');
    expect(() => sealer.open(sealed, 'intake:wf-4')).toThrow(UnsealError);
    expect(() => sealer.open(sealed.replace('.old-1.', '.new-2.'), 'intake:wf-3')).toThrow(
      /does not authenticate/,
    );
    const body = Buffer.from(sealed.split('.')[3], 'base64');
    body[body.length - 1] ^= 1;
    const altered = `sealed.v1.old-1.${body.toString('base64')}`;
    expect(() => sealer.open(altered, 'intake:wf-3')).toThrow(UnsealError);
    expect(() => sealer.open('plain text', 'intake:wf-3')).toThrow(/not in the sealed.v1 form/);
    try {
      sealer.open(altered, 'intake:wf-3');
    } catch (err) {
      expect(String(err)).not.toContain('secret');
    }
  });
});
