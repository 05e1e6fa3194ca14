/** The kinds of identifier the pseudonymizer replaces; each names its tokens (`[PERSON_1]`, `[ORG_2]`…). */
export const PII_CATEGORIES = [
  'PERSON',
  'ORG',
  'EMAIL',
  'PHONE',
  'ADDRESS',
  'DOB',
  'ID',
  'ACCOUNT',
  'CASE',
] as const;

export type PiiCategory = (typeof PII_CATEGORIES)[number];

const TOKEN = /\[(PERSON|ORG|EMAIL|PHONE|ADDRESS|DOB|ID|ACCOUNT|CASE)_(\d+)\]/g;

/** A fresh global regex over every token in a text (fresh because global regexes carry state). */
export function tokenPattern(): RegExp {
  return new RegExp(TOKEN.source, 'g');
}

export function formatToken(category: PiiCategory, index: number): string {
  return `[${category}_${index}]`;
}

/** The category and number of a token, or undefined for anything else. */
export function parseToken(token: string): { category: PiiCategory; index: number } | undefined {
  const match = /^\[(PERSON|ORG|EMAIL|PHONE|ADDRESS|DOB|ID|ACCOUNT|CASE)_(\d+)\]$/.exec(token);
  return match ? { category: match[1] as PiiCategory, index: Number(match[2]) } : undefined;
}

export function isPiiCategory(value: string): value is PiiCategory {
  return (PII_CATEGORIES as readonly string[]).includes(value);
}
