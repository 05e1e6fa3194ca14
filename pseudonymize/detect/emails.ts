import { Tier, type Candidate } from '../candidates';
import { matchAll } from '../text';

/** Addresses as people write them, including "mailto:" links and typo'd top-level domains (".con"). */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

export function findEmails(text: string): Candidate[] {
  return [...matchAll(text, EMAIL)].map((match) => ({
    start: match.index,
    end: match.index + match[0].length,
    category: 'EMAIL',
    tier: Tier.email,
  }));
}
