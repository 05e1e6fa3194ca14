import { pseudonymize } from '../../pseudonymize';
import { clean, replaced } from './support';

describe('names of the sender', () => {
  it('replaces the display name and the address of the From header, and the name wherever the body repeats it', () => {
    const from = pseudonymize('Jordan Reyes <jordan.reyes@example.com>');
    expect(from.text).toBe('[PERSON_1] <[EMAIL_1]>');
    const body = pseudonymize('Hello, my name is Jordan Reyes and I was hurt. Jordan', {
      mapping: from.mapping,
    });
    expect(body.text).toBe('Hello, my name is [PERSON_1] and I was hurt. [PERSON_1]');
  });

  it('reads a "Last, First" display name as the person the body names "First Last"', () => {
    const from = pseudonymize('"Lopez, Maria" <mlopez@example.com>');
    expect(clean('Regards, Maria Lopez', { mapping: from.mapping })).toBe('Regards, [PERSON_1]');
  });

  it('ends a name at punctuation: a subject naming a shop and then the sender gives the sender alone', () => {
    expect(replaced('Slip and fall at Greenleaf Market - Dana Whitfield', 'PERSON')).toEqual([
      'Dana Whitfield',
    ]);
  });

  it('leaves a display name that is a role, not a person', () => {
    expect(clean('Accounts Payable <ap@keystone.example>')).toBe('Accounts Payable <[EMAIL_1]>');
  });

  it('gives each of a couple writing together a token of their own', () => {
    expect(clean('Harold & Mae Jenkins <hmj@example.net>\nHarold (DOB 5/5/1948) and Mae met in 1970.')).toBe(
      '[PERSON_1] & [PERSON_2] <[EMAIL_1]>\n[PERSON_1] (DOB [DOB_1]) and [PERSON_2] met in 1970.',
    );
  });

  it('replaces the names in the headers of a forwarded or quoted thread', () => {
    const text = [
      '---------- Forwarded message ---------',
      'From: Linda Park <lpark@acme.example>',
      'To: Kevin Osei <k.osei@northwind.example>',
      '',
      'On Tue, Oct 13, 2026 at 8:02 PM Ryan Ellis <ryan@example.com> wrote:',
    ].join('\n');
    expect(replaced(text, 'PERSON')).toEqual(['Linda Park', 'Kevin Osei', 'Ryan Ellis']);
  });
});

describe('names in signatures', () => {
  it('replaces the name after a closing, and the organisation on the lines after it', () => {
    const text =
      'Please call me.\n\nSincerely,\nAnita Rao, DDS\nSenior Partner | Harbor Dental Group Inc.\n305-555-0134';
    expect(clean(text)).toBe(
      'Please call me.\n\nSincerely,\n[PERSON_1], DDS\nSenior Partner | [ORG_1]\n[PHONE_1]',
    );
  });

  it('replaces a name on its own line at the end, above contact lines', () => {
    expect(clean('Can you help?\nTerrell Jackson\n951 555 0176')).toBe(
      'Can you help?\n[PERSON_1]\n[PHONE_1]',
    );
  });

  it('replaces a first name signed in lower case after an informal closing', () => {
    expect(clean('call me after 5pm\nthx kenji')).toBe('call me after 5pm\nthx [PERSON_1]');
  });

  it('does not take the last sentence of a note for a name', () => {
    const text = 'Wants consult ASAP. Prefers WhatsApp on the same number.\nSpanish preferred.';
    expect(clean(text)).toBe(text);
  });
});

describe("names in the firm's client directory", () => {
  const directoryNames = ['Northwind Logistics LLC', 'Harbor Dental Group Inc.', "James O'Connor"];

  it('matches them in any letter case, as whole words, with another spelling of the legal form or none', () => {
    const text =
      'RE: NORTHWIND LOGISTICS, L.L.C. and Northwind Logistics; full name: james o’connor; northwindy.';
    expect(clean(text, { directoryNames })).toBe(
      'RE: [ORG_1] and [ORG_1]; full name: [PERSON_1]; northwindy.',
    );
  });

  it('matches an organisation without its generic last word, and reidentifies it by its directory name', () => {
    const result = pseudonymize("We pay from Harbor Dental's account.", { directoryNames });
    expect(result.text).toBe("We pay from [ORG_1]'s account.");
    expect(result.mapping.tokens['[ORG_1]']).toBe('Harbor Dental Group Inc.');
  });

  it('takes the kind of a directory entry when it is given', () => {
    expect(
      replaced('Met with Rose Hospital today', 'PERSON', {
        directoryNames: [{ name: 'Rose Hospital', kind: 'person' }],
      }),
    ).toEqual(['Rose Hospital']);
  });
});

describe('names the recognizer and the phrases around them find', () => {
  it('replaces people named by their relation or role', () => {
    const text =
      'My wife Sarah filed. The driver, Tyler Brooks, admitted it. Foreman is Ramón Ortiz. A man named Victor Hale.';
    expect(replaced(text, 'PERSON')).toEqual(['Sarah', 'Tyler Brooks', 'Ramón Ortiz', 'Victor Hale']);
  });

  it('replaces organisations by their words, their role and the words around them', () => {
    const text =
      'A truck from Quickway Couriers LLC hit me. Travel insurer is Aviva. Hit by an Uber driver. ' +
      'I bought it at Target. My job at the amazon warehouse. Treated at St. Jude Medical Center.';
    expect(replaced(text, 'ORG')).toEqual([
      'Quickway Couriers LLC',
      'Aviva',
      'Uber',
      'Target',
      'amazon',
      'St. Jude Medical Center',
    ]);
  });

  it('replaces a lower-case first name after a relation when it is a known first name', () => {
    expect(clean('my supervisor derek told me not to')).toBe('my supervisor [PERSON_1] told me not to');
  });

  it('leaves courts, agencies, laws, products and case law in clear', () => {
    const text =
      'Hearing at Franklin County Municipal Court; EEOC and the Newark Asylum Office; the Defend Trade Secrets Act; ' +
      'my 2019 Honda Civic and the Instant Pot Duo; Smith v. Jones, 123 Cal.App.4th 456; a New York LLC; Dear Sir or Madam.';
    expect(clean(text)).toBe(text);
  });
});

describe('variants of a known name', () => {
  it('gives "Ms. Lopez" and "Maria" the token of Maria Lopez, and keeps the title', () => {
    expect(clean('Maria Lopez called. Ms. Lopez said Maria will sign. lopez agreed.')).toBe(
      '[PERSON_1] called. Ms. [PERSON_1] said [PERSON_1] will sign. [PERSON_1] agreed.',
    );
  });

  it('gives a family name shared by two known people a token of its own', () => {
    expect(clean('Carlos Ferreira and Ana Ferreira. Ferreira signed.')).toBe(
      '[PERSON_1] and [PERSON_2]. [PERSON_3] signed.',
    );
  });

  it("gives a short form of a first name the full name's token", () => {
    expect(clean('From: Samantha Reid <sam@example.com>\n\nThanks,\nSam')).toBe(
      'From: [PERSON_1] <[EMAIL_1]>\n\nThanks,\n[PERSON_1]',
    );
  });

  it('matches a name written with or without its accents as one person', () => {
    expect(clean('Chloe Dubois <c@example.fr>\n\nMerci,\nChloé Dubois')).toBe(
      '[PERSON_1] <[EMAIL_1]>\n\nMerci,\n[PERSON_1]',
    );
  });

  it('does not take an ordinary word for a first name: "Mark" the person, "mark" the verb', () => {
    expect(clean('Mark Klein moved in. Please mark the date. Will Mark call?')).toBe(
      '[PERSON_1] moved in. Please mark the date. Will [PERSON_1] call?',
    );
  });

  it('gives an organisation named without its legal form, or by its first word alone, its token', () => {
    const text =
      'Bluebonnet Properties LLC hired us. Bluebonnet Properties wants to settle. Bluebonnet wants it fast.';
    expect(clean(text)).toBe('[ORG_1] hired us. [ORG_1] wants to settle. [ORG_1] wants it fast.');
  });

  it('does not take the first word of an organisation where another name starts with it', () => {
    expect(clean('Evergreen Software Inc. makes Evergreen Planner.')).toBe(
      '[ORG_1] makes Evergreen Planner.',
    );
  });
});
