import { emptyMapping, pseudonymize, pseudonymizeTexts, PseudonymMapping } from '../../pseudonymize';

describe('stable tokens', () => {
  it('gives the same value the same token everywhere in a text, and numbers tokens by first appearance', () => {
    const result = pseudonymize('Email a@example.com, then b@example.com, then a@example.com again.');
    expect(result.text).toBe('Email [EMAIL_1], then [EMAIL_2], then [EMAIL_1] again.');
  });

  it('gives the same result for the same text and context every time', () => {
    const text = 'Maria Lopez (213) 555-0187, 1740 W. Sunset Blvd, Los Angeles, CA 90026, DOB 04/22/1981';
    expect(pseudonymize(text)).toEqual(pseudonymize(text));
  });

  it('says where it replaced, by offsets and tokens, never by value', () => {
    const result = pseudonymize('Call 213-555-0187 now');
    expect(result.replacements).toEqual([{ start: 5, end: 17, token: '[PHONE_1]', category: 'PHONE' }]);
  });

  it('leaves tokens already in the text as they are, so pseudonymizing twice changes nothing', () => {
    const once = pseudonymize('Maria Lopez <maria@example.com>, 213-555-0187');
    const twice = pseudonymize(once.text, { mapping: once.mapping });
    expect(twice.text).toBe(once.text);
    expect(twice.mapping).toEqual(once.mapping);
  });
});

describe('extending a mapping', () => {
  it('shares tokens across the texts of one intake: from, subject and body', () => {
    const from = pseudonymize('Maria Lopez <maria.lopez@example.com>');
    const subject = pseudonymize('Accident - Maria Lopez, 213-555-0187', { mapping: from.mapping });
    const body = pseudonymize('This is Maria. Write to maria.lopez@example.com or call 213.555.0187.', {
      mapping: subject.mapping,
    });
    expect(subject.text).toBe('Accident - [PERSON_1], [PHONE_1]');
    expect(body.text).toBe('This is [PERSON_1]. Write to [EMAIL_1] or call [PHONE_1].');
  });

  it('numbers new values after those the mapping holds', () => {
    const first = pseudonymize('a@example.com');
    expect(pseudonymize('b@example.com', { mapping: first.mapping }).text).toBe('[EMAIL_2]');
  });

  it("does not change the caller's mapping", () => {
    const mapping = pseudonymize('a@example.com').mapping;
    const copy = structuredClone(mapping);
    pseudonymize('b@example.com and Maria Lopez', { mapping });
    expect(mapping).toEqual(copy);
  });

  it('holds token → value and the inverse lookup, and survives JSON and its schema', () => {
    const { mapping } = pseudonymize('Acme Freight Inc. and ACME FREIGHT; maria@example.com');
    expect(mapping.tokens).toEqual({ '[ORG_1]': 'Acme Freight Inc.', '[EMAIL_1]': 'maria@example.com' });
    expect(mapping.keys).toMatchObject({
      'ORG:acme freight': '[ORG_1]',
      'EMAIL:maria@example.com': '[EMAIL_1]',
    });
    expect(mapping.forms['[ORG_1]']).toEqual(['Acme Freight Inc.', 'ACME FREIGHT']);
    expect(PseudonymMapping.parse(JSON.parse(JSON.stringify(mapping)))).toEqual(mapping);
  });

  it('starts from an empty mapping when none is given', () => {
    expect(pseudonymize('nothing to see here').mapping).toEqual(emptyMapping());
  });
});

describe('the texts of one intake together', () => {
  it('replaces, in an earlier text, a name that only a later text makes known', () => {
    const { texts, mapping } = pseudonymizeTexts([
      'kenji tanaka <k@example.org>',
      'help - kowalczyk dog bite',
      'the neighbor is Brenda Kowalczyk and her dog bit my daughter.',
    ]);
    expect(texts).toEqual([
      '[PERSON_1] <[EMAIL_1]>',
      'help - [PERSON_2] dog bite',
      'the neighbor is [PERSON_2] and her dog bit my daughter.',
    ]);
    expect(mapping.tokens['[PERSON_2]']).toBe('Brenda Kowalczyk');
    expect(mapping.forms['[PERSON_2]']).toEqual(['Brenda Kowalczyk', 'kowalczyk']);
  });
});
