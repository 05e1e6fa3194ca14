import { Tier, type Candidate } from '../candidates';
import { STREET_SUFFIX_SOURCE, US_STATE_CODES, US_STATE_NAMES } from '../names/vocabulary';
import { matchAll } from '../text';

/**
 * US postal addresses: house number, street name and suffix, optional unit, then optional city, state and
 * ZIP (on the same line or the next); P.O. boxes; and a lone "City, ST 12345" line. Street names must be
 * capitalised, so "5 miles down the road" or "the 500 block of Main Street" are not addresses.
 */
export function findAddresses(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const regex of [STREET_ADDRESS, PO_BOX, CITY_STATE_ZIP]) {
    for (const match of matchAll(text, regex)) {
      const written = match[0].replace(/[\s,]+$/, '');
      found.push({
        start: match.index,
        end: match.index + written.length,
        category: 'ADDRESS',
        tier: Tier.shaped,
      });
    }
  }
  return found;
}

const STATES = [...US_STATE_CODES, ...US_STATE_NAMES].join('|');
const STATE = `(?:${STATES})(?![\\p{L}])`;
const ZIP = '\\d{5}(?:-\\d{4})?(?![\\d-])';
const DIRECTION = '(?:N|S|E|W|NE|NW|SE|SW|North|South|East|West)\\.?';
const NAME_WORD = "(?:\\p{Lu}[\\p{L}'’.-]*|\\d{1,3}(?:st|nd|rd|th))";
const CITY = "\\p{Lu}[\\p{L}'’.-]*(?:[ \\t]+\\p{Lu}[\\p{L}'’.-]*){0,3}";
const UNIT = `(?:,?[ \\t]*(?:Apt|Apartment|Unit|Suite|Ste|Fl|Floor|Bldg|Building|Rm|Room|Lot|Space|Spc)\\.?[ \\t]*#?[ \\t]*[A-Za-z0-9-]+|[ \\t]*#[ \\t]*[A-Za-z0-9-]+)`;
/** ", Los Angeles, CA 90026", " Naperville IL 60540", ",\nChicago, IL", " 90026" */
const PLACE = `(?:,?[ \\t]*(?:\\n[ \\t]*)?${CITY},?[ \\t]+${STATE}(?:,?[ \\t]+${ZIP})?|,?[ \\t]+${ZIP})`;

const STREET_ADDRESS = new RegExp(
  `(?<![\\p{L}\\p{N}$#.,-])\\d{1,6}[A-Z]?(?:-\\d{1,5})?[ \\t]+(?:${DIRECTION}[ \\t]+)?` +
    `(?:(?:${NAME_WORD}[ \\t]+){1,4}${STREET_SUFFIX_SOURCE}\\.?|Broadway)(?![\\p{L}])` +
    `(?:[ \\t]+${DIRECTION}(?![\\p{L}]))?${UNIT}?${PLACE}?`,
  'gu',
);

const PO_BOX = new RegExp(
  `(?<![\\p{L}])[Pp]\\.?[ \\t]?[Oo]\\.?[ \\t]*(?:Box|BOX|box)[ \\t]+\\d+${PLACE}?`,
  'gu',
);

const CITY_STATE_ZIP = new RegExp(`(?<![\\p{L}])${CITY},?[ \\t]+${STATE}[ \\t]+${ZIP}`, 'gu');
