/** A body field its schema marks as one identifier becomes one token, whatever it looks like. */
import { z } from 'zod';
import { pseudonymizeValue, type JsonSchemaLike } from '../../personal-data';
import { emptyMapping } from '../../pseudonymize';

const Body = z.object({
  patient: z.object({ mrn: z.string().meta({ pii: 'ID' }) }),
  note: z.string(),
  kind: z.enum(['referral', 'other']),
});
const schema = z.toJSONSchema(Body, { io: 'input' }) as JsonSchemaLike;

describe('identifier fields', () => {
  it('replaces a bare record number no detector would recognise, and its mention in the text, with one token', () => {
    const { value, mapping } = pseudonymizeValue(
      { patient: { mrn: '00417733' }, note: 'Seen today. MRN: 00417733.', kind: 'referral' as const },
      { mapping: emptyMapping() },
      schema,
    );
    expect(value.patient.mrn).toMatch(/^\[ID_\d+\]$/);
    expect(value.note).toBe(`Seen today. MRN: ${value.patient.mrn}.`);
    expect(value.kind).toBe('referral');
    expect(JSON.stringify(value)).not.toContain('00417733');
    expect(mapping.tokens[value.patient.mrn]).toBeDefined();
  });

  it('leaves the same string in clear where the schema does not mark it', () => {
    const { value } = pseudonymizeValue(
      { patient: { mrn: 'x' }, note: '00417733', kind: 'other' as const },
      { mapping: emptyMapping() },
      schema,
    );
    expect(value.note).toBe('00417733');
  });
});
