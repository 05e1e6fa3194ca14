import { Tier, matchesAs, type Candidate } from '../candidates';

/** Addresses as people write them, including "mailto:" links and typo'd top-level domains (".con"). */
const EMAIL =
  /(?<![\p{L}\p{N}._%+-])[\p{L}\p{N}](?:[\p{L}\p{N}._%+-]{0,62}[\p{L}\p{N}_%+-])?@(?:[\p{L}\p{N}](?:[\p{L}\p{N}-]{0,61}[\p{L}\p{N}])?\.)+\p{L}{2,24}(?![\p{L}\p{N}-])/gu;

export function findEmails(text: string): Candidate[] {
  return matchesAs(text, [EMAIL], 'EMAIL', Tier.email);
}
