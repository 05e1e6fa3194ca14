/**
 * The words the clinical reader knows: about forty common drugs (generic name first, then the brands and
 * abbreviations documents use), how a status, a route and a frequency are written. The simulator's own
 * small list: it sees only what comes over HTTP, never the workflow's formulary.
 */

export type MedicationStatus = 'new' | 'changed' | 'stopped' | 'continued';

/** Generic name → other names a document may use. */
const DRUGS: Readonly<Record<string, readonly string[]>> = {
  amoxicillin: [],
  penicillin: ['penicillin v', 'pen vk'],
  ampicillin: [],
  cephalexin: ['keflex'],
  ceftriaxone: ['rocephin'],
  azithromycin: ['zithromax', 'z-pak'],
  clarithromycin: ['biaxin'],
  'sulfamethoxazole-trimethoprim': ['bactrim', 'tmp-smx', 'co-trimoxazole'],
  ciprofloxacin: ['cipro'],
  ibuprofen: ['advil', 'motrin'],
  naproxen: ['aleve'],
  aspirin: ['asa'],
  acetaminophen: ['paracetamol', 'tylenol'],
  warfarin: ['coumadin'],
  apixaban: ['eliquis'],
  clopidogrel: ['plavix'],
  metformin: ['glucophage'],
  lisinopril: ['zestril'],
  enalapril: [],
  losartan: ['cozaar'],
  spironolactone: ['aldactone'],
  furosemide: ['lasix'],
  atorvastatin: ['lipitor'],
  simvastatin: ['zocor'],
  metoprolol: ['lopressor', 'toprol'],
  amlodipine: ['norvasc'],
  sertraline: ['zoloft'],
  fluoxetine: ['prozac'],
  tramadol: [],
  oxycodone: [],
  morphine: [],
  codeine: [],
  lorazepam: ['ativan'],
  levothyroxine: ['synthroid'],
  prednisone: [],
  omeprazole: ['prilosec'],
  digoxin: ['lanoxin'],
  'potassium chloride': ['kcl', 'klor-con'],
  'insulin glargine': ['lantus'],
};

/** Every name (generic or other), lower case, with the generic it stands for; longest first. */
export const DRUG_NAMES: ReadonlyArray<{ written: string; generic: string }> = Object.entries(DRUGS)
  .flatMap(([generic, others]) => [generic, ...others].map((written) => ({ written, generic })))
  .sort((a, b) => b.written.length - a.written.length);

/** Any known drug name, as whole words (spaces in a name match any whitespace). */
export const KNOWN_DRUG = new RegExp(
  `\\b(${DRUG_NAMES.map(({ written }) => escape(written).replace(/ /g, '\\s+')).join('|')})\\b`,
  'gi',
);

export function genericName(written: string): string {
  const key = written.toLowerCase().replace(/\s+/g, ' ');
  return DRUG_NAMES.find((name) => name.written === key)?.generic ?? key;
}

/** A dose: a number (thousands with commas, perhaps a decimal) and its unit, not a concentration (mg/dL). */
export const DOSE =
  /(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?\s*(mg|mcg|micrograms?|g|grams?|units?|meq)\b(?!\s*\/)/i;

export function doseUnit(written: string): string {
  const unit = written.toLowerCase();
  if (unit.startsWith('microgram')) return 'mcg';
  if (unit.startsWith('gram')) return 'g';
  if (unit.startsWith('unit')) return 'units';
  if (unit === 'meq') return 'mEq';
  return unit;
}

/** A status word and what it says; a verb before the drug ("start amoxicillin") or a note after it ("(new)"). */
export const STATUS_WORD =
  /\b(new|start(?:ed|ing)?|begin|began|initiat(?:e|ed)|add(?:ed)?|(?<!as )prescribed|given|advised|commenced|increas(?:e|ed)|decreas(?:e|ed)|no changes?|chang(?:e|ed)|adjust(?:ed)?|reduc(?:e|ed)|titrat(?:e|ed)|stop(?:ped)?|discontinu(?:e|ed)|hold|held|continu(?:e|ed|es)|resum(?:e|ed)|unchanged)\b/gi;

export function statusOf(word: string): MedicationStatus {
  const w = word.toLowerCase();
  if (/^no change/.test(w)) return 'continued';
  if (/^(new|start|begin|began|initiat|add|prescribed|given|advised|commenced)/.test(w)) return 'new';
  if (/^(increas|decreas|chang|adjust|reduc|titrat)/.test(w)) return 'changed';
  if (/^(stop|discontinu|hold|held)/.test(w)) return 'stopped';
  return 'continued';
}

/** Abbreviations are matched as capitals only ("PO", not the "po" of another word); words in any case. */
const ROUTES: ReadonlyArray<[RegExp, string]> = [
  [/\bPO\b|\bP\.O\.|\b[Bb]y mouth\b|\b[Oo]ral(?:ly)?\b/, 'PO'],
  [/\bIV\b|\b[Ii]ntravenous(?:ly)?\b/, 'IV'],
  [/\bIM\b|\b[Ii]ntramuscular(?:ly)?\b/, 'IM'],
  [/\b(?:SC|SQ)\b|\b[Ss]ubcut(?:aneous(?:ly)?)?\b/, 'SC'],
  [/\bSL\b|\b[Ss]ublingual(?:ly)?\b/, 'SL'],
  [/\bPR\b|\b[Rr]ectal(?:ly)?\b/, 'PR'],
  [/\b[Ii]nhaled\b/, 'inhaled'],
  [/\b[Tt]opical(?:ly)?\b/, 'topical'],
];

/** The route written in `text`, abbreviated as a chart does (PO, IV…), or null. */
export function routeIn(text: string): string | null {
  let best: { at: number; route: string } | null = null;
  for (const [pattern, route] of ROUTES) {
    const match = pattern.exec(text);
    if (match && (best === null || match.index < best.at)) best = { at: match.index, route };
  }
  return best?.route ?? null;
}

const FREQUENCY = new RegExp(
  [
    '\\b(?:once|twice|three times|four times|[1-4] times)\\s+(?:a\\s+|per\\s+)?(?:daily|day|weekly|week)\\b',
    '\\b(?:every|each)\\s+(?:\\d+(?:\\s*(?:-|to)\\s*\\d+)?\\s+)?(?:hours?|days?|morning|evening|night|week|other day)\\b',
    '\\bq\\.?\\s?\\d+\\s?h\\b',
    '\\b(?:BID|TID|QID|QD|QHS|PRN)\\b',
    '\\bat bedtime\\b',
    '\\b(?:nightly|daily|weekly)\\b',
    '\\bas needed\\b',
  ].join('|'),
  'i',
);

/** The first frequency written in `text` ("twice daily", "every 8 hours", "BID"), as written, or null. */
export function frequencyIn(text: string): string | null {
  return FREQUENCY.exec(text)?.[0].replace(/\s+/g, ' ') ?? null;
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
