import { pseudonymize } from '../../pseudonymize';
import { clean, replaced } from './support';

describe('e-mail addresses', () => {
  it('replaces addresses in text, in angle brackets and with a typo in the domain', () => {
    const text = 'Write to maria.lopez@example.com, <m.lopez+law@mail.example.org> or maria@example.con.';
    expect(clean(text)).toBe('Write to [EMAIL_1], <[EMAIL_2]> or [EMAIL_3].');
  });

  it('gives one address written in two letter cases one token', () => {
    expect(clean('Maria@Example.com wrote; reply to maria@example.com')).toBe(
      '[EMAIL_1] wrote; reply to [EMAIL_1]',
    );
  });
});

describe('phone numbers', () => {
  it.each([
    ['+1 (213) 555-0187'],
    ['213.555.0187'],
    ['213-555-0187'],
    ['(213)5550187'],
    ['2135550187'],
    ['1-213-555-0187'],
    ['213 555 0187'],
  ])('replaces %s as written in the US', (number) => {
    expect(replaced(`Call me at ${number} after 5.`, 'PHONE')).toEqual([number]);
  });

  it('keeps an extension with its number', () => {
    expect(clean('Office: 213-555-0187 ext. 4, cell (213) 555-0123 x12')).toBe(
      'Office: [PHONE_1], cell [PHONE_2]',
    );
  });

  it('replaces international numbers, including ones outside the numbering plan', () => {
    const text = 'London office +44 20 7946 0958, mobile +44 7700 900461, Warsaw +48 22 555 01 87.';
    expect(replaced(text, 'PHONE')).toEqual(['+44 20 7946 0958', '+44 7700 900461', '+48 22 555 01 87']);
  });

  it('gives the same number in different formats one token', () => {
    expect(clean('Cell (213) 555-0187. Again: 213.555.0187.')).toBe('Cell [PHONE_1]. Again: [PHONE_1].');
  });

  it('finds a number right after a date, which the matcher alone misses', () => {
    expect(replaced('DOB 03/14/1985. 1-800-555-0199.', 'PHONE')).toEqual(['1-800-555-0199']);
  });

  it('takes a seven-digit local number only after a phone word', () => {
    expect(replaced('Teléfono: 555-0142 (casa)', 'PHONE')).toEqual(['555-0142']);
    expect(replaced('Invoice 555-0142 is overdue', 'PHONE')).toEqual([]);
  });

  it('does not take a serial number grouped unlike a phone number for one', () => {
    expect(replaced('serial 2104-66-1180', 'PHONE')).toEqual([]);
  });

  it('leaves the process as it found it: stack traces on, whatever the matcher threw inside', () => {
    const limit = Error.stackTraceLimit;
    // Dates, confidences and amounts: runs of digits the matcher tries and rejects by throwing.
    pseudonymize('Call (310) 555-0142 about the 2026-09-14 crash; confidence 0.95, costs $1,250.00.');
    expect(Error.stackTraceLimit).toBe(limit);
    expect(new Error('after').stack).toContain('identifiers.test');
  });
});

describe('postal addresses', () => {
  it('replaces a street address with unit, city, state and ZIP as one token', () => {
    const text = 'I live at 1740 W. Sunset Blvd, Apt 12, Los Angeles, CA 90026 since May.';
    expect(clean(text)).toBe('I live at [ADDRESS_1] since May.');
  });

  it.each([
    ['57 Maple Grove Rd, Naperville IL 60540'],
    ['2600 N Ocean Blvd #1504, Fort Lauderdale, FL 33308'],
    ['918 Peachtree St NE, Apt 1204'],
    ['P.O. Box 1187, Memphis, TN 38101'],
    ['1315 S Alvarado St, Los Angeles, California 90006'],
  ])('replaces %s', (address) => {
    expect(replaced(`Send it to ${address}.`, 'ADDRESS')).toEqual([address]);
  });

  it('replaces a city, state and ZIP on a line of its own', () => {
    expect(clean('City/State/ZIP: Atlanta, GA 30309')).toBe('City/State/ZIP: [ADDRESS_1]');
  });

  it('leaves street-like phrases that are not addresses', () => {
    const text =
      'It happened near the 500 block of Main Street, 5 miles down the road, near 1st Street Park, off Exit 12 on I-95.';
    expect(clean(text)).toBe(text);
  });
});

describe('dates of birth', () => {
  it.each([
    ['DOB: 04/22/1981', '04/22/1981'],
    ['D.O.B.: 3-8-1966', '3-8-1966'],
    ['date of birth (MM/DD/YYYY): 11/02/1968', '11/02/1968'],
    ['She was born on February 2, 1941.', 'February 2, 1941'],
    ['his date of birth is Aug 3, 1979', 'Aug 3, 1979'],
    ['He was born 1994-11-23 in Aleppo.', '1994-11-23'],
    ["Cody's birthday is 2/14/1990", '2/14/1990'],
    ['Fecha de nacimiento: 12/05/1970', '12/05/1970'],
    ['I was born in Recife on 14 de março de 1990.', '14 de março de 1990'],
  ])('replaces the date in "%s"', (text, date) => {
    expect(replaced(text, 'DOB')).toEqual([date]);
  });

  it('keeps incident, termination and hearing dates: the limitation check needs them', () => {
    const text =
      'I was born and raised in Tulsa; the crash happened on 06/06/2026. I was fired on August 14, 2026 ' +
      'and the hearing is 2026-11-19. Our first child is due 01/15/2027.';
    expect(clean(text)).toBe(text);
  });

  it('gives one date of birth written two ways one token', () => {
    expect(clean('DOB 04/22/1981 (born April 22, 1981)')).toBe('DOB [DOB_1] (born [DOB_1])');
  });
});

describe('national and personal identity numbers', () => {
  it('replaces social security numbers, with dashes anywhere and with spaces after a keyword', () => {
    expect(clean('SSN 529-44-1203; his is 412 55 8890 per the SSN card: SSN 412 55 8890')).toBe(
      'SSN [ID_1]; his is 412 55 8890 per the SSN card: SSN [ID_2]',
    );
  });

  it('replaces the last four digits of a social security number when they are said to be that', () => {
    expect(clean('SSN (last 4): 4821. Masked: xxx-xx-4471.')).toBe('SSN (last 4): [ID_1]. Masked: [ID_2].');
  });

  it('replaces alien registration, passport, licence, SEVIS and medical record numbers', () => {
    const text =
      'A-Number: A 212-345-678. His A# is 098-765-432. Passport no. FT8842193. CDL # V123-456-789. ' +
      'SEVIS ID is N0012345678. MRN 00482291.';
    expect(replaced(text, 'ID')).toEqual([
      'A 212-345-678',
      '098-765-432',
      'FT8842193',
      'V123-456-789',
      'N0012345678',
      '00482291',
    ]);
  });

  it('replaces record and insurance numbers as clinical documents label them, in English and Spanish', () => {
    const text =
      'Record number: 00633001. Número de historia: 01188034. NHC 7730021. Member number: XKM449120551. ' +
      'Subscriber ID: 88120-44.';
    expect(replaced(text, 'ID')).toEqual(['00633001', '01188034', '7730021']);
    expect(replaced(text, 'ACCOUNT')).toEqual(['XKM449120551', '88120-44']);
  });
});

describe('account and card numbers', () => {
  it('replaces card numbers whose Luhn checksum holds, and only those', () => {
    const text = 'Visa 4111 1111 1111 1111, Amex 3782 822463 10005, and order number 4111 1111 1111 1112.';
    expect(replaced(text, 'ACCOUNT')).toEqual(['4111 1111 1111 1111', '3782 822463 10005']);
  });

  it('replaces bank account and routing numbers after their keyword, and an IBAN whose checksum holds', () => {
    const text =
      'account no. 4417 8823 0091, routing 021000021, IBAN NO93 8601 1117 947. Not: NO93 8601 1117 948.';
    expect(replaced(text, 'ACCOUNT')).toEqual(['4417 8823 0091', '021000021', 'NO93 8601 1117 947']);
  });

  it('replaces an insurance policy number said further on in the clause', () => {
    expect(replaced('My policy with Granite Mutual Insurance is GM-7781204.', 'ACCOUNT')).toEqual([
      'GM-7781204',
    ]);
  });

  it('leaves the last four digits of an account, which identify nobody', () => {
    expect(replaced('We pay from the operating account ending 7731.', 'ACCOUNT')).toEqual([]);
  });
});

describe('case numbers', () => {
  it.each([
    ['Case No. 2:24-cv-01234', '2:24-cv-01234'],
    ['filed as BC712345 in Los Angeles', 'BC712345'],
    ['case 24STCV12345', '24STCV12345'],
    ['receipt number IOE0923456781', 'IOE0923456781'],
    ['cause number 2019-44871', '2019-44871'],
    ['EEOC charge number is 480-2026-03317', '480-2026-03317'],
    ['Claim No. PCI-2026-448812', 'PCI-2026-448812'],
    ['case 2026 CVG 031122', '2026 CVG 031122'],
    ['Maricopa County Superior Court, CV2026-012345', 'CV2026-012345'],
    ['Jackson County Family Court, No. 24JU-FC00412', '24JU-FC00412'],
  ])('replaces the number in "%s"', (text, number) => {
    expect(replaced(text, 'CASE')).toEqual([number]);
  });

  it('keeps the court and the county, which the jurisdiction check needs', () => {
    expect(clean('Franklin County Municipal Court, case 2026 CVG 031122')).toBe(
      'Franklin County Municipal Court, case [CASE_1]',
    );
  });

  it('does not take a phone number after "on file" for a case number', () => {
    expect(pseudonymize('Phone on file 415-555-0187.').replacements.map((r) => r.category)).toEqual([
      'PHONE',
    ]);
  });
});
